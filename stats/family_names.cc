#include "stats/family_names.h"

#include <algorithm>

namespace fisheropt {

namespace {

std::vector<GlmFamilyName> MakeTable() {
  std::vector<GlmFamilyName> table = {
      {"logistic", GlmDistribution::kBinomial, GlmLink::kLogit, false},
      {"binomial", GlmDistribution::kBinomial, std::nullopt, false},
      {"probit", GlmDistribution::kBinomial, GlmLink::kProbit, false},
      {"cloglog", GlmDistribution::kBinomial, GlmLink::kCloglog, false},
      {"poisson", GlmDistribution::kPoisson, std::nullopt, false},
      {"gaussian", GlmDistribution::kGaussian, std::nullopt, false},
      {"Gamma", GlmDistribution::kGamma, std::nullopt, false},
      {"gamma", GlmDistribution::kGamma, std::nullopt, false},
      {"inverse.gaussian", GlmDistribution::kInverseGaussian, std::nullopt,
       false},
      {"negative.binomial", GlmDistribution::kNegativeBinomial, std::nullopt,
       false},
      {"negbin", GlmDistribution::kNegativeBinomial, std::nullopt, false},
      {"quasibinomial", GlmDistribution::kBinomial, std::nullopt, true},
      {"quasipoisson", GlmDistribution::kPoisson, std::nullopt, true},
      {"bernoulli-logit", GlmDistribution::kBinomial, GlmLink::kLogit, false,
       false},
      {"bernoulli-probit", GlmDistribution::kBinomial, GlmLink::kProbit, false,
       false},
      {"bernoulli-cloglog", GlmDistribution::kBinomial, GlmLink::kCloglog,
       false, false},
      {"poisson-log", GlmDistribution::kPoisson, GlmLink::kLog, false, false},
      {"gaussian-identity", GlmDistribution::kGaussian, GlmLink::kIdentity,
       false, false},
  };
  // Every distribution answers to R's name, so a new one needs no line.
  for (const std::string& name : GlmDistributionNames()) {
    const bool named = std::any_of(
        table.begin(), table.end(),
        [&](const GlmFamilyName& entry) { return entry.name == name; });
    GlmDistribution distribution;
    if (!named && FromString(name, &distribution)) {
      table.push_back({name, distribution, std::nullopt, false});
    }
  }
  return table;
}

}  // namespace

const std::vector<GlmFamilyName>& GlmFamilyNameTable() {
  static const std::vector<GlmFamilyName> table = MakeTable();
  return table;
}

std::vector<std::string> GlmFamilyNameList() {
  std::vector<std::string> names;
  for (const GlmFamilyName& entry : GlmFamilyNameTable()) {
    if (entry.listed) names.push_back(entry.name);
  }
  return names;
}

bool ApplyGlmFamilyName(const std::string& name, GlmSpec* spec) {
  for (const GlmFamilyName& entry : GlmFamilyNameTable()) {
    if (entry.name != name) continue;
    spec->distribution = entry.distribution;
    if (entry.link.has_value()) spec->link = entry.link;
    spec->quasi_likelihood = entry.quasi_likelihood;
    return true;
  }
  return false;
}

}  // namespace fisheropt
