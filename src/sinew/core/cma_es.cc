#include "sinew/core/cma_es.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "sinew/core/binary_io.h"

namespace sinew {

void symmetric_eigen(std::vector<double> a, int n, std::vector<double>* values,
                     std::vector<double>* vectors) {
  std::vector<double>& v = *vectors;
  v.assign(static_cast<std::size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i) v[i * n + i] = 1.0;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (int p = 0; p < n; ++p) {
      for (int q = p + 1; q < n; ++q) off += a[p * n + q] * a[p * n + q];
    }
    if (off < 1e-30) break;
    for (int p = 0; p < n; ++p) {
      for (int q = p + 1; q < n; ++q) {
        const double apq = a[p * n + q];
        if (std::fabs(apq) < 1e-300) continue;
        // the rotation that zeroes a[p][q]
        const double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const double t =
            (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; ++k) {  // columns p and q
          const double akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; ++k) {  // rows p and q
          const double apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; ++k) {
          const double vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  // ascending eigenvalues, their vectors alongside
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int i, int j) { return a[i * n + i] < a[j * n + j]; });
  std::vector<double> sorted(static_cast<std::size_t>(n) * n);
  values->resize(n);
  for (int j = 0; j < n; ++j) {
    (*values)[j] = a[order[j] * n + order[j]];
    for (int k = 0; k < n; ++k) sorted[k * n + j] = v[k * n + order[j]];
  }
  v = std::move(sorted);
}

CmaEs::CmaEs(std::vector<double> mean, double sigma, Options options)
    : n_(static_cast<int>(mean.size())),
      mean_(std::move(mean)),
      sigma_(sigma),
      best_score_(std::numeric_limits<double>::infinity()),
      rng_(options.seed) {
  if (n_ == 0) throw std::invalid_argument("CMA-ES needs at least one parameter");
  if (!(sigma > 0)) throw std::invalid_argument("CMA-ES needs a step size above 0");
  const double n = n_;
  lambda_ = options.population > 0 ? options.population
                                   : 4 + static_cast<int>(std::floor(3 * std::log(n)));
  if (lambda_ < 2) throw std::invalid_argument("CMA-ES needs a population of at least 2");
  mu_ = lambda_ / 2;
  // recombination weights: log-decreasing over the best mu, summing to 1
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < mu_; ++i) {
    weights_.push_back(std::log(mu_ + 0.5) - std::log(i + 1.0));
    sum += weights_.back();
  }
  for (double& w : weights_) {
    w /= sum;
    sum_sq += w * w;
  }
  mueff_ = 1 / sum_sq;
  // the tutorial's defaults
  cc_ = (4 + mueff_ / n) / (n + 4 + 2 * mueff_ / n);
  cs_ = (mueff_ + 2) / (n + mueff_ + 5);
  c1_ = 2 / ((n + 1.3) * (n + 1.3) + mueff_);
  cmu_ = std::min(1 - c1_, 2 * (mueff_ - 2 + 1 / mueff_) / ((n + 2) * (n + 2) + mueff_));
  damps_ = 1 + 2 * std::max(0.0, std::sqrt((mueff_ - 1) / (n + 1)) - 1) + cs_;
  chi_n_ = std::sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  pc_.assign(n_, 0.0);
  ps_.assign(n_, 0.0);
  c_.assign(static_cast<std::size_t>(n_) * n_, 0.0);
  for (int i = 0; i < n_; ++i) c_[i * n_ + i] = 1.0;
  update_eigensystem();
}

void CmaEs::update_eigensystem() {
  std::vector<double> values;
  symmetric_eigen(c_, n_, &values, &b_);
  d_.resize(n_);
  for (int i = 0; i < n_; ++i) d_[i] = std::sqrt(std::max(values[i], 1e-300));
}

double CmaEs::spread() const { return sigma_ * *std::max_element(d_.begin(), d_.end()); }

const std::vector<std::vector<double>>& CmaEs::ask() {
  std::normal_distribution<double> normal;
  candidates_.assign(lambda_, std::vector<double>(n_));
  steps_.assign(lambda_, std::vector<double>(n_));
  std::vector<double> z(n_);
  for (int k = 0; k < lambda_; ++k) {
    for (double& zi : z) zi = normal(rng_);
    for (int i = 0; i < n_; ++i) {
      double y = 0;
      for (int j = 0; j < n_; ++j) y += b_[i * n_ + j] * d_[j] * z[j];
      steps_[k][i] = y;
      candidates_[k][i] = mean_[i] + sigma_ * y;
    }
  }
  asked_ = true;
  return candidates_;
}

void CmaEs::tell(const std::vector<double>& scores) {
  if (!asked_) throw std::logic_error("CMA-ES: tell() without ask()");
  if (static_cast<int>(scores.size()) != lambda_) {
    throw std::logic_error("CMA-ES: tell() needs one score per candidate");
  }
  for (double s : scores) {
    if (std::isnan(s)) throw std::invalid_argument("CMA-ES: a score is NaN");
  }
  asked_ = false;
  ++generation_;
  std::vector<int> order(lambda_);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int i, int j) { return scores[i] < scores[j]; });
  if (scores[order[0]] < best_score_) {
    best_score_ = scores[order[0]];
    best_ = candidates_[order[0]];
  }
  // the weighted mean step y_w, and the new mean
  std::vector<double> yw(n_, 0.0);
  for (int r = 0; r < mu_; ++r) {
    for (int i = 0; i < n_; ++i) yw[i] += weights_[r] * steps_[order[r]][i];
  }
  for (int i = 0; i < n_; ++i) mean_[i] += sigma_ * yw[i];
  // C^(-1/2) y_w = B D^-1 B^T y_w
  std::vector<double> bty(n_, 0.0), whitened(n_, 0.0);
  for (int j = 0; j < n_; ++j) {
    for (int i = 0; i < n_; ++i) bty[j] += b_[i * n_ + j] * yw[i];
    bty[j] /= d_[j];
  }
  for (int i = 0; i < n_; ++i) {
    for (int j = 0; j < n_; ++j) whitened[i] += b_[i * n_ + j] * bty[j];
  }
  // evolution paths
  const double ps_rate = std::sqrt(cs_ * (2 - cs_) * mueff_);
  double ps_norm = 0;
  for (int i = 0; i < n_; ++i) {
    ps_[i] = (1 - cs_) * ps_[i] + ps_rate * whitened[i];
    ps_norm += ps_[i] * ps_[i];
  }
  ps_norm = std::sqrt(ps_norm);
  const double decay = 1 - std::pow(1 - cs_, 2.0 * generation_);
  const bool hsig = ps_norm / std::sqrt(decay) / chi_n_ < 1.4 + 2 / (n_ + 1.0);
  const double pc_rate = std::sqrt(cc_ * (2 - cc_) * mueff_);
  for (int i = 0; i < n_; ++i) pc_[i] = (1 - cc_) * pc_[i] + (hsig ? pc_rate * yw[i] : 0.0);
  // covariance: rank one (pc) and rank mu (the best steps)
  const double lost = hsig ? 0.0 : c1_ * cc_ * (2 - cc_);
  for (int i = 0; i < n_; ++i) {
    for (int j = 0; j < n_; ++j) {
      double rank_mu = 0;
      for (int r = 0; r < mu_; ++r)
        rank_mu += weights_[r] * steps_[order[r]][i] * steps_[order[r]][j];
      double& cij = c_[i * n_ + j];
      cij = (1 - c1_ - cmu_) * cij + c1_ * pc_[i] * pc_[j] + lost * cij + cmu_ * rank_mu;
    }
  }
  sigma_ *= std::exp((cs_ / damps_) * (ps_norm / chi_n_ - 1));
  update_eigensystem();
}

