#ifndef FISHEROPT_PROBLEMS_SYNTHETIC_DATA_H_
#define FISHEROPT_PROBLEMS_SYNTHETIC_DATA_H_

#include <cstdint>

#include <Eigen/Core>

#include "linalg/types.h"
#include "problems/dataset.h"

namespace fisheropt {

// Deterministic synthetic data with known true parameters. The same arguments
// (seed included) give the same data on one platform.

struct SyntheticRegression {
  Dataset data;
  Eigen::VectorXd true_parameters;
};

// Logistic regression: column 0 is the intercept "(Intercept)", columns
// 1..p−1 are independent N(0, 1) features "x1".."x{p-1}"; β_0 = 0.25 and
// β_j ~ N(0, 4/(p−1)) so that the linear predictor has standard deviation ≈ 2
// (informative, far from separation for N ≫ p).
SyntheticRegression MakeLogisticRegressionData(int num_samples,
                                               int num_parameters,
                                               std::uint64_t seed);

struct SyntheticGaussian {
  RowMatrixXd samples;  // N × d
  Eigen::VectorXd true_mean;
  Eigen::MatrixXd true_covariance;
};

// N draws from N(μ, Σ) in d dimensions with μ_j = j − (d−1)/2 and
// Σ_jk = s_j s_k 0.5^|j−k|, s_j = 1 + j/4 (AR(1) correlation, unequal scales).
SyntheticGaussian MakeMultivariateNormalData(int num_samples, int dimension,
                                             std::uint64_t seed);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_SYNTHETIC_DATA_H_
