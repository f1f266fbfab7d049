#include "optim/solver_options.h"

#include <cmath>
#include <sstream>

namespace fisheropt {
namespace {

// Writes "Struct::field = value must be <constraint>" and returns false.
template <typename T>
bool Invalid(const char* field, T value, const char* constraint,
             std::string* error) {
  if (error != nullptr) {
    std::ostringstream message;
    message << field << " = " << value << " must be " << constraint;
    *error = message.str();
  }
  return false;
}

}  // namespace

std::string ToString(StepControlType type) {
  switch (type) {
    case StepControlType::kLineSearch:
      return "line_search";
    case StepControlType::kLevenbergMarquardt:
      return "levenberg_marquardt";
    case StepControlType::kFixedStep:
      return "fixed_step";
    case StepControlType::kKlTrustRegion:
      return "kl_trust_region";
  }
  return "unknown";
}

std::string ToString(LineSearchType type) {
  switch (type) {
    case LineSearchType::kArmijo:
      return "armijo";
    case LineSearchType::kWolfe:
      return "wolfe";
  }
  return "unknown";
}

bool FromString(const std::string& name, LineSearchType* type) {
  for (LineSearchType candidate :
       {LineSearchType::kArmijo, LineSearchType::kWolfe}) {
    if (name == ToString(candidate)) {
      *type = candidate;
      return true;
    }
  }
  return false;
}

std::string ToString(LinearSolverType type) {
  switch (type) {
    case LinearSolverType::kCholesky:
      return "cholesky";
    case LinearSolverType::kConjugateGradient:
      return "conjugate_gradient";
    case LinearSolverType::kAutomatic:
      return "automatic";
  }
  return "unknown";
}

bool FromString(const std::string& name, LinearSolverType* type) {
  for (LinearSolverType candidate :
       {LinearSolverType::kCholesky, LinearSolverType::kConjugateGradient,
        LinearSolverType::kAutomatic}) {
    if (name == ToString(candidate)) {
      *type = candidate;
      return true;
    }
  }
  return false;
}

bool FromString(const std::string& name, StepControlType* type) {
  for (StepControlType candidate :
       {StepControlType::kLineSearch, StepControlType::kLevenbergMarquardt,
        StepControlType::kFixedStep, StepControlType::kKlTrustRegion}) {
    if (name == ToString(candidate)) {
      *type = candidate;
      return true;
    }
  }
  return false;
}

std::string ToString(SecantCorrection correction) {
  switch (correction) {
    case SecantCorrection::kNone:
      return "none";
    case SecantCorrection::kDenseBfgs:
      return "dense_bfgs";
    case SecantCorrection::kLimitedMemoryBfgs:
      return "limited_memory_bfgs";
  }
  return "unknown";
}

bool FromString(const std::string& name, SecantCorrection* correction) {
  for (SecantCorrection candidate :
       {SecantCorrection::kNone, SecantCorrection::kDenseBfgs,
        SecantCorrection::kLimitedMemoryBfgs}) {
    if (name == ToString(candidate)) {
      *correction = candidate;
      return true;
    }
  }
  return false;
}

bool StoppingOptions::IsValid(std::string* error) const {
  if (max_iterations < 0) {
    return Invalid("StoppingOptions::max_iterations", max_iterations, ">= 0",
                   error);
  }
  if (!(max_solver_time_in_seconds > 0.0)) {
    return Invalid("StoppingOptions::max_solver_time_in_seconds",
                   max_solver_time_in_seconds, "> 0", error);
  }
  if (!(function_tolerance >= 0.0)) {
    return Invalid("StoppingOptions::function_tolerance", function_tolerance,
                   ">= 0", error);
  }
  if (!(gradient_tolerance >= 0.0)) {
    return Invalid("StoppingOptions::gradient_tolerance", gradient_tolerance,
                   ">= 0", error);
  }
  if (!(parameter_tolerance >= 0.0)) {
    return Invalid("StoppingOptions::parameter_tolerance", parameter_tolerance,
                   ">= 0", error);
  }
  return true;
}

bool LinearSolverOptions::IsValid(std::string* error) const {
  if (automatic_cg_threshold < 0) {
    return Invalid("LinearSolverOptions::automatic_cg_threshold",
                   automatic_cg_threshold, ">= 0", error);
  }
  if (!(cg_max_forcing > 0.0 && cg_max_forcing < 1.0)) {
    return Invalid("LinearSolverOptions::cg_max_forcing", cg_max_forcing,
                   "in (0, 1)", error);
  }
  if (!(initial_shift_ratio > 0.0)) {
    return Invalid("LinearSolverOptions::initial_shift_ratio",
                   initial_shift_ratio, "> 0", error);
  }
  if (!(shift_growth > 1.0)) {
    return Invalid("LinearSolverOptions::shift_growth", shift_growth, "> 1",
                   error);
  }
  if (max_shift_retries < 0) {
    return Invalid("LinearSolverOptions::max_shift_retries", max_shift_retries,
                   ">= 0", error);
  }
  if (!(min_relative_pivot >= 0.0 && min_relative_pivot < 1.0)) {
    return Invalid("LinearSolverOptions::min_relative_pivot",
                   min_relative_pivot, "in [0, 1)", error);
  }
  return true;
}

bool LineSearchOptions::IsValid(std::string* error) const {
  if (!(sufficient_decrease > 0.0 && sufficient_decrease < 1.0)) {
    return Invalid("LineSearchOptions::sufficient_decrease",
                   sufficient_decrease, "in (0, 1)", error);
  }
  if (!(max_step_contraction > 0.0 && max_step_contraction < 1.0)) {
    return Invalid("LineSearchOptions::max_step_contraction",
                   max_step_contraction, "in (0, 1)", error);
  }
  if (!(min_step_contraction >= max_step_contraction &&
        min_step_contraction < 1.0)) {
    return Invalid("LineSearchOptions::min_step_contraction",
                   min_step_contraction, "in [max_step_contraction, 1)", error);
  }
  if (max_evaluations < 1) {
    return Invalid("LineSearchOptions::max_evaluations", max_evaluations,
                   ">= 1", error);
  }
  if (!(min_step_size > 0.0)) {
    return Invalid("LineSearchOptions::min_step_size", min_step_size, "> 0",
                   error);
  }
  if (!(sufficient_curvature_decrease > sufficient_decrease &&
        sufficient_curvature_decrease < 1.0)) {
    return Invalid("LineSearchOptions::sufficient_curvature_decrease",
                   sufficient_curvature_decrease, "in (sufficient_decrease, 1)",
                   error);
  }
  if (!(max_step_expansion > 1.0)) {
    return Invalid("LineSearchOptions::max_step_expansion", max_step_expansion,
                   "> 1", error);
  }
  return true;
}

bool DampingOptions::IsValid(std::string* error) const {
  if (!(initial_damping_ratio > 0.0)) {
    return Invalid("DampingOptions::initial_damping_ratio",
                   initial_damping_ratio, "> 0", error);
  }
  if (!(min_gain_ratio >= 0.0 && min_gain_ratio < 1.0)) {
    return Invalid("DampingOptions::min_gain_ratio", min_gain_ratio,
                   "in [0, 1)", error);
  }
  if (max_consecutive_rejections < 1) {
    return Invalid("DampingOptions::max_consecutive_rejections",
                   max_consecutive_rejections, ">= 1", error);
  }
  if (!(min_diagonal > 0.0 && std::isfinite(min_diagonal))) {
    return Invalid("DampingOptions::min_diagonal", min_diagonal,
                   "> 0 and finite", error);
  }
  if (!(max_diagonal >= min_diagonal)) {
    return Invalid("DampingOptions::max_diagonal", max_diagonal,
                   ">= min_diagonal", error);
  }
  return true;
}

bool FixedStepOptions::IsValid(std::string* error) const {
  if (!(learning_rate > 0.0)) {
    return Invalid("FixedStepOptions::learning_rate", learning_rate, "> 0",
                   error);
  }
  if (max_halvings < 0) {
    return Invalid("FixedStepOptions::max_halvings", max_halvings, ">= 0",
                   error);
  }
  return true;
}

bool KlTrustRegionOptions::IsValid(std::string* error) const {
  if (!(initial_radius > 0.0)) {
    return Invalid("KlTrustRegionOptions::initial_radius", initial_radius,
                   "> 0", error);
  }
  if (!(max_radius >= initial_radius)) {
    return Invalid("KlTrustRegionOptions::max_radius", max_radius,
                   ">= initial_radius", error);
  }
  if (!(min_radius > 0.0 && min_radius < 1.0)) {
    return Invalid("KlTrustRegionOptions::min_radius", min_radius, "in (0, 1)",
                   error);
  }
  if (!(min_gain_ratio >= 0.0 && min_gain_ratio < poor_gain_ratio)) {
    return Invalid("KlTrustRegionOptions::min_gain_ratio", min_gain_ratio,
                   "in [0, poor_gain_ratio)", error);
  }
  if (!(poor_gain_ratio < good_gain_ratio && good_gain_ratio < 1.0)) {
    return Invalid("KlTrustRegionOptions::good_gain_ratio", good_gain_ratio,
                   "in (poor_gain_ratio, 1)", error);
  }
  if (!(shrink_factor > 0.0 && shrink_factor < 1.0)) {
    return Invalid("KlTrustRegionOptions::shrink_factor", shrink_factor,
                   "in (0, 1)", error);
  }
  if (!(growth_factor > 1.0)) {
    return Invalid("KlTrustRegionOptions::growth_factor", growth_factor, "> 1",
                   error);
  }
  if (max_consecutive_rejections < 1) {
    return Invalid("KlTrustRegionOptions::max_consecutive_rejections",
                   max_consecutive_rejections, ">= 1", error);
  }
  return true;
}

bool CurvatureReuseOptions::IsValid(std::string* error) const {
  if (max_age < 1) {
    return Invalid("CurvatureReuseOptions::max_age", max_age, ">= 1", error);
  }
  if (!(max_gradient_ratio > 0.0 && max_gradient_ratio <= 1.0)) {
    return Invalid("CurvatureReuseOptions::max_gradient_ratio",
                   max_gradient_ratio, "in (0, 1]", error);
  }
  if (secant_memory < 1) {
    return Invalid("CurvatureReuseOptions::secant_memory", secant_memory,
                   ">= 1", error);
  }
  return true;
}

bool SolverOptions::IsValid(std::string* error) const {
  for (IterationCallback* callback : callbacks) {
    if (callback == nullptr) {
      if (error != nullptr)
        *error = "SolverOptions::callbacks has a null entry";
      return false;
    }
  }
  // LM and the KL region measure their steps with C's quadratic model,
  // which is not the model whose minimizer the L-BFGS direction is.
  if (curvature_reuse.secant_correction ==
          SecantCorrection::kLimitedMemoryBfgs &&
      (step_control == StepControlType::kLevenbergMarquardt ||
       step_control == StepControlType::kKlTrustRegion)) {
    if (error != nullptr) {
      *error =
          "CurvatureReuseOptions::secant_correction = limited_memory_bfgs "
          "needs the line_search or fixed_step step control, not " +
          ToString(step_control);
    }
    return false;
  }
  return curvature.IsValid(error) && curvature_reuse.IsValid(error) &&
         line_search.IsValid(error) && damping.IsValid(error) &&
         fixed_step.IsValid(error) && kl_trust_region.IsValid(error) &&
         linear_solver.IsValid(error) && stopping.IsValid(error);
}

}  // namespace fisheropt
