#include "stats/glm_fit.h"

#include <gtest/gtest.h>

namespace fisheropt {
namespace {

// The library's one-call fit stops where the command line does.
TEST(GlmSpecTest, DefaultsAreTheCommandLinesStoppingRules) {
  const GlmSpec spec;
  std::string error;
  EXPECT_TRUE(spec.IsValid(&error)) << error;
  EXPECT_EQ(spec.solver.curvature.type, CurvatureType::kExpectedFisher);
  EXPECT_EQ(spec.solver.stopping.max_iterations, 100);
  EXPECT_EQ(spec.solver.stopping.function_tolerance, 1e-12);
  EXPECT_EQ(spec.solver.stopping.parameter_tolerance, 1e-14);
}

}  // namespace
}  // namespace fisheropt
