// CMA-ES, the covariance matrix adaptation evolution strategy (Hansen, "The CMA Evolution
// Strategy: A Tutorial", 2016): the (mu/mu_w, lambda) strategy with rank-one and rank-mu updates
// and cumulative step-size adaptation, as SCONE and human-in-the-loop exoskeleton studies use to
// tune a few controller parameters from noisy, expensive scores.
//
// Ask and tell: ask() gives a generation of candidates, the caller scores each (lower is better)
// and tell()s the scores in the same order. The search space is unbounded; a caller with bounds
// scores a candidate at its nearest point inside them and adds a penalty for the distance (as
// SCONE does). Deterministic for a seed; save()/load() carry the whole state, so a resumed
// optimization draws the same candidates as one that never stopped.
//
// Not thread-safe; a generation's candidates may be scored on many threads by the caller.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace sinew {

class BinaryReader;
class BinaryWriter;

class CmaEs {
 public:
  struct Options {
    int population = 0;  // lambda; 0 = 4 + floor(3 ln n)
    uint64_t seed = 1;
  };

  // Starts at `mean` with step size `sigma` (> 0) in every coordinate. Throws
  // std::invalid_argument for an empty mean, sigma <= 0 or a population below 2.
  CmaEs(std::vector<double> mean, double sigma, Options options);

  // The next generation: population() candidates of dimension dimension().
  const std::vector<std::vector<double>>& ask();
  // The scores of the candidates ask() gave, in order (lower is better); updates the
  // distribution. Throws std::logic_error without a pending ask() or with the wrong count, and
  // std::invalid_argument for a NaN score.
  void tell(const std::vector<double>& scores);

  int dimension() const { return n_; }
  int population() const { return lambda_; }
  int generation() const { return generation_; }
  const std::vector<double>& mean() const { return mean_; }
  double sigma() const { return sigma_; }
  // The best candidate told so far and its score (score +inf before the first tell()).
  const std::vector<double>& best() const { return best_; }
  double best_score() const { return best_score_; }
  // sigma times the square root of the largest eigenvalue of C: the search's widest spread.
  double spread() const;

  void save(BinaryWriter* out) const;
  // Restores a state save() wrote for the same dimension and population; throws UserError
  // (BinaryReader::fail) otherwise.
  void load(BinaryReader* in);

 private:
  void update_eigensystem();

  int n_, lambda_, mu_;
  std::vector<double> weights_;
  double mueff_, cc_, cs_, c1_, cmu_, damps_, chi_n_;
  std::vector<double> mean_;
  double sigma_;
  std::vector<double> pc_, ps_;
  std::vector<double> c_;  // covariance, n x n row-major
  std::vector<double> b_;  // its eigenvectors (columns), n x n row-major
  std::vector<double> d_;  // square roots of its eigenvalues
  int generation_ = 0;
  std::vector<std::vector<double>> candidates_;  // x = mean + sigma B D z
  std::vector<std::vector<double>> steps_;       // y = B D z, per candidate
  bool asked_ = false;
  std::vector<double> best_;
  double best_score_;
  std::mt19937_64 rng_;
};

// The eigenvalues (ascending) and eigenvectors (columns of `vectors`, row-major n x n) of the
// symmetric n x n row-major matrix `a`, by cyclic Jacobi rotations.
void symmetric_eigen(std::vector<double> a, int n, std::vector<double>* values,
                     std::vector<double>* vectors);

}  // namespace sinew
