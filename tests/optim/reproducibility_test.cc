// Same inputs and seed → bit-identical results, and the thread count changes
// nothing: every reduction adds its chunk sums in chunk order over chunks
// fixed by the data (linalg/parallel_chunks.h), and Monte Carlo draws belong
// to rows (problems/row_random.h). So fits with 1, 2 and 3 threads agree bit
// for bit: estimates, iterates, gradients and curvature matrices.

#include <gtest/gtest.h>
#include <omp.h>

#include <string>
#include <vector>

#include "fisher/monte_carlo_fisher.h"
#include "optim/newton_solver.h"
#include "problems/problem_catalog.h"

namespace fisheropt {
namespace {

std::unique_ptr<CatalogProblem> Logistic() {
  CatalogOptions catalog;
  catalog.logistic_samples = 4000;  // several chunks per thread
  catalog.logistic_parameters = 8;
  std::string error;
  return MakeCatalogProblem("logistic", catalog, &error);
}

SolverSummary SolveWith(const CatalogProblem& problem, CurvatureType type,
                        Eigen::VectorXd* theta) {
  SolverOptions options;
  options.curvature.type = type;
  options.curvature.seed = 77;
  options.stopping.function_tolerance = 1e-14;
  *theta = problem.start;
  SolverSummary summary;
  Solve(options, *problem.model, theta, &summary);
  return summary;
}

TEST(ReproducibilityTest, SameSeedGivesBitIdenticalRunsAndTraces) {
  auto problem = Logistic();
  Eigen::VectorXd first, second;
  const SolverSummary a =
      SolveWith(*problem, CurvatureType::kMonteCarloFisher, &first);
  const SolverSummary b =
      SolveWith(*problem, CurvatureType::kMonteCarloFisher, &second);
  EXPECT_EQ(first, second);
  ASSERT_EQ(a.iterations.size(), b.iterations.size());
  for (size_t i = 0; i < a.iterations.size(); ++i) {
    EXPECT_EQ(a.iterations[i].cost, b.iterations[i].cost);
    EXPECT_EQ(a.iterations[i].gradient_max_norm,
              b.iterations[i].gradient_max_norm);
    EXPECT_EQ(a.iterations[i].step_norm, b.iterations[i].step_norm);
    EXPECT_EQ(a.iterations[i].quadratic_form, b.iterations[i].quadratic_form);
  }
}

// What a fit produces: the estimate, its trace, and at the estimate the
// gradient and every curvature the model has (expected Fisher, empirical
// Fisher ΣsᵢsᵢᵀΣ, a Monte Carlo Fisher of 2 draws).
struct FitRecord {
  Eigen::VectorXd theta;
  SolverSummary summary;
  double value = 0.0;
  Eigen::VectorXd gradient;
  Eigen::MatrixXd expected_fisher;
  Eigen::MatrixXd empirical_fisher;
  Eigen::MatrixXd monte_carlo_fisher;
};

FitRecord Fit(const CatalogProblem& problem, const SolverOptions& options) {
  FitRecord record;
  record.theta = problem.start;
  Solve(options, *problem.model, &record.theta, &record.summary);
  const LikelihoodModel& model = *problem.model;
  model.Evaluate(record.theta, &record.value, &record.gradient);
  model.ExpectedFisher(record.theta, &record.expected_fisher);
  model.ScoreOuterProductSum(record.theta, model.ObservedResponses(),
                             &record.empirical_fisher);
  MonteCarloFisher monte_carlo(model, 2, 5);
  std::string error;
  EXPECT_TRUE(
      monte_carlo.Compute(record.theta, &record.monte_carlo_fisher, &error))
      << error;
  return record;
}

void ExpectBitwiseEqual(const FitRecord& a, const FitRecord& b,
                        const std::string& what) {
  EXPECT_EQ(a.summary.termination_type, b.summary.termination_type) << what;
  EXPECT_EQ(a.summary.num_iterations(), b.summary.num_iterations()) << what;
  EXPECT_EQ(a.theta, b.theta) << what;
  EXPECT_EQ(a.summary.final_cost, b.summary.final_cost) << what;
  ASSERT_EQ(a.summary.iterations.size(), b.summary.iterations.size()) << what;
  for (size_t i = 0; i < a.summary.iterations.size(); ++i) {
    EXPECT_EQ(a.summary.iterations[i].cost, b.summary.iterations[i].cost)
        << what << ", iteration " << i;
    EXPECT_EQ(a.summary.iterations[i].gradient_max_norm,
              b.summary.iterations[i].gradient_max_norm)
        << what << ", iteration " << i;
  }
  EXPECT_EQ(a.value, b.value) << what;
  EXPECT_EQ(a.gradient, b.gradient) << what;
  EXPECT_EQ(a.expected_fisher, b.expected_fisher) << what;
  EXPECT_EQ(a.empirical_fisher, b.empirical_fisher) << what;
  EXPECT_EQ(a.monte_carlo_fisher, b.monte_carlo_fisher) << what;
}

struct Configuration {
  std::string name;
  SolverOptions options;
};

std::vector<Configuration> Configurations() {
  std::vector<Configuration> configurations;
  SolverOptions scoring;
  scoring.curvature.type = CurvatureType::kExpectedFisher;
  scoring.stopping.function_tolerance = 1e-14;
  configurations.push_back({"fisher-scoring", scoring});
  SolverOptions monte_carlo = scoring;
  monte_carlo.curvature.type = CurvatureType::kMonteCarloFisher;
  monte_carlo.curvature.seed = 77;
  configurations.push_back({"monte-carlo-fisher", monte_carlo});
  // A float Fisher on a row subset: the kernel's sparse, gathered path.
  SolverOptions subsampled = scoring;
  subsampled.curvature.subsample.rows_per_parameter = 50.0;
  subsampled.curvature.precision = GramPrecision::kSingle;
  configurations.push_back({"subsampled-single", subsampled});
  // Matrix-free: Hessian-vector products and the diagonal (chunk sums).
  SolverOptions truncated = scoring;
  truncated.curvature.type = CurvatureType::kHessian;
  truncated.linear_solver.type = LinearSolverType::kConjugateGradient;
  configurations.push_back({"truncated-newton", truncated});
  return configurations;
}

// The same fits with 1, 2 and 3 threads agree bit for bit. The
// problems: logistic regression at the catalog's full size (N = 20000,
// p = 20: 40 chunks), Poisson (N = 5000) and softmax (N = 4000, K = 4),
// each with the expected Fisher, a Monte Carlo Fisher, a subsampled float
// Fisher and matrix-free truncated Newton; and the multivariate normal
// (its Monte Carlo Fisher samples rows in parallel).
TEST(ReproducibilityTest, ThreadCountDoesNotChangeAnyBit) {
  const int saved = omp_get_max_threads();
  CatalogOptions catalog;
  for (const std::string name : {"logistic", "poisson", "softmax", "mvn"}) {
    std::string error;
    const auto problem = MakeCatalogProblem(name, catalog, &error);
    ASSERT_NE(problem, nullptr) << error;
    for (const Configuration& configuration : Configurations()) {
      const bool closed_form_only = name == "mvn" &&
                                    configuration.name != "fisher-scoring" &&
                                    configuration.name != "monte-carlo-fisher";
      if (closed_form_only) continue;  // no row subsets or Hessian products
      std::vector<FitRecord> records;
      for (const int num_threads : {1, 2, 3}) {
        omp_set_num_threads(num_threads);
        records.push_back(Fit(*problem, configuration.options));
      }
      omp_set_num_threads(saved);
      const std::string what = name + " / " + configuration.name;
      EXPECT_EQ(records[0].summary.termination_type,
                TerminationType::kConvergence)
          << what << ": " << records[0].summary.message;
      for (size_t k = 1; k < records.size(); ++k) {
        ExpectBitwiseEqual(records[0], records[k],
                           what + ", " + std::to_string(k + 1) + " threads");
      }
    }
  }
}

}  // namespace
}  // namespace fisheropt
