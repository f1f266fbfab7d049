#ifndef FISHEROPT_LINALG_TYPES_H_
#define FISHEROPT_LINALG_TYPES_H_

#include <Eigen/Core>

namespace fisheropt {

// Design matrices and per-sample data are stored row-major: one sample per
// contiguous row, so that a chunk of samples is one contiguous block. Every
// kernel that walks the data (value, gradient, curvature) works chunk by chunk.
using RowMatrixXd =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace fisheropt

#endif  // FISHEROPT_LINALG_TYPES_H_
