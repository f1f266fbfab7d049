#include "stats/anova.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "fisher/distributions.h"

namespace fisheropt {

bool CompareNestedFits(const GlmFit& small, const GlmFit& big, AnovaTest test,
                       AnovaComparison* comparison, std::string* error) {
  if (small.FamilyName() != big.FamilyName() || small.link != big.link) {
    *error = "the two fits have different families (" + small.FamilyName() +
             "(" + small.LinkName() + "), " + big.FamilyName() + "(" +
             big.LinkName() + "))";
    return false;
  }
  if (small.num_observations != big.num_observations) {
    *error = fmt::format(
        "the two fits have different numbers of observations ({} and {}); "
        "nested models are compared on the same data",
        small.num_observations, big.num_observations);
    return false;
  }
  if (small.df_residual <= big.df_residual) {
    *error = fmt::format(
        "the first model must be the smaller one: its residual df ({}) must "
        "exceed the second's ({})",
        small.df_residual, big.df_residual);
    return false;
  }
  for (size_t j = 0; j < small.names.size(); ++j) {
    if (small.aliased[j]) continue;
    if (std::find(big.names.begin(), big.names.end(), small.names[j]) ==
        big.names.end()) {
      *error = "the models are not nested: coefficient '" + small.names[j] +
               "' of the first is not in the second";
      return false;
    }
  }
  AnovaComparison& c = *comparison;
  c = AnovaComparison();
  c.test = test;
  c.df_residual_small = small.df_residual;
  c.df_residual_big = big.df_residual;
  c.deviance_small = small.deviance;
  c.deviance_big = big.deviance;
  c.df = small.df_residual - big.df_residual;
  c.deviance = small.deviance - big.deviance;
  c.dispersion = big.dispersion;
  if (test == AnovaTest::kLikelihoodRatio) {
    c.statistic = c.deviance / c.dispersion;
    c.p_value = ChiSquaredUpperTail(c.statistic, c.df);
  } else {
    c.statistic = c.deviance / c.df / c.dispersion;
    c.p_value = FUpperTail(c.statistic, c.df, big.df_residual);
  }
  return true;
}

std::string AnovaComparison::Report() const {
  const bool f = test == AnovaTest::kF;
  std::string text = "Analysis of Deviance Table\n\n";
  text += fmt::format("{:<6}{:>10}{:>14}{:>6}{:>14}{:>12}{:>12}\n", "Model",
                      "Resid. Df", "Resid. Dev", "Df", "Deviance", f ? "F" : "",
                      f ? "Pr(>F)" : "Pr(>Chi)");
  text += fmt::format("{:<6}{:>10}{:>14.6f}\n", "1", df_residual_small,
                      deviance_small);
  text += fmt::format("{:<6}{:>10}{:>14.6f}{:>6}{:>14.6f}{:>12}{:>12.4g}\n",
                      "2", df_residual_big, deviance_big, df, deviance,
                      f ? fmt::format("{:.4f}", statistic) : "", p_value);
  return text;
}

}  // namespace fisheropt
