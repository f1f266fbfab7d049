#include "optim/step_control.h"

#include <utility>

#include "optim/fixed_step.h"
#include "optim/kl_trust_region.h"
#include "optim/levenberg_marquardt.h"
#include "optim/line_search.h"
#include "optim/trust_region_step.h"
#include "optim/wall_timer.h"

namespace fisheropt {

bool ComputeStepDirection(const SolverPoint& current,
                          const CurvatureOperator& curvature,
                          const LinearSolverOptions& options,
                          NewtonDirection* newton, StepResult* result,
                          std::string* message) {
  const WallTimer solve_timer;
  const bool solved =
      ComputeNewtonDirection(curvature, current.gradient, options, newton);
  result->linear_solver_time_in_seconds = solve_timer.Seconds();
  result->num_factorizations = newton->num_factorizations;
  result->num_cg_iterations = newton->num_cg_iterations;
  if (!solved) {
    *message = curvature.is_dense()
                   ? "the curvature could not be made positive definite by "
                     "any shift in the retry budget"
                   : "conjugate gradient met a non-finite curvature product";
  }
  return solved;
}

namespace {

// One row per step control.
struct StepControlEntry {
  StepControlType type;
  const char* name;
  bool (*options_are_valid)(const SolverOptions& options, std::string* error);
  std::unique_ptr<StepControl> (*create)(const SolverOptions& options,
                                         bool matrix_free);
};

// A trust region: the one loop (TrustRegionStep) around a strategy.
std::unique_ptr<StepControl> TrustRegion(
    StepControlType type, std::unique_ptr<TrustRegionStrategy> strategy,
    double min_gain_ratio, int max_consecutive_rejections) {
  return std::make_unique<TrustRegionStep>(
      type, std::move(strategy), min_gain_ratio, max_consecutive_rejections);
}

const StepControlEntry kStepControls[] = {
    {StepControlType::kLineSearch, "line_search",
     [](const SolverOptions& o, std::string* error) {
       return o.line_search.IsValid(error);
     },
     [](const SolverOptions& o, bool) -> std::unique_ptr<StepControl> {
       return std::make_unique<LineSearchStep>(o.line_search, o.linear_solver);
     }},
    {StepControlType::kLevenbergMarquardt, "levenberg_marquardt",
     [](const SolverOptions& o, std::string* error) {
       return o.damping.IsValid(error);
     },
     [](const SolverOptions& o, bool matrix_free) {
       std::unique_ptr<TrustRegionStrategy> strategy;
       if (matrix_free) {
         strategy =
             std::make_unique<SteihaugStrategy>(o.damping, o.linear_solver);
       } else {
         strategy = std::make_unique<LevenbergMarquardtStrategy>(
             o.damping, o.linear_solver);
       }
       return TrustRegion(StepControlType::kLevenbergMarquardt,
                          std::move(strategy), o.damping.min_gain_ratio,
                          o.damping.max_consecutive_rejections);
     }},
    {StepControlType::kFixedStep, "fixed_step",
     [](const SolverOptions& o, std::string* error) {
       return o.fixed_step.IsValid(error);
     },
     [](const SolverOptions& o, bool) -> std::unique_ptr<StepControl> {
       return std::make_unique<FixedStep>(o.fixed_step, o.linear_solver);
     }},
    {StepControlType::kKlTrustRegion, "kl_trust_region",
     [](const SolverOptions& o, std::string* error) {
       return o.kl_trust_region.IsValid(error);
     },
     [](const SolverOptions& o, bool) {
       return TrustRegion(StepControlType::kKlTrustRegion,
                          std::make_unique<KlTrustRegionStrategy>(
                              o.kl_trust_region, o.linear_solver),
                          o.kl_trust_region.min_gain_ratio,
                          o.kl_trust_region.max_consecutive_rejections);
     }},
};

const StepControlEntry* FindStepControl(StepControlType type) {
  for (const StepControlEntry& entry : kStepControls) {
    if (entry.type == type) return &entry;
  }
  return nullptr;
}

}  // namespace

std::string ToString(StepControlType type) {
  const StepControlEntry* entry = FindStepControl(type);
  return entry != nullptr ? entry->name : "unknown";
}

bool FromString(const std::string& name, StepControlType* type) {
  for (const StepControlEntry& entry : kStepControls) {
    if (name == entry.name) {
      *type = entry.type;
      return true;
    }
  }
  return false;
}

std::unique_ptr<StepControl> CreateStepControl(const SolverOptions& options,
                                               bool matrix_free) {
  const StepControlEntry* entry = FindStepControl(options.step_control);
  return entry != nullptr ? entry->create(options, matrix_free) : nullptr;
}

bool StepControlOptionsAreValid(const SolverOptions& options,
                                std::string* error) {
  for (const StepControlEntry& entry : kStepControls) {
    if (!entry.options_are_valid(options, error)) return false;
  }
  return true;
}

}  // namespace fisheropt
