#include "stats/glm_fit.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "linalg/weighted_gram.h"
#include "optim/newton_solver.h"
#include "problems/design_diagnostics.h"
#include "problems/glm_model.h"
#include "problems/mle_existence.h"

namespace fisheropt {
namespace {

constexpr double kLogTwoPi = 1.8378770664093454836;

// What kind of response a family has, for the parts of a GLM fit that
// depend on it (saturated likelihood, dispersion, MLE existence).
enum class ResponseKind { kBinary, kCount, kContinuous };

ResponseKind KindOf(GlmFamilyType family) {
  switch (family) {
    case GlmFamilyType::kBernoulliLogit:
    case GlmFamilyType::kBernoulliProbit:
    case GlmFamilyType::kBernoulliCloglog:
      return ResponseKind::kBinary;
    case GlmFamilyType::kPoissonLog:
      return ResponseKind::kCount;
    case GlmFamilyType::kGaussianIdentity:
      return ResponseKind::kContinuous;
  }
  return ResponseKind::kBinary;
}

// The unit deviance d(y, μ) of one sample, from its log-likelihood ℓ at μ
// where the closed form is a difference of logs (binary: −2ℓ, the
// saturated ℓ being 0).
double UnitDeviance(ResponseKind kind, double y, double eta,
                    double log_likelihood) {
  switch (kind) {
    case ResponseKind::kBinary:
      return -2.0 * log_likelihood;
    case ResponseKind::kCount: {
      const double mu = std::exp(eta);
      return 2.0 * ((y > 0.0 ? y * std::log(y / mu) : 0.0) - (y - mu));
    }
    case ResponseKind::kContinuous:
      return (y - eta) * (y - eta);
  }
  return 0.0;
}

// The per-sample quantities of a GLM fit at γ (η = Xγ + offset), weighted by
// the prior weights and summed in row order over chunks (no N-vector of η
// or ℓ is kept, and the sums do not depend on the thread count).
struct SampleFit {
  double negative_log_likelihood = 0.0;  // −Σ w ℓ
  double deviance = 0.0;                 // Σ w d(y, μ)
  double pearson_chi2 = 0.0;             // Σ w (y − μ)² / V(μ)
  double fitted_square_sum = 0.0;        // Σ w η², the perfect-fit criterion
  int num_fitted_at_bound = 0;  // ℓ_i > −1e-8: μ numerically 0 or 1
  int num_near_bound = 0;       // ℓ_i > −1e-6 (discrete families)
};

SampleFit SummarizeSampleFit(const GlmFamily& family, ResponseKind kind,
                             const Dataset& data,
                             const Eigen::VectorXd& gamma) {
  SampleFit fit;
  const RowMatrixXd& x = data.x;
  Eigen::VectorXd eta, log_likelihood, dl_deta, expected_weight;
  for (Eigen::Index begin = 0; begin < x.rows(); begin += kRowsPerChunk) {
    const Eigen::Index count =
        std::min<Eigen::Index>(kRowsPerChunk, x.rows() - begin);
    eta = x.middleRows(begin, count) * gamma;
    if (data.HasOffset()) eta += data.offset.segment(begin, count);
    const auto y = data.y.segment(begin, count);
    family.Evaluate(eta, y, &log_likelihood, &dl_deta, nullptr);
    family.ExpectedWeights(eta, &expected_weight);
    for (Eigen::Index i = 0; i < count; ++i) {
      const double w = data.HasWeights() ? data.weights[begin + i] : 1.0;
      if (w == 0.0) continue;
      fit.negative_log_likelihood -= w * log_likelihood[i];
      // (dℓ/dη)² / E[−d²ℓ/dη²] = ((y − μ) μ'/V)² / (μ'²/V) = (y − μ)²/V.
      if (expected_weight[i] > 0.0) {
        fit.pearson_chi2 += w * dl_deta[i] * dl_deta[i] / expected_weight[i];
      }
      fit.fitted_square_sum += w * eta[i] * eta[i];
      fit.deviance += w * UnitDeviance(kind, y[i], eta[i], log_likelihood[i]);
      if (kind != ResponseKind::kContinuous) {
        if (log_likelihood[i] > -1e-8) ++fit.num_fitted_at_bound;
        if (log_likelihood[i] > -1e-6) ++fit.num_near_bound;
      }
    }
  }
  return fit;
}

// The null model's deviance: the model with only the intercept (or with no
// coefficient at all), and the offset.
//
// With an intercept and no offset, its MLE is μ = the weighted mean of y
// for every family and link here (the intercept's score equation is
// Σ w (y − μ) g(μ) = 0 with one μ for all rows), so the deviance is in
// closed form. With an offset, the intercept-only model is fitted by Fisher
// scoring on a one-column design; without an intercept, it is the model at
// β = 0 (η = offset).
bool NullDeviance(ResponseKind kind, GlmFamilyType family, const Dataset& data,
                  bool has_intercept, double* null_deviance,
                  std::string* error) {
  const Eigen::Index n = data.y.size();
  if (has_intercept && !data.HasOffset()) {
    double weight_sum = 0.0, weighted_y = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double w = data.HasWeights() ? data.weights[i] : 1.0;
      weight_sum += w;
      weighted_y += w * data.y[i];
    }
    const double mean = weighted_y / weight_sum;
    double deviance = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double w = data.HasWeights() ? data.weights[i] : 1.0;
      const double y = data.y[i];
      switch (kind) {
        case ResponseKind::kBinary:
          deviance -= 2.0 * w * (y > 0.5 ? std::log(mean) : std::log1p(-mean));
          break;
        case ResponseKind::kCount:
          deviance +=
              2.0 * w * ((y > 0.0 ? y * std::log(y / mean) : 0.0) - (y - mean));
          break;
        case ResponseKind::kContinuous:
          deviance += w * (y - mean) * (y - mean);
          break;
      }
    }
    *null_deviance = deviance;
    return true;
  }
  Dataset null_data;
  null_data.y = data.y;
  null_data.weights = data.weights;
  null_data.offset = data.offset;
  null_data.response_name = data.response_name;
  Eigen::VectorXd theta;
  if (has_intercept) {
    null_data.x = RowMatrixXd::Ones(n, 1);
    null_data.column_names = {"(Intercept)"};
    theta = Eigen::VectorXd::Zero(1);
  } else {
    // A column of zeros: η = offset whatever the coefficient.
    null_data.x = RowMatrixXd::Zero(n, 1);
    null_data.column_names = {"(none)"};
    theta = Eigen::VectorXd::Zero(1);
  }
  GlmOptions options;
  options.intercept_column = GlmOptions::kNoIntercept;
  std::string model_error;
  auto model =
      GlmModel::Create(std::move(null_data), family, options, &model_error);
  if (model == nullptr) {
    *error = "the null model: " + model_error;
    return false;
  }
  if (has_intercept) {
    SolverSummary summary;
    Solve(GlmSpec::DefaultSolverOptions(), *model, &theta, &summary);
    if (!summary.IsSolutionUsable()) {
      *error = "the null model's fit failed: " + summary.message;
      return false;
    }
  }
  *null_deviance =
      SummarizeSampleFit(model->family(), kind, model->data(), theta).deviance;
  return true;
}

