#ifndef FISHEROPT_STATS_ANOVA_H_
#define FISHEROPT_STATS_ANOVA_H_

#include <string>

#include "stats/glm_fit.h"

namespace fisheropt {

// The tests of R's anova(small, big, test = ...) between two nested GLM
// fits of the same data.
enum class AnovaTest {
  // Likelihood ratio ("LRT", "Chisq"): the deviance difference divided by
  // the dispersion of the bigger model (1 for binomial and Poisson) on a χ²
  // with the difference of residual df.
  kLikelihoodRatio,
  // "F": (deviance difference / df difference) / φ̂ of the bigger model, on
  // an F with (df difference, the bigger model's df_residual).
  kF,
};

struct AnovaComparison {
  AnovaTest test = AnovaTest::kLikelihoodRatio;
  int df_residual_small = 0, df_residual_big = 0;
  double deviance_small = 0.0, deviance_big = 0.0;
  int df = 0;               // df_residual_small − df_residual_big
  double deviance = 0.0;    // deviance_small − deviance_big
  double dispersion = 1.0;  // the bigger model's φ̂
  double statistic = 0.0;   // χ² = deviance / φ̂, or F
  double p_value = 1.0;

  // R's "Analysis of Deviance Table" for the two models.
  std::string Report() const;
};

// Refuses, with a message naming the mismatch, fits of different families
// or observation counts, a "small" model with no fewer residual degrees of
// freedom than the big one, and a small model with a coefficient the big
// one does not have (not nested by name).
bool CompareNestedFits(const GlmFit& small, const GlmFit& big, AnovaTest test,
                       AnovaComparison* comparison, std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_STATS_ANOVA_H_
