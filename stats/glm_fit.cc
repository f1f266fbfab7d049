#include "stats/glm_fit.h"

#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <utility>

#include "distributed/distributed_model.h"
#include "linalg/weighted_gram.h"
#include "optim/newton_solver.h"
#include "problems/design_diagnostics.h"
#include "problems/glm_link.h"
#include "problems/glm_model.h"
#include "problems/mle_existence.h"

namespace fisheropt {
namespace {

bool IsBinomial(const GlmFamily& family) {
  return family.distribution() == GlmDistribution::kBinomial;
}

// The per-sample quantities of a GLM fit at γ (η = Xγ + offset), weighted by
// the prior weights and summed in row order over chunks (the sums do not
// depend on the thread count). μ is kept (one N-vector) for the family's
// AIC, which needs the total deviance first.
struct SampleFit {
  double log_likelihood = 0.0;     // Σ w ℓ (the family's ℓ at φ = 1)
  double deviance = 0.0;           // Σ w d(y, μ)
  double pearson_chi2 = 0.0;       // Σ w (y − μ)² / V(μ)
  double log_choose_sum = 0.0;     // binomial: Σ log C(round(w), round(w y))
  double fitted_square_sum = 0.0;  // Σ w η², the perfect-fit criterion
  int num_fitted_at_bound = 0;     // ℓ_i > −1e-8: μ numerically 0 or 1
  int num_near_bound = 0;          // ℓ_i > −1e-6 (discrete families)
  Eigen::VectorXd mean;            // μ
};

// Binomial unit deviances come from the family's exact ℓ (finite and
// accurate where μ rounds to 0 or 1): d = 2(ℓ_sat − ℓ) with
// ℓ_sat = y log y + (1 − y) log(1 − y); the others from UnitDeviance, whose
// form does not cancel near y = μ.
SampleFit SummarizeSampleFit(const GlmFamily& family, const Dataset& data,
                             const Eigen::VectorXd& gamma,
                             const Communicator& communicator) {
  SampleFit fit;
  const RowMatrixXd& x = data.x;
  const bool binomial = IsBinomial(family);
  // The families without a dispersion are the discrete ones.
  const bool discrete = !family.HasDispersion();
  fit.mean.resize(x.rows());
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
      const double mu = family.Mean(eta[i]);
      fit.mean[begin + i] = mu;
      const double w = data.HasWeights() ? data.weights[begin + i] : 1.0;
      if (w == 0.0) continue;
      const double yi = y[i];
      fit.log_likelihood += w * log_likelihood[i];
      fit.fitted_square_sum += w * eta[i] * eta[i];
      // (dℓ/dη)² / E[−d²ℓ/dη²] = ((y − μ) μ'/V)² / (μ'²/V) = (y − μ)²/V.
      if (expected_weight[i] > 0.0) {
        fit.pearson_chi2 += w * dl_deta[i] * dl_deta[i] / expected_weight[i];
      }
      if (binomial) {
        const double saturated =
            (yi > 0.0 ? yi * std::log(yi) : 0.0) +
            (yi < 1.0 ? (1.0 - yi) * std::log1p(-yi) : 0.0);
        fit.deviance += 2.0 * w * (saturated - log_likelihood[i]);
        const double trials = std::round(w);
        const double successes = std::round(w * yi);
        fit.log_choose_sum += std::lgamma(trials + 1.0) -
                              std::lgamma(successes + 1.0) -
                              std::lgamma(trials - successes + 1.0);
      } else {
        fit.deviance += w * family.UnitDeviance(yi, mu);
      }
      if (discrete) {
        if (log_likelihood[i] > -1e-8) ++fit.num_fitted_at_bound;
        if (log_likelihood[i] > -1e-6) ++fit.num_near_bound;
      }
    }
  }
  if (communicator.size() > 1) {
    double sums[7] = {fit.log_likelihood,
                      fit.deviance,
                      fit.pearson_chi2,
                      fit.log_choose_sum,
                      fit.fitted_square_sum,
                      static_cast<double>(fit.num_fitted_at_bound),
                      static_cast<double>(fit.num_near_bound)};
    communicator.SumInPlace(sums, 7);
    fit.log_likelihood = sums[0];
    fit.deviance = sums[1];
    fit.pearson_chi2 = sums[2];
    fit.log_choose_sum = sums[3];
    fit.fitted_square_sum = sums[4];
    fit.num_fitted_at_bound = static_cast<int>(sums[5]);
    fit.num_near_bound = static_cast<int>(sums[6]);
  }
  return fit;
}

// Newton steps from the solver's optimum, each kept only when it lowers the
// gradient's norm: near the optimum the cost changes by less than its own
// rounding (a parameter error ε changes it by ~ε², so cost-based rules stop
// at ε ~ √(machine ε)), while the gradient still resolves ε to the last
// digits. Returns the number of steps kept (at most 3).
//
// The Hessian is formed and factored once, at the solver's optimum, and
// every step solves with that factor (a simplified Newton iteration): the
// optimum is within ~√ε of the MLE, so the Hessian moves by ~√ε relative
// over the steps and each step still divides the error by ~1/√ε — as good
// as exact Newton here, at one Hessian pass instead of three.
int PolishWithNewtonSteps(const LikelihoodModel& model,
                          Eigen::VectorXd* gamma) {
  double value = 0.0;
  Eigen::VectorXd gradient, trial_gradient;
  if (!model.Evaluate(*gamma, &value, &gradient)) return 0;
  Eigen::MatrixXd hessian;
  if (!model.Hessian(*gamma, &hessian)) return 0;
  const Eigen::LLT<Eigen::MatrixXd> llt(hessian);
  if (llt.info() != Eigen::Success) return 0;
  int kept = 0;
  for (int step = 0; step < 3; ++step) {
    const Eigen::VectorXd trial = *gamma - llt.solve(gradient);
    if (!model.Evaluate(trial, &value, &trial_gradient) ||
        !trial_gradient.allFinite() ||
        !(trial_gradient.norm() < gradient.norm())) {
      break;
    }
    *gamma = trial;
    gradient.swap(trial_gradient);
    ++kept;
  }
  return kept;
}

