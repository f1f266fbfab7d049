#ifndef FISHEROPT_STATS_GLM_FIT_H_
#define FISHEROPT_STATS_GLM_FIT_H_

#include <Eigen/Core>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "distributed/communicator.h"
#include "fisher/inference.h"
#include "optim/solver_options.h"
#include "optim/solver_summary.h"
#include "problems/dataset.h"
#include "problems/glm_family.h"
#include "problems/glm_link.h"
#include "problems/likelihood_model.h"
#include "stats/data_frame.h"
#include "stats/model_frame.h"
#include "stats/robust_covariance.h"

namespace fisheropt {

// How to fit a GLM: the family, the solver and its stopping rules, and the
// covariance of the inference table. The defaults are those of
// `fisheropt fit`: Fisher scoring from R's start until the relative change
// of the NLL is below 1e-12, then up to three Newton steps kept while they
// lower the gradient's norm (GlmFit::polishing_steps), which take the
// estimates to the last digits a cost-based rule cannot resolve; standard
// errors from the inverse expected Fisher information, as R's summary.glm.
struct GlmSpec {
  // The family, as R's family objects: a distribution and a link (R's
  // default link, the canonical one, when not given). The pairs R refuses
  // (binomial with the inverse link, ...) are refused with the list of
  // allowed links.
  GlmDistribution distribution = GlmDistribution::kBinomial;
  std::optional<GlmLink> link;
  // The negative binomial's θ, fixed (MASS's negative.binomial(theta));
  // required for GlmDistribution::kNegativeBinomial, ignored otherwise.
  // FitNegativeBinomial (stats/negative_binomial.h) estimates it.
  std::optional<double> theta;
  // The minimizer and its stopping rules (optim/solver_options.h):
  // DefaultSolverOptions() unless the caller sets others.
  SolverOptions solver = DefaultSolverOptions();
  // When set, runs instead of the minimizer above (the command line's Ceres
  // baselines): minimizes `model` from *theta in place, with the stopping
  // rules of solver.stopping.
  std::function<void(const LikelihoodModel& model, Eigen::VectorXd* theta,
                     SolverSummary* summary)>
      minimize;
  CovarianceSource covariance = CovarianceSource::kInverseFisher;
  // When not kNone, the inference table's covariance is R's
  // sandwich::vcovHC of this type instead (stats/robust_covariance.h), or
  // sandwich::vcovCL with the clusters below (HC0 or HC1).
  RobustCovariance robust = RobustCovariance::kNone;
  // Cluster ids, one per row of the Dataset (FitGlm(Dataset, ...)); for a
  // formula fit, cluster_column names the data frame's column (numbers or
  // text; a missing value in a row the fit uses is an error) instead.
  // Either one needs `robust` HC0 or HC1.
  std::vector<int> clusters;
  std::string cluster_column;
  // R's quasibinomial / quasipoisson: the same estimates, with the
  // dispersion φ̂ = Pearson χ² / df_residual scaling the covariance, t
  // statistics on df_residual, and no likelihood (log-likelihood, AIC and
  // BIC are NaN). Only for the binomial and Poisson families (the others
  // estimate φ̂ already).
  bool quasi_likelihood = false;
  // Designs with more entries than this (N·p) skip the linear program that
  // decides whether the MLE exists (a warning says so).
  double max_existence_check_entries = 5e7;
  // The processes of a data-parallel fit (distributed/communicator.h), or
  // nullptr (the default): one process holds every row. With a
  // communicator, each process passes its own contiguous part of the rows,
  // in rank order, and every row sum of the fit is reduced across the
  // processes in a fixed order — the design's QR (TSQR), the start, value,
  // gradient and curvatures (distributed/distributed_model.h), deviances,
  // Pearson χ², counts — so every process returns the same fit, that of all
  // rows to rounding. Each process needs at least as many rows as the design
  // has columns. Row-subsampled curvatures are refused with more than one
  // process. Only FitGlm reads it: FitNegativeBinomial's θ and
  // FitMultinomial sum over rows of their own and must be given every row.
  const Communicator* communicator = nullptr;

