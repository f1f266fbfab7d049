#ifndef FISHEROPT_STATS_MULTINOMIAL_H_
#define FISHEROPT_STATS_MULTINOMIAL_H_

#include <Eigen/Core>
#include <string>
#include <vector>

#include "optim/solver_summary.h"
#include "stats/data_frame.h"
#include "stats/model_frame.h"

namespace fisheropt {

// A multinomial logistic regression (nnet::multinom) fitted from a formula:
// the classes are the response's levels (sorted bytewise, as the model
// frame's factors), the first is the baseline.
struct MultinomialFit {
  std::vector<std::string> classes;
  std::vector<std::string> column_names;  // the design's columns
  // (K − 1) × p: row k − 1 is class k's coefficients against the baseline.
  Eigen::MatrixXd coefficients, std_errors;
  // Class-major ((k − 1) p + j), from the inverse Fisher information (= the
  // Hessian of the canonical softmax).
  Eigen::MatrixXd covariance;
  double deviance = 0.0;        // −2 loglik
  double log_likelihood = 0.0;  // Σ w log μ_{i, y_i}
  double aic = 0.0, bic = 0.0;  // with edf = (K − 1) p; BIC's n = Σ w
  int edf = 0;
  double num_observations = 0.0;  // Σ w
  bool converged = false;
  SolverSummary summary;
};

// R's multinom(formula, data, weights): the response must be a text column
// (or a numeric one, whose values are the levels); frame_options'
// weights_column gives frequency weights, which must be whole counts (each
// row counts that many times). Fisher scoring (= Newton) from 0, then up
// to three Newton steps kept while they lower the gradient's norm. False
// with a one-line message naming the column or the problem.
bool FitMultinomial(const std::string& formula, const DataFrame& data,
                    const ModelFrameOptions& frame_options, MultinomialFit* fit,
                    std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_STATS_MULTINOMIAL_H_