// The null model's deviance: the model with only the intercept (or with no
// coefficient at all), and the offset.
//
// With an intercept and no offset, its MLE is μ = the weighted mean of y
// for every family and link (the intercept's score equation is
// Σ w (y − μ) μ'/V(μ) = 0 with one μ for all rows), so the deviance is in
// closed form. With an offset, the intercept-only model is fitted by Fisher
// scoring on a one-column design; without an intercept, it is the model at
// β = 0 (η = offset).
bool NullDeviance(const GlmFamily& family, const Dataset& data,
                  bool has_intercept, const Communicator& communicator,
                  long first_row, double* null_deviance, std::string* error) {
  const Eigen::Index n = data.y.size();
  // Σ w, and the weighted means of y and of the offset.
  double weight_sum = 0.0, weighted_y = 0.0, weighted_offset = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double w = data.HasWeights() ? data.weights[i] : 1.0;
    weight_sum += w;
    weighted_y += w * data.y[i];
    if (data.HasOffset()) weighted_offset += w * data.offset[i];
  }
  if (communicator.size() > 1) {
    double sums[3] = {weight_sum, weighted_y, weighted_offset};
    communicator.SumInPlace(sums, 3);
    weight_sum = sums[0];
    weighted_y = sums[1];
    weighted_offset = sums[2];
  }
  const double mean = weighted_y / weight_sum;
  if (has_intercept && !data.HasOffset()) {
    double deviance = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double w = data.HasWeights() ? data.weights[i] : 1.0;
      if (w > 0.0) deviance += w * family.UnitDeviance(data.y[i], mean);
    }
    *null_deviance =
        communicator.size() > 1 ? communicator.Sum(deviance) : deviance;
    return true;
  }
  Dataset null_data;
  null_data.y = data.y;
  null_data.weights = data.weights;
  null_data.offset = data.offset;
  null_data.response_name = data.response_name;
  // A column of ones (the intercept), or of zeros: η = offset whatever the
  // coefficient.
  null_data.x =
      has_intercept ? RowMatrixXd::Ones(n, 1) : RowMatrixXd::Zero(n, 1);
  null_data.column_names = {has_intercept ? "(Intercept)" : "(none)"};
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(1);
  GlmOptions options;
  options.intercept_column = GlmOptions::kNoIntercept;
  std::string model_error;
  // The same family (with the negative binomial's θ).
  GlmSpec null_spec;
  null_spec.distribution = family.distribution();
  null_spec.link = family.link();
  null_spec.theta = family.Theta();
  auto model = GlmModel::Create(std::move(null_data),
                                null_spec.CreateFamily(&model_error), options,
                                &model_error);
  if (!communicator.AgreeOk(model != nullptr, &model_error)) {
    *error = "the null model: " + model_error;
    return false;
  }
  model->SetFirstRow(first_row);
  const DistributedModel distributed(*model, communicator);
  const LikelihoodModel& solved =
      communicator.size() > 1 ? static_cast<const LikelihoodModel&>(distributed)
                              : *model;
  if (has_intercept) {
    // From the link of the weighted mean response (R's start), then Fisher
    // scoring.
    const double start = family.LinkFunction(family.StartingMean(mean, 1.0)) -
                         weighted_offset / weight_sum;
    if (std::isfinite(start)) theta[0] = start;
    SolverSummary summary;
    Solve(GlmSpec::DefaultSolverOptions(), solved, &theta, &summary);
    if (!summary.IsSolutionUsable()) {
      *error = "the null model's fit failed: " + summary.message;
      return false;
    }
  }
  *null_deviance =
      SummarizeSampleFit(model->family(), model->data(), theta, communicator)
          .deviance;
  return true;
}