std::string DescribeCovariance(CovarianceSource source) {
  switch (source) {
    case CovarianceSource::kInverseFisher:
      return "inverse expected Fisher information (as R's glm)";
    case CovarianceSource::kInverseObservedInformation:
      return "inverse observed information (Hessian)";
    case CovarianceSource::kSandwich:
      return "sandwich H^-1 F_emp H^-1 (HC0, robust)";
  }
  return "";
}

}  // namespace

SolverOptions GlmSpec::DefaultSolverOptions() {
  SolverOptions options;
  options.curvature.type = CurvatureType::kExpectedFisher;
  options.step_control = StepControlType::kLineSearch;
  options.stopping.max_iterations = 100;
  options.stopping.function_tolerance = 1e-12;
  options.stopping.parameter_tolerance = 1e-14;
  return options;
}

bool GlmSpec::IsValid(std::string* error) const {
  if (!(max_existence_check_entries >= 0.0)) {
    *error =
        fmt::format("GlmSpec::max_existence_check_entries = {} must be >= 0",
                    max_existence_check_entries);
    return false;
  }
  return solver.IsValid(error);
}

std::string GlmFit::FamilyName() const {
  switch (KindOf(family)) {
    case ResponseKind::kBinary:
      return quasi_likelihood ? "quasibinomial" : "binomial";
    case ResponseKind::kCount:
      return quasi_likelihood ? "quasipoisson" : "poisson";
    case ResponseKind::kContinuous:
      return "gaussian";
  }
  return ToString(family);
}

