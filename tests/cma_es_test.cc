// CmaEs on functions with known minima, its determinism and resumption, and the eigen solver
// it relies on.
#include "sinew/core/cma_es.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "sinew/core/binary_io.h"

namespace sinew {
namespace {

using Function = std::function<double(const std::vector<double>&)>;

double sphere(const std::vector<double>& x) {
  double sum = 0;
  for (double v : x) sum += v * v;
  return sum;
}

double rosenbrock(const std::vector<double>& x) {
  double sum = 0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    sum += 100 * std::pow(x[i + 1] - x[i] * x[i], 2) + std::pow(1 - x[i], 2);
  }
  return sum;
}

// an ellipsoid with condition 1e4 along axes rotated 45 degrees in each pair of coordinates:
// only an adapted covariance moves along its valley quickly
double rotated_ellipsoid(const std::vector<double>& x) {
  double sum = 0;
  for (std::size_t i = 0; i + 1 < x.size(); i += 2) {
    const double u = (x[i] + x[i + 1]) / std::sqrt(2.0), v = (x[i] - x[i + 1]) / std::sqrt(2.0);
    sum += u * u + 1e4 * v * v;
  }
  return sum;
}

// generations until the best score is below `target` (or `limit`)
int minimize(CmaEs& es, const Function& f, double target, int limit) {
  while (es.generation() < limit && es.best_score() > target) {
    std::vector<double> scores;
    for (const auto& x : es.ask()) scores.push_back(f(x));
    es.tell(scores);
  }
  return es.generation();
}

TEST(CmaEs, FindsTheMinimumOfTheSphere) {
  CmaEs es({3, -2, 1, 4}, 1.0, {.population = 0, .seed = 7});
  EXPECT_EQ(es.population(), 8);  // 4 + floor(3 ln 4)
  EXPECT_LT(minimize(es, sphere, 1e-10, 400), 400);
  for (double v : es.best()) EXPECT_NEAR(v, 0.0, 1e-4);
  EXPECT_LT(es.spread(), 1e-3) << "the step size shrinks as it converges";
}

TEST(CmaEs, FollowsTheRosenbrockValley) {
  CmaEs es({-1, 2, -1, 2}, 0.5, {.population = 0, .seed = 3});
  EXPECT_LT(minimize(es, rosenbrock, 1e-10, 3000), 3000);
  for (double v : es.best()) EXPECT_NEAR(v, 1.0, 1e-4);
}

TEST(CmaEs, AdaptsItsCovarianceToARotatedValley) {
  CmaEs es({1, 1, 1, 1}, 0.3, {.population = 0, .seed = 11});
  EXPECT_LT(minimize(es, rotated_ellipsoid, 1e-10, 2000), 2000);
  // what an isotropic search could not do in this many generations: the condition is 1e4
  EXPECT_LT(es.best_score(), 1e-10);
}

TEST(CmaEs, IsDeterministicForASeedAndResumesWhereItStopped) {
  CmaEs a({2, 2, 2}, 0.5, {.population = 6, .seed = 5});
  CmaEs b({2, 2, 2}, 0.5, {.population = 6, .seed = 5});
  minimize(a, sphere, 0, 5);
  BinaryWriter saved;
  a.save(&saved);
  minimize(a, sphere, 0, 10);
  CmaEs resumed({0, 0, 0}, 1.0, {.population = 6, .seed = 99});
  BinaryReader reader(saved.bytes(), "cma state");
  resumed.load(&reader);
  EXPECT_EQ(resumed.generation(), 5);
  minimize(resumed, sphere, 0, 10);
  minimize(b, sphere, 0, 10);
  EXPECT_EQ(resumed.mean(), a.mean());
  EXPECT_EQ(b.mean(), a.mean());
  EXPECT_EQ(resumed.sigma(), a.sigma());
  CmaEs other({0, 0}, 1.0, {.population = 6, .seed = 1});
  BinaryReader again(std::string(), "empty");
  EXPECT_ANY_THROW(other.load(&again));
}

TEST(CmaEs, RefusesWhatItCannotSearch) {
  EXPECT_THROW(CmaEs({}, 1.0, {}), std::invalid_argument);
  EXPECT_THROW(CmaEs({1.0}, 0.0, {}), std::invalid_argument);
  CmaEs es({1.0, 2.0}, 1.0, {});
  EXPECT_THROW(es.tell({1.0}), std::logic_error);
  es.ask();
  EXPECT_THROW(es.tell({1.0}), std::logic_error);
  std::vector<double> nan(es.population(), 0.0);
  nan[1] = std::nan("");
  EXPECT_THROW(es.tell(nan), std::invalid_argument);
}

TEST(SymmetricEigen, DecomposesAKnownMatrix) {
  // eigenvalues 1, 2, 4 of a rotated diagonal matrix
  const std::vector<double> a = {2.5, -1.5, 0, -1.5, 2.5, 0, 0, 0, 1};
  std::vector<double> values, vectors;
  symmetric_eigen(a, 3, &values, &vectors);
  EXPECT_NEAR(values[0], 1.0, 1e-12);
  EXPECT_NEAR(values[1], 1.0, 1e-12);
  EXPECT_NEAR(values[2], 4.0, 1e-12);
  // A v = lambda v for each column
  for (int j = 0; j < 3; ++j) {
    for (int i = 0; i < 3; ++i) {
      double av = 0;
      for (int k = 0; k < 3; ++k) av += a[i * 3 + k] * vectors[k * 3 + j];
      EXPECT_NEAR(av, values[j] * vectors[i * 3 + j], 1e-12);
    }
  }
}

}  // namespace
}  // namespace sinew
