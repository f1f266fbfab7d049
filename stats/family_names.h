#ifndef FISHEROPT_STATS_FAMILY_NAMES_H_
#define FISHEROPT_STATS_FAMILY_NAMES_H_

#include <string>
#include <vector>

#include "stats/glm_fit.h"

namespace fisheropt {

// The names a user gives a GLM family (`fit --model`): R's family names and
// the obvious spellings. Each sets GlmSpec's distribution, its link when the
// name implies one (probit, cloglog) and quasi_likelihood:
//   binomial, logistic           binomial (logit)
//   probit, cloglog              binomial with that link
//   poisson                      poisson (log)
//   gaussian                     gaussian (identity)
//   Gamma, gamma                 Gamma (inverse)
//   inverse.gaussian             inverse.gaussian (1/mu^2)
//   negative.binomial, negbin    negative.binomial (log), θ estimated
//                                (FitNegativeBinomial)
//   quasibinomial, quasipoisson  binomial / poisson, φ̂ by Pearson
// and, unlisted, the preset names of problems/glm_family.h
// (bernoulli-logit, bernoulli-probit, bernoulli-cloglog, poisson-log,
// gaussian-identity). Every distribution of problems/glm_distribution.h
// answers to its R name without a line here; adding another name is one
// line of the table in family_names.cc.
struct GlmFamilyName {
  std::string name;
  GlmDistribution distribution;
  std::optional<GlmLink> link;
  bool quasi_likelihood = false;
  bool listed = true;  // in GlmFamilyNameList() (help, error messages)
};

const std::vector<GlmFamilyName>& GlmFamilyNameTable();
// Every listed name, in the table's order.
std::vector<std::string> GlmFamilyNameList();
// Sets spec's distribution, link (when the name fixes one; otherwise it is
// left as it is) and quasi_likelihood; false when the name is unknown.
bool ApplyGlmFamilyName(const std::string& name, GlmSpec* spec);

}  // namespace fisheropt

#endif  // FISHEROPT_STATS_FAMILY_NAMES_H_
