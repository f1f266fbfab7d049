#ifndef FISHEROPT_OPTIM_LIMITED_MEMORY_BFGS_H_
#define FISHEROPT_OPTIM_LIMITED_MEMORY_BFGS_H_

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <deque>

namespace fisheropt {

// L-BFGS preconditioned by a curvature matrix C (Nocedal & Wright,
// Algorithm 7.4, with H₀ = γ C⁻¹ instead of γ I; Jiang, Byrd, Eskow &
// Schnabel 2004): the direction is d = −H g, where H is the BFGS inverse
// Hessian built from the last `memory` pairs (s, y) on top of
//
//   H₀ = γ C⁻¹,  γ = sᵀy / (yᵀ C⁻¹ y) of the newest pair (1 with none),
//
// the Oren–Luenberger scale in the metric of C. With C the diagonal of a
// Fisher matrix this is L-BFGS with a Fisher-informed diagonal scaling,
// whose first step already has the right scale (an unscaled L-BFGS spends
// evaluations finding it); with a full Fisher it is a Fisher-preconditioned
// L-BFGS. Unlike the dense BFGS update (secant_update.h) the pairs outlive a
// new C, and C itself is never changed. Used by
// SecantCorrection::kLimitedMemoryBfgs.
class LimitedMemoryBfgs {
 public:
  explicit LimitedMemoryBfgs(int memory) : memory_(memory) {}

  // Factorizes C (once per new matrix; a diagonal C is kept as a vector).
  // Returns false, and HasInitialCurvature() is then false, when C is not
  // numerically positive definite or not finite.
  bool SetInitialCurvature(const Eigen::MatrixXd& curvature);
  bool HasInitialCurvature() const { return has_initial_; }

  // Stores the pair unless yᵀs ≤ 1e-10‖s‖‖y‖ (the curvature condition, which
  // keeps H positive definite); drops the oldest beyond `memory`. Returns
  // whether the pair was stored.
  bool AddPair(const Eigen::VectorXd& s, const Eigen::VectorXd& y);
  int num_pairs() const { return static_cast<int>(pairs_.size()); }
  void ClearPairs() { pairs_.clear(); }

  // d = −H g by the two-loop recursion: O(memory · p) plus two solves with
  // C (O(p²), or O(p) for a diagonal C). Requires HasInitialCurvature().
  Eigen::VectorXd Direction(const Eigen::VectorXd& gradient) const;

 private:
  struct Pair {
    Eigen::VectorXd s, y;
    double rho;  // 1 / yᵀs
  };
  Eigen::VectorXd SolveInitial(const Eigen::VectorXd& v) const;  // C⁻¹ v

  int memory_;
  std::deque<Pair> pairs_;
  bool has_initial_ = false;
  bool diagonal_ = false;
  Eigen::VectorXd diagonal_values_;
  Eigen::LLT<Eigen::MatrixXd> factor_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_LIMITED_MEMORY_BFGS_H_