// R's start (glm.fit): μ₀ = the family's mustart, η₀ = g(μ₀), then one
// weighted least-squares step, γ₀ = argmin Σ W (z − qᵀγ)² with working
// response z = η₀ − offset + (y − μ₀)/μ'(η₀) and weights W = w μ'(η₀)²/V(μ₀)
// — the first iteration of R's IRLS, on the orthonormal basis Q. When that
// γ₀ puts some row outside the link's domain (a Gamma(inverse) fit at a
// negative η), the unweighted projection Qᵀ(η₀ − offset) is tried, then 0.
//
// With more than one process every sum is reduced and every decision (a row
// outside the domain on any process) is taken by all together.
Eigen::VectorXd StartingPoint(const GlmFamily& family, const Dataset& data,
                              const Communicator& communicator) {
  const RowMatrixXd& q = data.x;
  const Eigen::Index n = q.rows(), p = q.cols();
  const bool distributed = communicator.size() > 1;
  // Whether every process says yes.
  const auto all = [&](bool yes) {
    return !distributed || communicator.Sum(yes ? 0.0 : 1.0) == 0.0;
  };
  Eigen::VectorXd working_weight(n), working_response(n);
  bool usable = true;
  for (Eigen::Index i = 0; i < n && usable; ++i) {
    const double w = data.HasWeights() ? data.weights[i] : 1.0;
    const double y = data.y[i];
    const double mu = family.StartingMean(y, w);
    const double eta = family.LinkFunction(mu);
    const double offset = data.HasOffset() ? data.offset[i] : 0.0;
    const double dmu = LinkMeanDerivative(family.link(), eta);
    const double variance = family.Variance(mu);
    if (!std::isfinite(eta) || !(dmu != 0.0) || !(variance > 0.0) ||
        !std::isfinite(dmu)) {
      usable = false;
      break;
    }
    working_response[i] = eta - offset + (y - mu) / dmu;
    working_weight[i] = w * dmu * dmu / variance;
  }
  const auto valid = [&](const Eigen::VectorXd& gamma) {
    if (!gamma.allFinite()) return false;
    for (Eigen::Index begin = 0; begin < n; begin += kRowsPerChunk) {
      const Eigen::Index count =
          std::min<Eigen::Index>(kRowsPerChunk, n - begin);
      Eigen::VectorXd eta = q.middleRows(begin, count) * gamma;
      if (data.HasOffset()) eta += data.offset.segment(begin, count);
      for (Eigen::Index i = 0; i < count; ++i) {
        if (!family.IsValidLinearPredictor(eta[i])) return false;
      }
    }
    return true;
  };
  if (!all(usable)) return Eigen::VectorXd::Zero(p);
  Eigen::MatrixXd gram;
  WeightedGram(q, working_weight, &gram);
  Eigen::VectorXd rhs =
      q.transpose() * working_weight.cwiseProduct(working_response);
  if (distributed) {
    communicator.SumSymmetricInPlace(&gram);
    communicator.SumInPlace(&rhs);
  }
  const Eigen::LLT<Eigen::MatrixXd> llt(gram);
  if (llt.info() == Eigen::Success) {
    const Eigen::VectorXd gamma = llt.solve(rhs);
    if (all(valid(gamma))) return gamma;
  }
  // η₀ − offset = z − (y − μ₀)/μ'(η₀); recomputed rather than stored.
  Eigen::VectorXd target(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double w = data.HasWeights() ? data.weights[i] : 1.0;
    const double mu = family.StartingMean(data.y[i], w);
    target[i] =
        family.LinkFunction(mu) - (data.HasOffset() ? data.offset[i] : 0.0);
  }
  Eigen::VectorXd projection = q.transpose() * target;
  if (distributed) communicator.SumInPlace(&projection);
  if (all(valid(projection))) return projection;
  return Eigen::VectorXd::Zero(p);
}

// Whether the MLE exists: a linear program on the design (separation for
// binary responses, whatever the link; zero-count directions for Poisson
// with the log link), run when some sample is fitted to within 1e-6 of a
// likelihood of 1 (ℓ_i > −1e-6) or the optimizer stopped early: without
// either the estimate is interior. Rows of weight 0 are not part of the
// likelihood and leave the program. Adds the warnings; returns false when
// the MLE does not exist (fit->mle_exists = false).
// Rows of the linear program across processes: the MLE exists when each
// process's own rows show it exists (a direction that separates all rows
// separates every part, so a part without one rules it out). When some part
// is separated, the rows of weight > 0 of every process are gathered and the
// program is solved on all of them, up to kMaxGatheredExistenceEntries
// entries; above, the question is left undecided with a warning.
constexpr double kMaxGatheredExistenceEntries = 4e6;

// The rows of X and y with weight > 0 (all rows without weights).
void PositiveWeightRows(const Dataset& fitted, RowMatrixXd* x,
                        Eigen::VectorXd* y) {
  std::vector<int> rows;
  for (int i = 0; i < fitted.NumSamples(); ++i) {
    if (!fitted.HasWeights() || fitted.weights[i] > 0.0) rows.push_back(i);
  }
  *x = fitted.x(rows, Eigen::all);
  *y = fitted.y(rows);
}

// Every process's rows [X | y], stacked in rank order, on every process.
void GatherRows(const RowMatrixXd& x, const Eigen::VectorXd& y,
                const Communicator& communicator, RowMatrixXd* all_x,
                Eigen::VectorXd* all_y) {
  const Eigen::Index p = x.cols();
  RowMatrixXd rows(x.rows(), p + 1);
  rows.leftCols(p) = x;
  rows.col(p) = y;
  const std::vector<std::string> parts = communicator.AllGather(
      std::string(reinterpret_cast<const char*>(rows.data()),
                  rows.size() * sizeof(double)));
  Eigen::Index total = 0;
  for (const std::string& part : parts) {
    total += static_cast<Eigen::Index>(part.size() / sizeof(double)) / (p + 1);
  }
  RowMatrixXd stacked(total, p + 1);
  Eigen::Index row = 0;
  for (const std::string& part : parts) {
    const Eigen::Index count =
        static_cast<Eigen::Index>(part.size() / sizeof(double)) / (p + 1);
    if (count == 0) continue;
    std::memcpy(stacked.row(row).data(), part.data(), part.size());
    row += count;
  }
  *all_x = stacked.leftCols(p);
  *all_y = stacked.col(p);
}

// CheckMleExistence on the rows of every process (see above). Returns false
// with *error when the program failed or the answer is undecided.
bool CheckExistenceAcross(const Dataset& fitted, GlmFamilyType family,
                          const Communicator& communicator, double total_rows,
                          MleExistence* existence, std::string* error) {
  RowMatrixXd x;
  Eigen::VectorXd y;
  PositiveWeightRows(fitted, &x, &y);
  const int p = fitted.NumFeatures();
  std::string local_error;
  MleExistence local;
  const bool shown =
      CheckMleExistence(x, y, family, &local, &local_error) && local.exists;
  if (communicator.Sum(shown ? 0.0 : 1.0) == 0.0) {
    existence->exists = true;
    return true;
  }
  if (total_rows * (p + 1) > kMaxGatheredExistenceEntries) {
    *error = fmt::format(
        "it could not be decided across {} processes (the rows of one "
        "process are separated, and the design is too large to gather: "
        "refit in one process to decide); the estimates may be diverging",
        communicator.size());
    return false;
  }
  RowMatrixXd all_x;
  Eigen::VectorXd all_y;
  GatherRows(x, y, communicator, &all_x, &all_y);
  return CheckMleExistence(all_x, all_y, family, existence, error);
}