std::string GlmFit::Report(const std::string& call) const {
  std::string text;
  if (!call.empty()) text += "Call:\n" + call + "\n\n";
  text += fmt::format("Family: {} ({}), {} observations\n\n", FamilyName(),
                      ToString(family), num_observations);
  text += "Coefficients:\n" + FormatCoefficientTable(inference) + "\n";
  if (KindOf(family) == ResponseKind::kContinuous || quasi_likelihood) {
    text += fmt::format(
        "(Dispersion parameter for {} family taken to be {:.10g})\n\n",
        FamilyName(), dispersion);
  } else {
    text += fmt::format(
        "(Dispersion parameter for {} family taken to be 1)\n\n", FamilyName());
  }
  text += fmt::format("    Null deviance: {:.10g}  on {}  degrees of freedom\n",
                      null_deviance, df_null);
  text += fmt::format("Residual deviance: {:.10g}  on {}  degrees of freedom\n",
                      deviance, df_residual);
  // R prints NA for a number that is not defined (quasi families, a
  // perfect Gaussian fit).
  const auto number = [](double value) {
    return std::isnan(value) ? std::string("NA")
                             : fmt::format("{:.10g}", value);
  };
  text += "AIC: " + number(aic) + "\n";
  text += fmt::format("Log-likelihood: {} (df={})\n\n", number(log_likelihood),
                      num_estimated);
  text +=
      fmt::format("Optimizer: {} ({} + {}), {} iterations: {}\n",
                  summary.solver, summary.curvature, summary.step_control,
                  summary.num_iterations(), ToString(summary.termination_type));
  text +=
      "Standard errors: " + DescribeCovariance(inference.covariance_source) +
      "\n";
  if (!warnings.empty()) {
    text += "\nWarnings:\n";
    for (const std::string& warning : warnings) {
      text += "  - " + warning + "\n";
    }
  }
  return text;
}

