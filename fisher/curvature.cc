#include "fisher/curvature.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>
#include <vector>

#include "fisher/approximate_curvature.h"
#include "fisher/empirical_fisher.h"
#include "fisher/expected_fisher.h"
#include "fisher/gauss_newton.h"
#include "fisher/monte_carlo_fisher.h"
#include "fisher/observed_information.h"
#include "fisher/structured_curvature.h"

namespace fisheropt {

std::string ToString(CurvatureType type) {
  switch (type) {
    case CurvatureType::kHessian:
      return "hessian";
    case CurvatureType::kExpectedFisher:
      return "expected_fisher";
    case CurvatureType::kEmpiricalFisher:
      return "empirical_fisher";
    case CurvatureType::kMonteCarloFisher:
      return "monte_carlo_fisher";
    case CurvatureType::kGaussNewton:
      return "gauss_newton";
  }
  return "unknown";
}

bool FromString(const std::string& name, CurvatureType* type) {
  for (CurvatureType candidate :
       {CurvatureType::kHessian, CurvatureType::kExpectedFisher,
        CurvatureType::kEmpiricalFisher, CurvatureType::kMonteCarloFisher,
        CurvatureType::kGaussNewton}) {
    if (name == ToString(candidate)) {
      *type = candidate;
      return true;
    }
  }
  return false;
}

std::string ToString(CurvatureStructure structure) {
  switch (structure) {
    case CurvatureStructure::kFull:
      return "full";
    case CurvatureStructure::kDiagonal:
      return "diagonal";
    case CurvatureStructure::kBlockDiagonal:
      return "block_diagonal";
  }
  return "unknown";
}

bool FromString(const std::string& name, CurvatureStructure* structure) {
  for (CurvatureStructure candidate :
       {CurvatureStructure::kFull, CurvatureStructure::kDiagonal,
        CurvatureStructure::kBlockDiagonal}) {
    if (name == ToString(candidate)) {
      *structure = candidate;
      return true;
    }
  }
  return false;
}

double SubsampleOptions::Fraction(int num_samples, int num_parameters) const {
  if (!(rows_per_parameter > 0.0)) return fraction;
  const double p = num_parameters;
  const double n = std::max(1, num_samples);
  const double rows = std::max(rows_per_parameter * p,
                               min_flops_per_entry * n / std::max(1.0, p));
  return std::min(1.0, rows / n);
}

bool SubsampleOptions::IsValid(std::string* error) const {
  // False with "SubsampleOptions::<field> = <value> must be <constraint>".
  const auto invalid = [error](const char* field, double value,
                               const char* constraint) {
    if (error != nullptr) {
      std::ostringstream stream;
      stream << "SubsampleOptions::" << field << " = " << value << " must be "
             << constraint;
      *error = stream.str();
    }
    return false;
  };
  if (!(fraction > 0.0 && fraction <= 1.0)) {
    return invalid("fraction", fraction, "in (0, 1]");
  }
  if (!(rows_per_parameter >= 0.0 && std::isfinite(rows_per_parameter))) {
    return invalid("rows_per_parameter", rows_per_parameter, "finite and >= 0");
  }
  if (!(min_flops_per_entry >= 0.0 && std::isfinite(min_flops_per_entry))) {
    return invalid("min_flops_per_entry", min_flops_per_entry,
                   "finite and >= 0");
  }
  return true;
}

bool CurvatureOptions::IsValid(std::string* error) const {
  if (!subsample.IsValid(error)) return false;
  if (monte_carlo_samples < 1) {
    if (error != nullptr) {
      *error = "CurvatureOptions::monte_carlo_samples = " +
               std::to_string(monte_carlo_samples) + " must be >= 1";
    }
    return false;
  }
  return true;
}

bool Curvature::Compute(const Eigen::VectorXd& theta,
                        Eigen::MatrixXd* curvature, std::string* error) {
  if (!DoCompute(theta, curvature)) {
    if (error != nullptr) {
      *error = "the " + ToString(type()) + " is not available at this point";
    }
    return false;
  }
  if (!curvature->allFinite()) {
    if (error != nullptr) {
      *error = ToString(type()) + " has non-finite entries at this point";
    }
    return false;
  }
  return true;
}

bool Curvature::UpdateCache(const Eigen::VectorXd& theta, std::string* error) {
  if (cache_valid_ && cached_theta_.size() == theta.size() &&
      cached_theta_ == theta) {
    return true;
  }
  cache_valid_ = false;
  if (!Compute(theta, &cached_matrix_, error)) return false;
  cached_theta_ = theta;
  cache_valid_ = true;
  return true;
}

bool Curvature::Apply(const Eigen::VectorXd& theta, const Eigen::VectorXd& v,
                      Eigen::VectorXd* out, std::string* error) {
  if (!UpdateCache(theta, error)) return false;
  out->noalias() = cached_matrix_ * v;
  return true;
}

bool Curvature::Diagonal(const Eigen::VectorXd& theta, Eigen::VectorXd* out,
                         std::string* error) {
  if (!UpdateCache(theta, error)) return false;
  *out = cached_matrix_.diagonal();
  return true;
}

bool ModelCurvature::ApplyWith(LikelihoodModel::CurvatureProduct which,
                               const Eigen::VectorXd& theta,
                               const Eigen::VectorXd& v, Eigen::VectorXd* out,
                               std::string* error) {
  if (!model_.CurvatureApply(which, theta, v, out)) {
    return Curvature::Apply(theta, v, out, error);
  }
  if (!out->allFinite()) {
    if (error != nullptr) {
      *error = "the product of the " + ToString(type()) +
               " with a vector has non-finite entries at this point";
    }
    return false;
  }
  return true;
}

bool ModelCurvature::DiagonalWith(LikelihoodModel::CurvatureProduct which,
                                  const Eigen::VectorXd& theta,
                                  Eigen::VectorXd* out, std::string* error) {
  if (!model_.CurvatureDiagonal(which, theta, out)) {
    return Curvature::Diagonal(theta, out, error);
  }
  if (!out->allFinite()) {
    if (error != nullptr) {
      *error = "the diagonal of the " + ToString(type()) +
               " has non-finite entries at this point";
    }
    return false;
  }
  return true;
}

namespace {

std::unique_ptr<Curvature> CreateFullCurvature(const CurvatureOptions& options,
                                               const LikelihoodModel& model,
                                               std::string* error) {
  const LikelihoodModel::Capabilities capabilities = model.GetCapabilities();
  const double fraction =
      options.subsample.Fraction(model.NumSamples(), model.NumParameters());
  const bool subsampled = fraction < 1.0;
  const bool single = options.precision == GramPrecision::kSingle;
  if (subsampled || single) {
    const bool supported_type = options.type == CurvatureType::kHessian ||
                                options.type == CurvatureType::kExpectedFisher;
    if (supported_type && model.SupportsApproximateCurvature()) {
      return std::make_unique<ApproximateCurvature>(
          model, options.type, fraction, options.precision, options.seed);
    }
    if (error != nullptr) {
      const std::string what =
          std::string(subsampled ? "row-subsampled " : "") +
          (single ? "single-precision " : "") + ToString(options.type);
      *error = supported_type ? "model '" + model.Name() + "' has no " + what
                              : "a " + what +
                                    " is not available; use the "
                                    "expected_fisher or the hessian";
    }
    return nullptr;
  }
  switch (options.type) {
    case CurvatureType::kHessian:
      if (!capabilities.hessian) break;
      return std::make_unique<ObservedInformation>(model);
    case CurvatureType::kExpectedFisher:
      if (!capabilities.expected_fisher) break;
      return std::make_unique<ExpectedFisherCurvature>(model);
    case CurvatureType::kEmpiricalFisher:
      return std::make_unique<EmpiricalFisher>(model);
    case CurvatureType::kMonteCarloFisher:
      return std::make_unique<MonteCarloFisher>(
          model, options.monte_carlo_samples, options.seed);
    case CurvatureType::kGaussNewton:
      if (!capabilities.gauss_newton) break;
      return std::make_unique<GaussNewtonCurvature>(model);
  }
  if (error != nullptr) {
    // Advise what this model does offer.
    std::string alternatives;
    if (capabilities.expected_fisher &&
        options.type != CurvatureType::kExpectedFisher) {
      alternatives = "expected_fisher, ";
    }
    if (capabilities.hessian && options.type != CurvatureType::kHessian) {
      alternatives += "hessian, ";
    }
    if (capabilities.gauss_newton &&
        options.type != CurvatureType::kGaussNewton) {
      alternatives += "gauss_newton, ";
    }
    *error = "model '" + model.Name() + "' has no closed-form " +
             ToString(options.type) + "; use " + alternatives +
             "monte_carlo_fisher or empirical_fisher instead";
  }
  return nullptr;
}

}  // namespace

std::unique_ptr<Curvature> CreateCurvature(const CurvatureOptions& options,
                                           const LikelihoodModel& model,
                                           std::string* error) {
  if (!options.IsValid(error)) return nullptr;
  std::unique_ptr<Curvature> full = CreateFullCurvature(options, model, error);
  if (full == nullptr || options.structure == CurvatureStructure::kFull) {
    return full;
  }
  std::vector<ParameterGroup> groups = model.ParameterGroups();
  if (!ValidateParameterGroups(groups, model.NumParameters(), error)) {
    if (error != nullptr) *error = "model '" + model.Name() + "': " + *error;
    return nullptr;
  }
  return std::make_unique<StructuredCurvature>(
      std::move(full), options.structure, std::move(groups));
}

}  // namespace fisheropt
