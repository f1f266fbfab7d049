#ifndef FISHEROPT_BENCH_MACHINE_FIGURES_H_
#define FISHEROPT_BENCH_MACHINE_FIGURES_H_

#include <Eigen/Core>

#include "linalg/types.h"

namespace fisheropt {
namespace bench {

// C += Σ_i w_i x_i x_iᵀ with OpenBLAS dsyrk on √w-scaled row chunks, one
// OpenBLAS thread per OpenMP thread: the best way we found to call dsyrk
// for this kernel (one dsyrk over all of X is far slower with the pthread
// OpenBLAS of Debian 12). The baseline our kernel is measured against.
void OpenBlasWeightedGram(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                          Eigen::MatrixXd* gram);

// Floating-point operations of a symmetric rank-N update of a p × p matrix.
inline double GramFlops(double n, double p) { return n * p * (p + 1.0); }

// Read bandwidth in GB/s: the best of a few sums over a buffer of doubles.
double MeasureReadBandwidth(const Eigen::Ref<const Eigen::VectorXd>& buffer);

// Peak resident memory of this process so far, in bytes (getrusage).
double PeakResidentBytes();

}  // namespace bench
}  // namespace fisheropt

#endif  // FISHEROPT_BENCH_MACHINE_FIGURES_H_
