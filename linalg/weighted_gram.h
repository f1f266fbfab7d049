#ifndef FISHEROPT_LINALG_WEIGHTED_GRAM_H_
#define FISHEROPT_LINALG_WEIGHTED_GRAM_H_

#include <Eigen/Core>

#include "linalg/types.h"

namespace fisheropt {

// Rows per chunk in the data-walking kernels: a chunk of X (kRowsPerChunk × p
// doubles) stays in cache while it is used for both passes that need it.
inline constexpr int kRowsPerChunk = 512;

// The weighted Gram matrix
//
//   C = Xᵀ diag(w) X = Σ_i w_i x_i x_iᵀ      (x_i = row i of X),
//
// the single kernel behind every GLM curvature: the Hessian, the expected,
// empirical and Monte Carlo Fisher differ only in the weights w. Weights may
// have either sign (observed information of a non-canonical link can be
// indefinite): C is accumulated as a symmetric rank-k update of
// diag(√|w|) X_chunk, with positive and negative weights in separate updates
// and rows of weight 0 skipped (the others gathered into full-size updates).
// Blocked over rows (no N×p temporary): blocks of whole kRowsPerChunk-row
// chunks with a number of non-zero-weight rows that depends on p and the
// weights only (weighted_gram.cc), each summed from zero by one OpenMP
// thread, the block sums added in block order — so the result is bitwise the
// same for every thread count. A non-finite
// weight makes the whole result NaN (never a silently dropped sample).
enum class GramPrecision {
  // Every product and sum in double (the default).
  kDouble,
  // The rows √|w_i| x_i rounded to float and each rank-k update (k =
  // kRowsPerChunk gathered rows) done in float, twice as many values per
  // SIMD register as double; those sums are added in double. No float copy
  // of X (the conversion is per chunk), and a componentwise error of a few
  // 1e-7 · Σ_i |w_i x_ij x_ik| — scale-invariant, so column scales do not
  // matter, only the conditioning of the Jacobi-scaled C does. Meant for the
  // curvature of Newton-like steps, whose fixed point depends only on the
  // (double) gradient.
  kSingle,
};

void WeightedGram(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                  Eigen::MatrixXd* gram,
                  GramPrecision precision = GramPrecision::kDouble);

// Matrix-free product Xᵀ diag(w) X v, without forming C: one pass over the
// row chunks of X, each chunk used twice while in cache (X_c v, then
// X_cᵀ (w ⊙ X_c v)); chunk sums added in chunk order (ParallelChunkSum):
// bitwise the same for every thread count.
void WeightedGramApply(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                       const Eigen::VectorXd& v, Eigen::VectorXd* product);

}  // namespace fisheropt

#endif  // FISHEROPT_LINALG_WEIGHTED_GRAM_H_