bool CheckExistence(const GlmSpec& spec, GlmLink link,
                    const DesignQr& design_qr,
                    const std::vector<std::string>& kept_names,
                    const Dataset& fitted, const SampleFit& sample_fit,
                    const Communicator& communicator, GlmFit* fit) {
  const bool binomial = spec.distribution == GlmDistribution::kBinomial;
  const bool applies =
      binomial ||
      (spec.distribution == GlmDistribution::kPoisson && link == GlmLink::kLog);
  if (!applies) return true;
  std::vector<std::string>& warnings = fit->warnings;
  const int n = fitted.NumSamples();
  const int p = fitted.NumFeatures();
  const bool distributed = communicator.size() > 1;
  // All processes' rows.
  const double total_rows =
      distributed ? communicator.Sum(static_cast<double>(n)) : n;
  const int fitted_at_bound = sample_fit.num_fitted_at_bound;
  const GlmFamilyType program_family =
      binomial ? GlmFamilyType::kBernoulliLogit : GlmFamilyType::kPoissonLog;
  const bool near_bound =
      !fit->summary.IsSolutionUsable() ||
      fit->summary.termination_type != TerminationType::kConvergence ||
      sample_fit.num_near_bound > 0;
  MleExistence existence;
  bool checked = false;
  if (near_bound && total_rows * p > spec.max_existence_check_entries) {
    warnings.push_back(fmt::format(
        "{} samples are fitted at the boundary and the design is too "
        "large ({} x {}) for the linear program that checks whether the "
        "MLE exists; the estimates may be diverging",
        fitted_at_bound, total_rows, p));
  } else if (near_bound && distributed) {
    std::string lp_error;
    if (CheckExistenceAcross(fitted, program_family, communicator, total_rows,
                             &existence, &lp_error)) {
      checked = true;
    } else {
      warnings.push_back("whether the MLE exists: " + lp_error);
    }
  } else if (near_bound) {
    std::string lp_error;
    bool solved = false;
    if (fitted.HasWeights() && fit->num_observations < n) {
      std::vector<int> rows;
      for (int i = 0; i < n; ++i) {
        if (fitted.weights[i] > 0.0) rows.push_back(i);
      }
      const RowMatrixXd x_rows = fitted.x(rows, Eigen::all);
      const Eigen::VectorXd y_rows = fitted.y(rows);
      solved = CheckMleExistence(x_rows, y_rows, program_family, &existence,
                                 &lp_error);
    } else {
      solved = CheckMleExistence(fitted.x, fitted.y, program_family, &existence,
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
    if (binomial) {
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
    return false;
  }
  if (binomial && fitted_at_bound > 0) {
    warnings.push_back(fmt::format(
        "fitted probabilities numerically 0 or 1 occurred ({} samples)",
        fitted_at_bound));
  }
  return true;
}

// The inference table: computed on the orthonormal basis (where the
// curvature is well conditioned), mapped back to the kept columns, then NA
// rows for the aliased ones. The rank was decided on X, so the inference
// sets nothing aside (aliasing tolerance 0). Standard errors that cannot be
// computed become NA with a warning; a perfect fit has none.
bool InferenceInDesignBasis(const GlmSpec& spec, const LikelihoodModel& model,
                            const Eigen::VectorXd& gamma,
                            const DesignQr& design_qr,
                            const std::vector<std::string>& full_names,
                            bool estimates_dispersion, bool perfect_fit,
                            GlmFit* fit, std::string* error) {
  const std::vector<int>& kept = design_qr.kept;
  const int p = static_cast<int>(kept.size());
  const int p_full = static_cast<int>(full_names.size());
  InferenceOptions options;
  options.covariance_source = spec.covariance;
  options.dispersion = perfect_fit ? 1.0 : fit->dispersion;
  options.degrees_of_freedom = estimates_dispersion ? fit->df_residual : 0.0;
  options.aliasing_tolerance = 0.0;
  Eigen::MatrixXd kept_covariance =
      Eigen::MatrixXd::Constant(p, p, std::nan(""));
  InferenceResult basis_inference;
  std::string inference_error;
  if (perfect_fit) {
    // Standard errors are NA (warned with the perfect fit).
  } else if (spec.robust != RobustCovariance::kNone) {
    // One process's GlmModel: FitGlm refuses robust covariances across
    // processes.
    const auto* glm = dynamic_cast<const GlmModel*>(&model);
    Eigen::MatrixXd robust_covariance;
    if (glm == nullptr) {
      fit->warnings.push_back(
          "standard errors are not available: robust covariances need the "
          "model of one process");
    } else if (!ComputeRobustCovariance(*glm, gamma, spec.robust, spec.clusters,
                                        &robust_covariance, &inference_error)) {
      fit->warnings.push_back("standard errors are not available: " +
                              inference_error);
    } else {
      kept_covariance =
          ScaledCovarianceInDesignBasis(design_qr, robust_covariance);
    }
  } else if (!ComputeInference(options, model, gamma, &basis_inference,
                               &inference_error)) {
    fit->warnings.push_back("standard errors are not available: " +
                            inference_error);
  } else {
    kept_covariance =
        ScaledCovarianceInDesignBasis(design_qr, basis_inference.covariance);
  }
  const Eigen::VectorXd beta = CoefficientsInDesignBasis(design_qr, gamma);
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
  fit->estimates = full_beta;
  return ComputeInferenceFromCovariance(options, full_names, full_beta,
                                        full_covariance, &full_scale,
                                        &fit->inference, error);
}

// AnalyzeDesign of the X whose rows the processes hold in parts: column
// scales from the largest magnitude over all parts, each part's R factor of
// X_part S⁻¹, then the R factor of the parts' factors stacked in rank order
// (TSQR: [R_a; R_b] has the R factor of [X_a; X_b] S⁻¹, up to row signs,
// which the decision does not see), combined in the communicator's fixed
// tree, so every process decides on the same R.
DesignQr AnalyzeDesignAcross(const RowMatrixXd& x,
                             const Communicator& communicator) {
  Eigen::VectorXd largest = LargestColumnMagnitudes(x);
  communicator.MaxInPlace(largest.data(), largest.size());
  const Eigen::VectorXd scale = PowerOfTwoScales(largest);
  Eigen::MatrixXd r = ScaledTriangularFactor(x, scale);
  const Eigen::Index p = r.cols();
  communicator.ReduceInPlace(
      r.data(), r.size(), [p](double* left, const double* right, std::int64_t) {
        Eigen::MatrixXd stacked(2 * p, p);
        stacked.topRows(p) = Eigen::Map<const Eigen::MatrixXd>(left, p, p);
        stacked.bottomRows(p) = Eigen::Map<const Eigen::MatrixXd>(right, p, p);
        Eigen::HouseholderQR<Eigen::Ref<Eigen::MatrixXd>> qr(stacked);
        Eigen::Map<Eigen::MatrixXd>(left, p, p) =
            stacked.topRows(p).triangularView<Eigen::Upper>();
      });
  return AnalyzeTriangularFactor(r, scale);
}

// The family's AIC (GlmFamily::Aic, R's family$aic) of the rows of every
// process. R's aic for the families with a dispersion is a sum over rows
// plus terms in the totals: gaussian n(log(2π dev/n) + 1) + 2 − Σ log w,
// Gamma −2 Σ w log f(y; μ, dev/Σw) + 2, inverse.gaussian
// Σw (1 + log(2π dev/Σw)) + 3 Σ w log y + 2. Each process's call with the
// deviance scaled by its share of n (gaussian) or of Σw (the others) gives
// its rows' part of the sum plus the constant 2, so the total is the sum of
// (part − 2), plus 2. Used for those three families only (the others' AIC
// comes from the log-likelihood).
double AicAcross(const GlmFamily& family, const Eigen::VectorXd& y,
                 const Eigen::VectorXd& mean, const Eigen::VectorXd& weights,
                 double deviance, const Communicator& communicator) {
  double totals[2] = {static_cast<double>(y.size()), weights.sum()};
  communicator.SumInPlace(totals, 2);
  const double share = family.distribution() == GlmDistribution::kGaussian
                           ? static_cast<double>(y.size()) / totals[0]
                           : weights.sum() / totals[1];
  const double part = family.Aic(y, mean, weights, deviance * share) - 2.0;
  return communicator.Sum(part) + 2.0;
}

// One id per used row for the values of a data frame's column (numbers or
// text): equal values, equal ids.
bool ClusterIds(const DataFrame& data, const std::string& column_name,
                const std::vector<int>& rows, std::vector<int>* ids,
                std::string* error) {
  const int index = data.ColumnIndex(column_name);
  if (index < 0) {
    *error = "unknown cluster column '" + column_name +
             "'; the columns are: " + data.ColumnList();
    return false;
  }
  const DataColumn& column = data.column(index);
  std::map<std::string, int> id_of_text;
  std::map<double, int> id_of_number;
  ids->clear();
  for (int row : rows) {
    if (column.IsMissing(row)) {
      *error = "cluster column '" + column_name + "' has a missing value on " +
               data.RowLabel(row);
      return false;
    }
    if (column.type == DataColumnType::kNumeric) {
      ids->push_back(
          id_of_number.emplace(column.numbers[row], id_of_number.size())
              .first->second);
    } else {
      ids->push_back(id_of_text.emplace(column.text[row], id_of_text.size())
                         .first->second);
    }
  }
  return true;
}

std::string DescribeCovariance(const GlmFit& fit) {
  if (fit.robust != RobustCovariance::kNone) {
    if (fit.num_clusters > 0) {
      return fmt::format(
          "cluster-robust {} over {} clusters (as R's "
          "sandwich::vcovCL)",
          ToString(fit.robust), fit.num_clusters);
    }
    return "heteroskedasticity-consistent " + ToString(fit.robust) +
           " (as R's sandwich::vcovHC)";
  }
  switch (fit.inference.covariance_source) {
    case CovarianceSource::kInverseFisher:
      return "inverse expected Fisher information (as R's glm)";
    case CovarianceSource::kInverseObservedInformation:
      return "inverse observed information (Hessian)";
    case CovarianceSource::kSandwich:
      return "sandwich H^-1 F_emp H^-1 (HC0, robust)";
  }
  return "";
}

// Every process's factor levels (those among its rows used), added to each
// factor of options->extra_factor_levels, so that every process's model
// frame has the levels one process would find on all rows (sorted as R
// sorts them): a level seen by one process is coded identically by all.
bool AgreeOnFactorLevels(const Formula& parsed, const DataFrame& data,
                         const Communicator& communicator,
                         ModelFrameOptions* options, std::string* error) {
  std::vector<ModelVariable> variables;
  const bool ok =
      ModelFrameVariables(parsed, data, *options, &variables, error);
  if (!communicator.AgreeOk(ok, error)) return false;
  // label, number of levels, levels: NUL-separated (the CSV reader refuses
  // NUL bytes, so no text holds one).
  std::string mine;
  for (const ModelVariable& variable : variables) {
    if (!variable.is_factor) continue;
    mine +=
        variable.label + '\0' + std::to_string(variable.levels.size()) + '\0';
    for (const std::string& level : variable.levels) mine += level + '\0';
  }
  for (const std::string& part : communicator.AllGather(mine)) {
    std::vector<std::string> tokens;
    size_t begin = 0;
    for (size_t end; (end = part.find('\0', begin)) != std::string::npos;
         begin = end + 1) {
      tokens.push_back(part.substr(begin, end - begin));
    }
    for (size_t t = 0; t + 1 < tokens.size();) {
      const std::string& label = tokens[t];
      const size_t count = std::stoul(tokens[t + 1]);
      std::vector<std::string>& levels = options->extra_factor_levels[label];
      levels.insert(levels.end(), tokens.begin() + t + 2,
                    tokens.begin() + t + 2 + count);
      t += 2 + count;
    }
  }
  return true;
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

GlmLink GlmSpec::LinkOrDefault() const {
  return link.has_value() ? *link : AllowedLinks(distribution).front();
}

std::unique_ptr<GlmFamily> GlmSpec::CreateFamily(std::string* error) const {
  if (distribution != GlmDistribution::kNegativeBinomial) {
    return CreateGlmFamily(distribution, LinkOrDefault(), error);
  }
  if (!theta.has_value()) {
    *error = "GlmSpec::theta is required for the negative.binomial family";
    return nullptr;
  }
  return CreateNegativeBinomialFamily(*theta, LinkOrDefault(), error);
}

bool GlmSpec::IsValid(std::string* error) const {
  // A negative binomial without θ is valid: FitNegativeBinomial estimates
  // it (FitGlm's CreateFamily asks for it).
  GlmSpec checked = *this;
  if (distribution == GlmDistribution::kNegativeBinomial && !theta) {
    checked.theta = 1.0;
  }
  if (checked.CreateFamily(error) == nullptr) return false;
  if (quasi_likelihood && distribution != GlmDistribution::kBinomial &&
      distribution != GlmDistribution::kPoisson) {
    *error =
        "GlmSpec::quasi_likelihood is for the binomial and poisson "
        "families; the " +
        ToString(distribution) +
        " family estimates its dispersion "
        "already";
    return false;
  }
  const bool clustered = !clusters.empty() || !cluster_column.empty();
  if (clustered && robust != RobustCovariance::kHC0 &&
      robust != RobustCovariance::kHC1) {
    *error =
        "cluster-robust standard errors need GlmSpec::robust HC0 or HC1, "
        "not " +
        ToString(robust);
    return false;
  }
  if (!clusters.empty() && !cluster_column.empty()) {
    *error = "GlmSpec::clusters and GlmSpec::cluster_column are both set";
    return false;
  }
  if (!(max_existence_check_entries >= 0.0)) {
    *error =
        fmt::format("GlmSpec::max_existence_check_entries = {} must be >= 0",
                    max_existence_check_entries);
    return false;
  }
  return solver.IsValid(error);
}

std::string GlmFit::FamilyName() const {
  if (quasi_likelihood) {
    return distribution == GlmDistribution::kBinomial ? "quasibinomial"
                                                      : "quasipoisson";
  }
  return ToString(distribution);
}

std::string GlmFit::LinkName() const { return ToString(link); }

std::string GlmFit::Report(const std::string& call) const {
  std::string text;
  if (!call.empty()) text += "Call:\n" + call + "\n\n";
  if (!frame.formula_text.empty()) {
    text += "Formula: " + frame.formula_text + "\n";
    std::string columns;
    for (const std::string& column : frame.variables_used) {
      columns += (columns.empty() ? "" : ", ") + column;
    }
    text += "Columns used: " + columns + "\n";
    const std::string factors = frame.DescribeFactors();
    if (!factors.empty()) text += "Factors: " + factors + "\n";
  }
  text += fmt::format("Family: {} (link: {}), {} observations\n\n",
                      FamilyName(), LinkName(), num_observations);
  text += "Coefficients:\n" + FormatCoefficientTable(inference) + "\n";
  // The estimated φ̂, or 1 where the family fixes it ("{:.10g}" prints 1).
  text += fmt::format(
      "(Dispersion parameter for {} family taken to be {:.10g})\n\n",
      FamilyName(), dispersion);
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
  text += "Standard errors: " + DescribeCovariance(*this) + "\n";
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
  // The processes' row sums (communicator.h): every check below that reads
  // this process's rows is agreed on by all, so all return together.
  const SerialCommunicator one_process;
  const Communicator& communicator =
      spec.communicator != nullptr ? *spec.communicator : one_process;
  const bool distributed = communicator.size() > 1;
  if (distributed && spec.solver.curvature.subsample.Fraction(
                         data.NumSamples(), data.NumFeatures()) < 1.0) {
    *error =
        "row-subsampled curvatures are not available across processes "
        "(each process would draw its own rows); use another optimizer";
    return false;
  }
  if (distributed && spec.robust != RobustCovariance::kNone) {
    // ComputeRobustCovariance walks one process's rows.
    *error =
        "robust (HC) covariances are computed in one process; fit without "
        "mpirun or use the model-based covariance";
    return false;
  }
  if (!communicator.AgreeOk(data.IsValid(error), error)) return false;
  const GlmLink link = spec.LinkOrDefault();
  std::unique_ptr<GlmFamily> family = spec.CreateFamily(error);
  if (family == nullptr) return false;
  const bool binomial = spec.distribution == GlmDistribution::kBinomial;
  const bool discrete = !family->HasDispersion();
  const bool gaussian = spec.distribution == GlmDistribution::kGaussian;
  *fit = GlmFit();
  fit->distribution = spec.distribution;
  fit->link = link;
  fit->quasi_likelihood = spec.quasi_likelihood;
  fit->response_name = data.response_name;
  std::vector<std::string>& warnings = fit->warnings;
  if (!spec.cluster_column.empty()) {
    *error =
        "GlmSpec::cluster_column names a column of a data frame: fit a "
        "formula, or give GlmSpec::clusters";
    return false;
  }
  if (!spec.clusters.empty()) {
    if (static_cast<int>(spec.clusters.size()) != data.NumSamples()) {
      *error = fmt::format("GlmSpec::clusters has {} ids for {} rows",
                           spec.clusters.size(), data.NumSamples());
      return false;
    }
    std::vector<int> ids = spec.clusters;
    std::sort(ids.begin(), ids.end());
    fit->num_clusters =
        static_cast<int>(std::unique(ids.begin(), ids.end()) - ids.begin());
  }
  fit->robust = spec.robust;

  const int local_rows = data.NumSamples();
  const int p_full = data.NumFeatures();
  // The rows of every process, and this process's first row's index.
  long first_row = 0;
  for (const std::string& count :
       communicator.AllGather(std::to_string(local_rows))) {
    fit->rows_per_process.push_back(std::stol(count));
  }
  for (int r = 0; r < communicator.rank(); ++r) {
    first_row += fit->rows_per_process[r];
  }
  long total_rows = 0;
  for (long count : fit->rows_per_process) total_rows += count;
  if (distributed) {
    // Each process's model needs as many rows as coefficients
    // (problems/glm_model.h).
    for (int r = 0; r < communicator.size(); ++r) {
      if (fit->rows_per_process[r] < p_full) {
        *error = fmt::format(
            "process {} of {} holds {} rows, fewer than the {} coefficients; "
            "use fewer processes",
            r, communicator.size(), fit->rows_per_process[r], p_full);
        return false;
      }
    }
  }
  const long n = total_rows;
  if (n <= p_full) {
    *error = fmt::format(
        "{} rows but {} coefficients: the model needs more rows than "
        "coefficients",
        n, p_full);
    return false;
  }
  // R counts the observations of nonzero weight (nobs, df).
  int num_observations = static_cast<int>(n);
  if (data.HasWeights()) {
    num_observations = static_cast<int>(communicator.Sum(
        static_cast<std::int64_t>((data.weights.array() > 0.0).count())));
  }
  fit->num_observations = num_observations;

  const std::vector<std::string> full_names = ColumnNamesOrDefault(data);
  int intercept_columns = 0;
  bool ones = true;
  for (int j = 0; j < p_full; ++j) {
    if (full_names[j] == "(Intercept)") {
      ++intercept_columns;
      if (ones && !(data.x.col(j).array() == 1.0).all()) {
        *error = fmt::format(
            "column {} is named '(Intercept)' but is not a column of ones",
            j + 1);
        ones = false;
      }
    }
  }
  if (!communicator.AgreeOk(ones, error)) return false;
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
  const DesignQr design_qr = distributed
                                 ? AnalyzeDesignAcross(data.x, communicator)
                                 : AnalyzeDesign(data.x);
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
  // No column of Q is an intercept: nothing is left unpenalized or treated
  // as an intercept by the model itself.
  GlmOptions model_options;
  model_options.intercept_column = GlmOptions::kNoIntercept;
  auto model = GlmModel::Create(std::move(basis), std::move(family),
                                model_options, error);
  if (!communicator.AgreeOk(model != nullptr, error)) return false;
  const Dataset& fitted = model->data();
  // The model of every process's rows: the local one with one process.
  model->SetFirstRow(first_row);
  const DistributedModel distributed_model(*model, communicator);
  const LikelihoodModel& solved =
      distributed ? static_cast<const LikelihoodModel&>(distributed_model)
                  : *model;

  Eigen::VectorXd gamma = StartingPoint(model->family(), fitted, communicator);
  SolverSummary& summary = fit->summary;
  if (spec.minimize) {
    spec.minimize(solved, &gamma, &summary);
  } else {
    Solve(spec.solver, solved, &gamma, &summary);
  }
  if (!summary.IsSolutionUsable()) {
    *error = "the optimizer failed: " + summary.message;
    return false;
  }
  bool converged = summary.termination_type == TerminationType::kConvergence;
  if (!converged) {
    warnings.push_back("did not converge (" + summary.message +
                       "); the estimates are the last good point");
  } else {
    fit->polishing_steps = PolishWithNewtonSteps(solved, &gamma);
  }
  const SampleFit sample_fit =
      SummarizeSampleFit(model->family(), fitted, gamma, communicator);
  if (!CheckExistence(spec, link, design_qr, kept_names, fitted, sample_fit,
                      communicator, fit)) {
    converged = false;
  }
  fit->converged = converged;

  // Deviances from their unit terms (no difference of two large
  // log-likelihoods).
  fit->deviance = sample_fit.deviance;
  fit->pearson_chi2 = sample_fit.pearson_chi2;
  if (!NullDeviance(model->family(), fitted, fit->has_intercept, communicator,
                    first_row, &fit->null_deviance, error)) {
    return false;
  }
  fit->rank = p;
  fit->df_residual = num_observations - p;
  fit->df_null = num_observations - (fit->has_intercept ? 1 : 0);

  // The dispersion of R's summary.glm: Pearson χ²/df where the family has
  // one (or the fit is quasi), 1 otherwise.
  const bool estimates_dispersion =
      model->family().HasDispersion() || spec.quasi_likelihood;
  fit->dispersion =
      estimates_dispersion ? fit->pearson_chi2 / fit->df_residual : 1.0;

  // R's logLik: binomial and poisson from ℓ (the binomial's with the
  // log C(m, my) terms of trials m = w); the families with a dispersion from
  // their aic, at φ̂ = deviance / n, with one more estimated parameter.
  double log_likelihood = 0.0;
  int num_estimated = p;
  if (discrete) {
    log_likelihood = sample_fit.log_likelihood +
                     (binomial ? sample_fit.log_choose_sum : 0.0);
  } else {
    const Eigen::VectorXd weights = fitted.HasWeights()
                                        ? fitted.weights
                                        : Eigen::VectorXd::Ones(local_rows);
    const double aic =
        distributed ? AicAcross(model->family(), fitted.y, sample_fit.mean,
                                weights, fit->deviance, communicator)
                    : model->family().Aic(fitted.y, sample_fit.mean, weights,
                                          fit->deviance);
    log_likelihood = 1.0 - 0.5 * aic;
    num_estimated = p + 1;
  }
  bool perfect_fit = false;
  if (gaussian) {
    fit->sigma2_mle = fit->deviance / num_observations;
    // R's summary.lm: "essentially perfect fit" when the residual variance
    // is below 1e-30 of the fitted values' second moment.
    const double fitted_moment =
        sample_fit.fitted_square_sum / num_observations;
    perfect_fit = !(fit->dispersion > 1e-30 * fitted_moment);
    if (perfect_fit) {
      warnings.push_back(
          "essentially perfect fit: the residuals are zero to rounding, so "
          "the dispersion, the standard errors, the log-likelihood and the "
          "AIC are not defined (reported as NA)");
      fit->dispersion = fit->sigma2_mle = log_likelihood = std::nan("");
    }
  }
  if (spec.quasi_likelihood) log_likelihood = std::nan("");
  fit->log_likelihood = log_likelihood;
  fit->num_estimated = num_estimated;
  fit->aic = -2.0 * log_likelihood + 2.0 * num_estimated;
  fit->bic = -2.0 * log_likelihood +
             std::log(static_cast<double>(num_observations)) * num_estimated;

  if (!InferenceInDesignBasis(spec, solved, gamma, design_qr, full_names,
                              estimates_dispersion, perfect_fit, fit, error)) {
    return false;
  }
  fit->names = full_names;
  fit->aliased.assign(p_full, false);
  for (int j : design_qr.aliased) fit->aliased[j] = true;
  return true;
}

bool FitGlm(const std::string& formula, const DataFrame& data,
            const GlmSpec& spec, const ModelFrameOptions& frame_options,
            GlmFit* fit, std::string* error) {
  Formula parsed;
  if (!ParseFormula(formula, &parsed, error)) return false;
  const Communicator* communicator = spec.communicator;
  const bool distributed = communicator != nullptr && communicator->size() > 1;
  ModelFrameOptions options = frame_options;
  if (distributed &&
      !AgreeOnFactorLevels(parsed, data, *communicator, &options, error)) {
    return false;
  }
  ModelFrame frame;
  const bool built = BuildModelFrame(parsed, data, options, &frame, error);
  if (distributed ? !communicator->AgreeOk(built, error) : !built) {
    return false;
  }
  Dataset design = std::move(frame.data);
  frame.data = Dataset();
  const int dropped = distributed
                          ? static_cast<int>(communicator->Sum(
                                static_cast<std::int64_t>(frame.rows_dropped)))
                          : frame.rows_dropped;
  GlmSpec frame_spec = spec;
  if (!spec.cluster_column.empty() &&
      !ClusterIds(data, spec.cluster_column, frame.rows_used,
                  &frame_spec.clusters, error)) {
    return false;
  }
  frame_spec.cluster_column.clear();
  if (!FitGlm(std::move(design), frame_spec, fit, error)) return false;
  fit->frame = std::move(frame);
  if (dropped > 0) {
    fit->warnings.insert(
        fit->warnings.begin(),
        fmt::format("dropped {} rows with missing values", dropped));
  }
  return true;
}

bool PredictGlm(const GlmFit& fit, const DataFrame& newdata,
                PredictionType type, GlmPrediction* prediction,
                std::string* error) {
  if (fit.frame.formula_text.empty()) {
    *error = "the fit has no formula: predictions need a fit of a formula";
    return false;
  }
  RowMatrixXd x;
  Eigen::VectorXd offset;
  if (!BuildPredictionDesign(fit.frame, newdata, &x, &offset, error)) {
    return false;
  }
  std::vector<int> kept;
  for (int j = 0; j < static_cast<int>(fit.aliased.size()); ++j) {
    if (!fit.aliased[j]) kept.push_back(j);
  }
  const Eigen::VectorXd beta = fit.estimates(kept);
  const Eigen::MatrixXd covariance = fit.inference.covariance(kept, kept);
  const RowMatrixXd x_kept = x(Eigen::all, kept);
  Eigen::VectorXd eta = x_kept * beta;
  if (offset.size() > 0) eta += offset;
  const Eigen::MatrixXd xc = x_kept * covariance;
  Eigen::VectorXd se =
      (xc.cwiseProduct(x_kept)).rowwise().sum().cwiseMax(0.0).cwiseSqrt();
  if (type == PredictionType::kResponse) {
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      se[i] *= std::abs(LinkMeanDerivative(fit.link, eta[i]));
      eta[i] = LinkMean(fit.link, eta[i]);
    }
  }
  prediction->fit = std::move(eta);
  prediction->se_fit = std::move(se);
  return true;
}

}  // namespace fisheropt
