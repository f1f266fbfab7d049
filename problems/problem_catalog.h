#ifndef FISHEROPT_PROBLEMS_PROBLEM_CATALOG_H_
#define FISHEROPT_PROBLEMS_PROBLEM_CATALOG_H_

#include <Eigen/Core>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "problems/likelihood_model.h"

namespace fisheropt {

// The built-in problems that `fisheropt compare` and the tests share: a
// model on deterministic synthetic data (or a NIST StRD file), a start
// point, and the optimum where it is known (closed form, or NIST's certified
// values).
struct CatalogProblem {
  std::string name;
  std::string description;
  std::unique_ptr<LikelihoodModel> model;
  Eigen::VectorXd start;
  Eigen::VectorXd true_parameters;  // The parameters the data came from.
  // The exact minimizer of L where it is known (closed form for MVN and
  // Gaussian regression, NIST's certified values for NIST problems);
  // otherwise empty, and comparisons use the tightest converged solution.
  std::optional<Eigen::VectorXd> closed_form_optimum;
  std::string optimum_source = "closed form";
};

// Sizes of the built-in problems.
struct CatalogOptions {
  // "logistic": samples and parameters (intercept included).
  int logistic_samples = 20000;
  int logistic_parameters = 20;
  // "mvn": samples and dimension.
  int mvn_samples = 5000;
  int mvn_dimension = 5;
  // "probit": probit regression, samples and parameters (intercept included).
  int probit_samples = 5000;
  int probit_parameters = 10;
  // "poisson": Poisson log-linear regression.
  int poisson_samples = 5000;
  int poisson_parameters = 10;
  // "gaussian-regression": linear regression with unknown noise, θ =
  // (β, log σ); regression_parameters counts β only (intercept included).
  int regression_samples = 5000;
  int regression_parameters = 10;
  double regression_noise_sigma = 0.5;
  // "softmax": multinomial logistic regression, samples, parameters per
  // class (intercept included) and classes K (θ has p(K−1) entries).
  int softmax_samples = 4000;
  int softmax_parameters = 5;
  int softmax_classes = 4;
  // Seed of the synthetic data.
  unsigned long long seed = 20261128;
  // Folder of the NIST StRD .dat files, for the problems "nist-<Name>"
  // (e.g. "nist-Misra1a": NIST's data, start 1, certified optimum). Empty:
  // NIST problems are unavailable.
  std::string nist_directory;
};

// The catalog is the problems of the model registry (problems/
// model_registry.h) marked in_catalog, made by their entries.

// Names of the built-in problems, in the order `compare` runs them.
std::vector<std::string> CatalogProblemNames();

// Returns nullptr with a message listing the known names when `name` is not
// one of them (or a NIST problem is asked for without its folder or file).
// A GLM family's alias names its family's problem.
std::unique_ptr<CatalogProblem> MakeCatalogProblem(
    const std::string& name, const CatalogOptions& options, std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_PROBLEM_CATALOG_H_
