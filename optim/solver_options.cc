#include "optim/solver_options.h"

#include <cmath>
#include <sstream>

#include "optim/step_control.h"

namespace fisheropt {
namespace {

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

bool InvalidOption(const char* field, double value, const char* constraint,
                   std::string* error) {
  return Invalid(field, value, constraint, error);
}

bool InvalidOption(const char* field, int value, const char* constraint,
                   std::string* error) {
  return Invalid(field, value, constraint, error);
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
    return InvalidOption("StoppingOptions::max_iterations", max_iterations,
                         ">= 0", error);
  }
  if (!(max_solver_time_in_seconds > 0.0)) {
    return InvalidOption("StoppingOptions::max_solver_time_in_seconds",
                         max_solver_time_in_seconds, "> 0", error);
  }
  if (!(function_tolerance >= 0.0)) {
    return InvalidOption("StoppingOptions::function_tolerance",
                         function_tolerance, ">= 0", error);
  }
  if (!(gradient_tolerance >= 0.0)) {
    return InvalidOption("StoppingOptions::gradient_tolerance",
                         gradient_tolerance, ">= 0", error);
  }
  if (!(parameter_tolerance >= 0.0)) {
    return InvalidOption("StoppingOptions::parameter_tolerance",
                         parameter_tolerance, ">= 0", error);
  }
  return true;
}

bool LinearSolverOptions::IsValid(std::string* error) const {
  if (automatic_cg_threshold < 0) {
    return InvalidOption("LinearSolverOptions::automatic_cg_threshold",
                         automatic_cg_threshold, ">= 0", error);
  }
  if (!(cg_max_forcing > 0.0 && cg_max_forcing < 1.0)) {
    return InvalidOption("LinearSolverOptions::cg_max_forcing", cg_max_forcing,
                         "in (0, 1)", error);
  }
  if (!(initial_shift_ratio > 0.0)) {
    return InvalidOption("LinearSolverOptions::initial_shift_ratio",
                         initial_shift_ratio, "> 0", error);
  }
  if (!(shift_growth > 1.0)) {
    return InvalidOption("LinearSolverOptions::shift_growth", shift_growth,
                         "> 1", error);
  }
  if (max_shift_retries < 0) {
    return InvalidOption("LinearSolverOptions::max_shift_retries",
                         max_shift_retries, ">= 0", error);
  }
  if (!(min_relative_pivot >= 0.0 && min_relative_pivot < 1.0)) {
    return InvalidOption("LinearSolverOptions::min_relative_pivot",
                         min_relative_pivot, "in [0, 1)", error);
  }
  return true;
}

bool CurvatureReuseOptions::IsValid(std::string* error) const {
  if (max_age < 1) {
    return InvalidOption("CurvatureReuseOptions::max_age", max_age, ">= 1",
                         error);
  }
  if (!(max_gradient_ratio > 0.0 && max_gradient_ratio <= 1.0)) {
    return InvalidOption("CurvatureReuseOptions::max_gradient_ratio",
                         max_gradient_ratio, "in (0, 1]", error);
  }
  if (secant_memory < 1) {
    return InvalidOption("CurvatureReuseOptions::secant_memory", secant_memory,
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
         StepControlOptionsAreValid(*this, error) &&
         linear_solver.IsValid(error) && stopping.IsValid(error);
}

}  // namespace fisheropt
