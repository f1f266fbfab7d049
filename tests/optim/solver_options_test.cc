#include "optim/solver_options.h"

#include <gtest/gtest.h>

namespace fisheropt {
namespace {

TEST(SolverOptionsTest, DefaultsAreValid) {
  std::string error;
  EXPECT_TRUE(SolverOptions().IsValid(&error)) << error;
}

TEST(SolverOptionsTest, MessagesNameFieldValueAndConstraint) {
  struct Case {
    void (*mutate)(SolverOptions*);
    const char* message;
  };
  const Case cases[] = {
      {[](SolverOptions* o) { o->line_search.sufficient_decrease = 1.5; },
       "LineSearchOptions::sufficient_decrease = 1.5 must be in (0, 1)"},
      {[](SolverOptions* o) { o->stopping.max_iterations = -1; },
       "StoppingOptions::max_iterations = -1 must be >= 0"},
      {[](SolverOptions* o) { o->stopping.function_tolerance = -1e-6; },
       "StoppingOptions::function_tolerance = -1e-06 must be >= 0"},
      {[](SolverOptions* o) { o->damping.initial_damping_ratio = 0.0; },
       "DampingOptions::initial_damping_ratio = 0 must be > 0"},
      {[](SolverOptions* o) { o->damping.min_diagonal = 0.0; },
       "DampingOptions::min_diagonal = 0 must be > 0 and finite"},
      {[](SolverOptions* o) { o->damping.max_diagonal = 1e-9; },
       "DampingOptions::max_diagonal = 1e-09 must be >= min_diagonal"},
      {[](SolverOptions* o) { o->fixed_step.learning_rate = -0.1; },
       "FixedStepOptions::learning_rate = -0.1 must be > 0"},
      {[](SolverOptions* o) { o->linear_solver.shift_growth = 1.0; },
       "LinearSolverOptions::shift_growth = 1 must be > 1"},
      {[](SolverOptions* o) { o->curvature.monte_carlo_samples = 0; },
       "CurvatureOptions::monte_carlo_samples = 0 must be >= 1"},
      {[](SolverOptions* o) { o->callbacks.push_back(nullptr); },
       "SolverOptions::callbacks has a null entry"},
  };
  for (const Case& c : cases) {
    SolverOptions options;
    c.mutate(&options);
    std::string error;
    EXPECT_FALSE(options.IsValid(&error));
    EXPECT_EQ(error, c.message);
  }
}

TEST(SolverOptionsTest, NaNToleranceIsRejected) {
  SolverOptions options;
  options.stopping.gradient_tolerance = std::nan("");
  std::string error;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "StoppingOptions::gradient_tolerance = nan must be >= 0");
}

TEST(SolverOptionsTest, StepControlNamesRoundTrip) {
  for (StepControlType type :
       {StepControlType::kLineSearch, StepControlType::kLevenbergMarquardt,
        StepControlType::kFixedStep}) {
    StepControlType parsed;
    ASSERT_TRUE(FromString(ToString(type), &parsed));
    EXPECT_EQ(parsed, type);
  }
}

}  // namespace
}  // namespace fisheropt
