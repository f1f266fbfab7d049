#ifndef FISHEROPT_PROBLEMS_SYNTHETIC_DATA_H_
#define FISHEROPT_PROBLEMS_SYNTHETIC_DATA_H_

#include <Eigen/Core>
#include <cstdint>

#include "linalg/types.h"
#include "problems/dataset.h"
#include "problems/glm_family.h"

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

// A GLM of any family on the same design as above (intercept + N(0, 1)
// features), responses drawn by the family's own sampler. True parameters:
//   probit    β_0 = 0.25, β_j ~ N(0, 1/(p−1))     (sd of η ≈ 1)
//   cloglog   β_0 = −0.5, β_j ~ N(0, 1/(p−1))
//   poisson   β_0 = 1.0,  β_j ~ N(0, 0.25/(p−1))  (mean counts ≈ e ≈ 2.7)
//   gaussian  β_0 = 1.0,  β_j ~ N(0, 1/(p−1))     (unit noise, φ = 1)
//   logistic  as MakeLogisticRegressionData's β (different draws).
SyntheticRegression MakeGlmRegressionData(GlmFamilyType family, int num_samples,
                                          int num_parameters,
                                          std::uint64_t seed);
// Shorthands for the catalog problems.
SyntheticRegression MakeProbitRegressionData(int num_samples,
                                             int num_parameters,
                                             std::uint64_t seed);
SyntheticRegression MakePoissonRegressionData(int num_samples,
                                              int num_parameters,
                                              std::uint64_t seed);

// Linear regression with unknown noise: y = Xβ + σε on the design above with
// β_0 = 1, β_j ~ N(0, 1/(p−1)). true_parameters = (β, log σ), the
// GaussianRegressionModel's θ.
SyntheticRegression MakeGaussianRegressionData(int num_samples,
                                               int num_parameters,
                                               double noise_sigma,
                                               std::uint64_t seed);

// Softmax (multinomial logistic) regression with K classes on the design
// above (intercept + N(0, 1) features), labels y_i ∈ {0, …, K−1} drawn from
// the categorical μ_i. Class 0 is the reference; class k ≥ 1 has intercept
// 0.5 − 0.25k and slopes ~ N(0, 2/(p−1)). true_parameters is class-major
// (β_1, …, β_{K−1}), SoftmaxModel's θ.
SyntheticRegression MakeSoftmaxRegressionData(int num_samples,
                                              int num_parameters,
                                              int num_classes,
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