  // Expected Fisher + Armijo line search ("fisher-scoring"), at most 100
  // iterations, relative function tolerance 1e-12, parameter tolerance
  // 1e-14: the command line's defaults.
  static SolverOptions DefaultSolverOptions();
  // The solver's checks (SolverOptions::IsValid) and the family's (θ only
  // when set: FitGlm requires it, FitNegativeBinomial estimates it).
  bool IsValid(std::string* error) const;
  // link, or the distribution's canonical link.
  GlmLink LinkOrDefault() const;
  // The family of distribution, LinkOrDefault() and (negative binomial)
  // theta; nullptr with a message for a pair R refuses or a bad θ.
  std::unique_ptr<GlmFamily> CreateFamily(std::string* error) const;
};

// A fitted GLM: what R's glm and summary.glm report, for every column of the
// design (aliased ones included, as NA).
struct GlmFit {
  GlmDistribution distribution = GlmDistribution::kBinomial;
  GlmLink link = GlmLink::kLogit;
  std::string response_name;
  int num_observations = 0;  // N (rows with weight 0 included, as R)
  // The rows each process held (GlmSpec::communicator), in rank order; one
  // entry, all rows, for a fit in one process.
  std::vector<long> rows_per_process;
  // One per design column, in order; an aliased column's estimate is NaN
  // and its inference row says "aliased".
  std::vector<std::string> names;
  Eigen::VectorXd estimates;
  std::vector<bool> aliased;
  // GlmSpec::robust, and the number of clusters of a cluster-robust
  // covariance (0 without clusters).
  RobustCovariance robust = RobustCovariance::kNone;
  int num_clusters = 0;
  // Coefficient table and covariance (NaN rows/columns for aliased
  // coefficients), scaled by the dispersion where the family estimates one.
  InferenceResult inference;
  bool has_intercept = false;
  // The MLE exists (no separation, no zero-count direction) and the solver
  // converged.
  bool converged = false;
  bool mle_exists = true;
  // R's logLik: from the family's aic (R's family$aic), with φ̂ = deviance/n
  // for gaussian, Gamma and inverse.gaussian; NaN for the quasi families and
  // an essentially perfect Gaussian fit.
  double log_likelihood = 0.0;
  double deviance = 0.0;
  double null_deviance = 0.0;
  double aic = 0.0;
  double bic = 0.0;
  bool quasi_likelihood = false;  // GlmSpec::quasi_likelihood
  // φ̂ = Pearson χ² / df_residual for the families with a dispersion
  // (gaussian: RSS/(n − p); Gamma, inverse.gaussian) and the quasi
  // families; 1 for binomial and poisson, as R's summary.glm.
  double dispersion = 1.0;
  double pearson_chi2 = 0.0;  // Σ w (y − μ)² / V(μ)
  double sigma2_mle = 0.0;    // Gaussian: RSS/n
  int num_estimated = 0;      // rank, plus 1 for an estimated σ
  int rank = 0;               // kept (non-aliased) columns
  int df_residual = 0;        // N − rank
  int df_null = 0;            // N − 1 with an intercept, else N
  SolverSummary summary;
  // Newton steps taken after the solver converged, each kept only when it
  // lowered the gradient's norm (0–3): they take the estimates from the
  // √(machine ε) a cost-based stopping rule resolves to the last digits.
  int polishing_steps = 0;
  // The model frame of a formula fit (its variables, factor levels, term
  // coding and offset column; the data themselves are not kept): what
  // PredictGlm needs to code new data. Empty formula_text for a fit of a
  // Dataset.
  ModelFrame frame;
  // Everything a reader must know (aliasing, non-convergence, separation,
  // perfect fit, dropped rows), one sentence each.
  std::vector<std::string> warnings;

  // R's name of the family ("binomial", "poisson", "gaussian", "Gamma",
  // "inverse.gaussian", "quasibinomial", "quasipoisson") and of the link.
  std::string FamilyName() const;
  std::string LinkName() const;
  // The summary as R prints it: coefficient table, dispersion line,
  // deviances with degrees of freedom, AIC, log-likelihood, then the
  // solver's line and the warnings. `call` is echoed first when not empty.
  std::string Report(const std::string& call = "") const;
};

// Fits the GLM y ~ X of `data` (prior weights and offset as in R's glm; a
// column named "(Intercept)" of ones is the intercept). The rank is decided
// once on X (R's lm rule, scale-invariant), the kept columns are fitted in
// the orthonormal basis of their QR decomposition and estimates and
// covariance are mapped back, both from one model
// (problems/design_diagnostics.h). Returns false with a one-line message
// when the data or the spec are bad or the solver fails outright; a fit
// that did not converge, or whose MLE does not exist, returns true with
// converged = false and a warning.
bool FitGlm(Dataset data, const GlmSpec& spec, GlmFit* fit, std::string* error);

// The same from a formula on a data frame (R's glm(formula, family, data,
// weights, offset)): stats/formula.h parses it, stats/model_frame.h builds
// the design (factors, interactions, offsets, cbind() counts, weights), and
// fit->frame keeps what predicts new data. Errors name the formula's
// position, the column or the line. For example:
//
//   DataFrame data;  // DataFrameFromCsv(table, &data, &error)
//   GlmSpec spec;
//   spec.distribution = GlmDistribution::kPoisson;
//   GlmFit fit;
//   if (FitGlm("breaks ~ wool * tension", data, spec, {}, &fit, &error))
//     std::cout << fit.Report();
bool FitGlm(const std::string& formula, const DataFrame& data,
            const GlmSpec& spec, const ModelFrameOptions& frame_options,
            GlmFit* fit, std::string* error);

// R's predict.glm(fit, newdata, type, se.fit = TRUE).
enum class PredictionType {
  kLink,      // η = xᵀβ + offset
  kResponse,  // μ = g⁻¹(η)
};
struct GlmPrediction {
  Eigen::VectorXd fit;
  // √(xᵀ Cov(β̂) x) on the link scale, times |dμ/dη| on the response scale
  // (the delta method, as R); Cov(β̂) includes the dispersion. Aliased
  // coefficients count as 0, as R's prediction from a rank-deficient fit.
  Eigen::VectorXd se_fit;
};
// Predictions for the rows of `newdata`, coded with the fit's frame (a
// level the fit never saw is an error naming it). Only for formula fits.
bool PredictGlm(const GlmFit& fit, const DataFrame& newdata,
                PredictionType type, GlmPrediction* prediction,
                std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_STATS_GLM_FIT_H_