void CmaEs::save(BinaryWriter* out) const {
  out->put<int32_t>(n_);
  out->put<int32_t>(lambda_);
  out->put<int32_t>(generation_);
  out->put<double>(sigma_);
  out->put<double>(best_score_);
  out->put_vector(mean_);
  out->put_vector(pc_);
  out->put_vector(ps_);
  out->put_vector(c_);
  out->put_vector(best_);
  std::ostringstream rng;
  rng << rng_;
  out->put_string(rng.str());
}

void CmaEs::load(BinaryReader* in) {
  const int n = in->get<int32_t>(), lambda = in->get<int32_t>();
  if (n != n_ || lambda != lambda_) {
    in->fail("the saved CMA-ES has another dimension or population");
  }
  generation_ = in->get<int32_t>();
  sigma_ = in->get<double>();
  best_score_ = in->get<double>();
  mean_ = in->get_vector<double>();
  pc_ = in->get_vector<double>();
  ps_ = in->get_vector<double>();
  c_ = in->get_vector<double>();
  best_ = in->get_vector<double>();
  const auto sq = static_cast<std::size_t>(n_) * n_;
  if (mean_.size() != static_cast<std::size_t>(n_) || pc_.size() != mean_.size() ||
      ps_.size() != mean_.size() || c_.size() != sq) {
    in->fail("the saved CMA-ES state is inconsistent");
  }
  std::istringstream rng(in->get_string());
  rng >> rng_;
  if (rng.fail()) in->fail("the saved CMA-ES random state is unreadable");
  asked_ = false;
  update_eigensystem();
}

}  // namespace sinew