bool FitGlm(Dataset data, const GlmSpec& spec, GlmFit* fit,
            std::string* error) {
  if (!spec.IsValid(error)) return false;
  if (!data.IsValid(error)) return false;
  const ResponseKind kind = KindOf(spec.family);
  if (spec.quasi_likelihood && kind == ResponseKind::kContinuous) {
    *error =
        "GlmSpec::quasi_likelihood is for the binomial and Poisson families; "
        "the gaussian family estimates its dispersion already";
    return false;
  }
  *fit = GlmFit();
  fit->family = spec.family;
  fit->quasi_likelihood = spec.quasi_likelihood;
  fit->response_name = data.response_name;
  std::vector<std::string>& warnings = fit->warnings;

  const int n = data.NumSamples();
  const int p_full = data.NumFeatures();
  if (n <= p_full) {
    *error = fmt::format(
        "{} rows but {} coefficients: the model needs more rows than "
        "coefficients",
        n, p_full);
    return false;
  }
  // R counts the observations of nonzero weight (nobs, df).
  int num_observations = n;
  if (data.HasWeights()) {
    num_observations = static_cast<int>((data.weights.array() > 0.0).count());
  }
  fit->num_observations = num_observations;

  const std::vector<std::string> full_names = ColumnNamesOrDefault(data);
  int intercept_columns = 0;
  for (int j = 0; j < p_full; ++j) {
    if (full_names[j] == "(Intercept)") {
      ++intercept_columns;
      if (!(data.x.col(j).array() == 1.0).all()) {
        *error = fmt::format(
            "column {} is named '(Intercept)' but is not a column of ones",
            j + 1);
        return false;
      }
    }
  }
  if (intercept_columns > 1) {
    *error = "more than one column is named '(Intercept)'";
    return false;
  }
  fit->has_intercept = intercept_columns == 1;

  // The rank is decided once, on X (R's lm rule, scale-invariant): aliased
  // columns are left out and reported as NA. The kept columns are replaced
  // by the orthonormal basis Q of their QR decomposition, so that the
  // optimizer and the inference work on a curvature QᵀWQ whose conditioning
  // does not depend on how far the predictors are from zero; estimates and
  // covariances are mapped back to X's columns at the end, both from the
  // same model.
  const DesignQr design_qr = AnalyzeDesign(data.x);
  for (int j : design_qr.aliased) {
    warnings.push_back("coefficient '" + full_names[j] +
                       "' is aliased: its column is a linear combination "
                       "of earlier columns (reported as NA, as R does)");
  }
  const std::vector<int>& kept = design_qr.kept;
  if (kept.empty()) {
    *error = "every column of the design is zero";
    return false;
  }
  const int p = static_cast<int>(kept.size());
  std::vector<std::string> kept_names;
  for (int j : kept) kept_names.push_back(full_names[j]);
  Dataset basis;
  basis.response_name = data.response_name;
  basis.y = std::move(data.y);
  basis.weights = std::move(data.weights);
  basis.offset = std::move(data.offset);
  basis.column_names = kept_names;
  if (design_qr.aliased.empty()) {
    basis.x = std::move(data.x);
  } else {
    basis.x = data.x(Eigen::all, kept);
    data.x.resize(0, 0);
  }
  OrthonormalizeDesign(design_qr, &basis.x);
  // Q's columns are not named "(Intercept)": nothing is left unpenalized or
  // treated as an intercept by the model itself.
  GlmOptions model_options;
  model_options.intercept_column = GlmOptions::kNoIntercept;
  auto model =
      GlmModel::Create(std::move(basis), spec.family, model_options, error);
  if (model == nullptr) return false;

  Eigen::VectorXd gamma = Eigen::VectorXd::Zero(p);
  SolverSummary& summary = fit->summary;
  if (spec.minimize) {
    spec.minimize(*model, &gamma, &summary);
  } else {
    Solve(spec.solver, *model, &gamma, &summary);
  }
  if (!summary.IsSolutionUsable()) {
    *error = "the optimizer failed: " + summary.message;
    return false;
  }
  bool converged = summary.termination_type == TerminationType::kConvergence;
  if (!converged) {
    warnings.push_back("did not converge (" + summary.message +
                       "); the estimates are the last good point");
  }
  const Eigen::VectorXd beta = CoefficientsInDesignBasis(design_qr, gamma);

  const Dataset& fitted = model->data();
  const SampleFit sample_fit =
      SummarizeSampleFit(model->family(), kind, fitted, gamma);
  const int fitted_at_bound = sample_fit.num_fitted_at_bound;

  // Whether the MLE exists: a linear program on the design (separation for
  // binary responses, zero-count directions for Poisson), run when some
  // sample is fitted to within 1e-6 of a likelihood of 1 (ℓ_i > −1e-6) or
  // the optimizer stopped early: without either the estimate is interior.
  // Rows of weight 0 are not part of the likelihood and leave the program.
  if (kind != ResponseKind::kContinuous) {
    const bool near_bound = !converged || sample_fit.num_near_bound > 0;
    MleExistence existence;
    const double entries = static_cast<double>(n) * p;
    bool checked = false;
    if (near_bound && entries > spec.max_existence_check_entries) {
      warnings.push_back(fmt::format(
          "{} samples are fitted at the boundary and the design is too "
          "large ({} x {}) for the linear program that checks whether the "
          "MLE exists; the estimates may be diverging",
          fitted_at_bound, n, p));
    } else if (near_bound) {
      std::string lp_error;
      bool solved = false;
      if (fitted.HasWeights() && num_observations < n) {
        std::vector<int> rows;
        for (int i = 0; i < n; ++i) {
          if (fitted.weights[i] > 0.0) rows.push_back(i);
        }
        const RowMatrixXd x_rows = fitted.x(rows, Eigen::all);
        const Eigen::VectorXd y_rows = fitted.y(rows);
        solved = CheckMleExistence(x_rows, y_rows, spec.family, &existence,
                                   &lp_error);
      } else {
        solved = CheckMleExistence(fitted.x, fitted.y, spec.family, &existence,
                                   &lp_error);
      }
      if (!solved) {
        warnings.push_back("the MLE existence check failed: " + lp_error);
      } else {
        checked = true;
      }
    }
    if (checked && !existence.exists) {
      fit->mle_exists = false;
      Eigen::VectorXd direction =
          CoefficientsInDesignBasis(design_qr, existence.direction);
      direction /= direction.stableNorm();
      const std::string along = DescribeDirection(direction, kept_names);
      if (kind == ResponseKind::kBinary) {
        warnings.push_back(fmt::format(
            "separation: the data are (quasi-)completely separated along {} "
            "({} samples strictly); the MLE does not exist (the "
            "coefficients diverge), so the estimates and standard errors "
            "are not meaningful",
            along, existence.num_separated_rows));
      } else {
        warnings.push_back(fmt::format(
            "the MLE does not exist: the likelihood keeps increasing along "
            "{}, which lowers toward 0 the fitted means of {} samples whose "
            "counts are all zero and changes no other (e.g. a group whose "
            "counts are all zero); the coefficients diverge, so the "
            "estimates and standard errors are not meaningful",
            along, existence.num_separated_rows));
      }
      converged = false;
    } else if (kind == ResponseKind::kBinary && fitted_at_bound > 0) {
      warnings.push_back(fmt::format(
          "fitted probabilities numerically 0 or 1 occurred ({} samples)",
          fitted_at_bound));
    }
  }
  fit->converged = converged;

  // Likelihood, deviances, AIC; deviances summed from their unit terms (no
  // difference of two large log-likelihoods).
  fit->deviance = sample_fit.deviance;
  if (!NullDeviance(kind, spec.family, fitted, fit->has_intercept,
                    &fit->null_deviance, error)) {
    return false;
  }
  fit->rank = p;
  fit->df_residual = num_observations - p;
  fit->df_null = num_observations - (fit->has_intercept ? 1 : 0);
  double log_likelihood = -sample_fit.negative_log_likelihood;
  int num_estimated = p;
  bool perfect_fit = false;
  if (kind == ResponseKind::kContinuous) {
    // R's gaussian()$aic with prior weights w: the log-likelihood of
    // y_i ~ N(μ_i, σ²/w_i) at σ̂² = RSS/n (n observations of nonzero
    // weight).
    const double rss = sample_fit.deviance;
    const double n_obs = num_observations;
    double log_weight_sum = 0.0;
    if (fitted.HasWeights()) {
      for (Eigen::Index i = 0; i < fitted.weights.size(); ++i) {
        if (fitted.weights[i] > 0.0) {
          log_weight_sum += std::log(fitted.weights[i]);
        }
      }
    }
    fit->sigma2_mle = rss / n_obs;
    fit->dispersion = rss / fit->df_residual;
    log_likelihood =
        -0.5 * (n_obs * (kLogTwoPi + std::log(fit->sigma2_mle) + 1.0) -
                log_weight_sum);
    num_estimated = p + 1;  // σ
    // R's summary.lm: "essentially perfect fit" when the residual variance
    // is below 1e-30 of the fitted values' second moment.
    const double fitted_moment = sample_fit.fitted_square_sum / n_obs;
    perfect_fit = !(fit->dispersion > 1e-30 * fitted_moment);
    if (perfect_fit) {
      warnings.push_back(
          "essentially perfect fit: the residuals are zero to rounding, so "
          "the dispersion, the standard errors, the log-likelihood and the "
          "AIC are not defined (reported as NA)");
      fit->dispersion = fit->sigma2_mle = log_likelihood = std::nan("");
    }
  }
  fit->pearson_chi2 = sample_fit.pearson_chi2;
  if (spec.quasi_likelihood) {
    fit->dispersion = fit->pearson_chi2 / fit->df_residual;
    log_likelihood = std::nan("");
  }
  fit->log_likelihood = log_likelihood;
  fit->num_estimated = num_estimated;
  fit->aic = -2.0 * log_likelihood + 2.0 * num_estimated;
  fit->bic = -2.0 * log_likelihood +
             std::log(static_cast<double>(num_observations)) * num_estimated;

  // Inference on the orthonormal basis, mapped back to the kept columns,
  // then NA rows for the aliased ones. The rank was decided above, so the
  // inference sets nothing aside (aliasing tolerance 0).
  InferenceOptions inference_options;
  inference_options.covariance_source = spec.covariance;
  inference_options.dispersion = perfect_fit ? 1.0 : fit->dispersion;
  inference_options.degrees_of_freedom =
      kind == ResponseKind::kContinuous || spec.quasi_likelihood
          ? fit->df_residual
          : 0.0;
  inference_options.aliasing_tolerance = 0.0;
  Eigen::MatrixXd kept_covariance =
      Eigen::MatrixXd::Constant(p, p, std::nan(""));
  InferenceResult basis_inference;
  std::string inference_error;
  if (perfect_fit) {
    // Standard errors are NA (warned above).
  } else if (!ComputeInference(inference_options, *model, gamma,
                               &basis_inference, &inference_error)) {
    warnings.push_back("standard errors are not available: " + inference_error);
  } else {
    kept_covariance =
        ScaledCovarianceInDesignBasis(design_qr, basis_inference.covariance);
  }
  Eigen::MatrixXd full_covariance =
      Eigen::MatrixXd::Constant(p_full, p_full, std::nan(""));
  Eigen::VectorXd full_beta = Eigen::VectorXd::Constant(p_full, std::nan(""));
  Eigen::VectorXd full_scale = Eigen::VectorXd::Ones(p_full);
  for (int k = 0; k < p; ++k) {
    full_beta[kept[k]] = beta[k];
    full_scale[kept[k]] = design_qr.column_scale[k];
    for (int l = 0; l < p; ++l) {
      full_covariance(kept[k], kept[l]) = kept_covariance(k, l);
    }
  }
  if (!ComputeInferenceFromCovariance(inference_options, full_names, full_beta,
                                      full_covariance, &full_scale,
                                      &fit->inference, error)) {
    return false;
  }
  fit->names = full_names;
  fit->estimates = full_beta;
  fit->aliased.assign(p_full, false);
  for (int j : design_qr.aliased) fit->aliased[j] = true;
  return true;
}

}  // namespace fisheropt
