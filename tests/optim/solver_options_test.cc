#include "optim/solver_options.h"

#include <gtest/gtest.h>

#include "tests/exact_mle.h"

namespace fisheropt {
namespace {

using testing::FisherScoring;

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

TEST(CurvatureReuseTest, InvalidOptionsAreRefused) {
  SolverOptions options;
  std::string error;
  options.curvature_reuse.max_age = 0;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "CurvatureReuseOptions::max_age = 0 must be >= 1");
  options.curvature_reuse.max_age = 5;
  options.curvature_reuse.max_gradient_ratio = 0.0;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error,
            "CurvatureReuseOptions::max_gradient_ratio = 0 must be in (0, 1]");
}

TEST(SecantCorrectionTest, InvalidOptionsAreRefused) {
  SolverOptions options = FisherScoring();
  options.curvature_reuse.secant_memory = 0;
  std::string error;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "CurvatureReuseOptions::secant_memory = 0 must be >= 1");
  options.curvature_reuse.secant_memory = 20;
  options.curvature_reuse.secant_correction =
      SecantCorrection::kLimitedMemoryBfgs;
  options.step_control = StepControlType::kLevenbergMarquardt;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error,
            "CurvatureReuseOptions::secant_correction = limited_memory_bfgs "
            "needs the line_search or fixed_step step control, not "
            "levenberg_marquardt");
  // The KL region measures ½dᵀCd and its gain ratio with C, not with the
  // L-BFGS model: refused as well (it stopped 7e-8 short of the MLE).
  options.step_control = StepControlType::kKlTrustRegion;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error,
            "CurvatureReuseOptions::secant_correction = limited_memory_bfgs "
            "needs the line_search or fixed_step step control, not "
            "kl_trust_region");
  options.step_control = StepControlType::kFixedStep;
  EXPECT_TRUE(options.IsValid(&error)) << error;
  // The dense update works on C itself: every step control takes it.
  for (StepControlType step : {StepControlType::kLevenbergMarquardt,
                               StepControlType::kKlTrustRegion}) {
    options.step_control = step;
    options.curvature_reuse.secant_correction = SecantCorrection::kDenseBfgs;
    EXPECT_TRUE(options.IsValid(&error)) << error;
    options.curvature_reuse.secant_correction = SecantCorrection::kNone;
    EXPECT_TRUE(options.IsValid(&error)) << error;
  }
}

TEST(SecantCorrectionTest, NamesRoundTrip) {
  for (SecantCorrection correction :
       {SecantCorrection::kNone, SecantCorrection::kDenseBfgs,
        SecantCorrection::kLimitedMemoryBfgs}) {
    SecantCorrection parsed;
    ASSERT_TRUE(FromString(ToString(correction), &parsed));
    EXPECT_EQ(parsed, correction);
  }
  EXPECT_EQ(ToString(SecantCorrection::kLimitedMemoryBfgs),
            "limited_memory_bfgs");
  SecantCorrection parsed;
  EXPECT_FALSE(FromString("bfgs", &parsed));
}

TEST(KlTrustRegionOptionsTest, InvalidFieldsAreNamed) {
  SolverOptions options;
  std::string error;
  options.kl_trust_region.initial_radius = 0.0;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "KlTrustRegionOptions::initial_radius = 0 must be > 0");
  options = SolverOptions();
  options.kl_trust_region.growth_factor = 1.0;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "KlTrustRegionOptions::growth_factor = 1 must be > 1");
  options = SolverOptions();
  options.line_search.sufficient_curvature_decrease = 1e-5;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error,
            "LineSearchOptions::sufficient_curvature_decrease = 1e-05 must be "
            "in (sufficient_decrease, 1)");
  options = SolverOptions();
  options.line_search.max_step_expansion = 1.0;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "LineSearchOptions::max_step_expansion = 1 must be > 1");
  options = SolverOptions();
  options.linear_solver.cg_max_forcing = 1.0;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "LinearSolverOptions::cg_max_forcing = 1 must be in (0, 1)");
  StepControlType step;
  ASSERT_TRUE(FromString("kl_trust_region", &step));
  EXPECT_EQ(step, StepControlType::kKlTrustRegion);
  LineSearchType line_search;
  ASSERT_TRUE(FromString("wolfe", &line_search));
  EXPECT_EQ(line_search, LineSearchType::kWolfe);
  LinearSolverType linear_solver;
  ASSERT_TRUE(FromString("conjugate_gradient", &linear_solver));
  EXPECT_EQ(linear_solver, LinearSolverType::kConjugateGradient);
  EXPECT_FALSE(FromString("dogleg", &linear_solver));
}
}  // namespace
}  // namespace fisheropt
