#ifndef FISHEROPT_PROBLEMS_MODEL_REGISTRY_H_
#define FISHEROPT_PROBLEMS_MODEL_REGISTRY_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "linalg/types.h"
#include "problems/dataset.h"
#include "problems/glm_family.h"
#include "problems/likelihood_model.h"
#include "problems/problem_catalog.h"

namespace fisheropt {

// The models fisheropt knows by name: one table that the catalog
// (problem_catalog.h, `fisheropt compare`), `fisheropt check`, `fisheropt
// fit` and `compare --data` read, for their name lists, their messages and
// their dispatch. A model is one entry: its name, a one-line description,
// how to make a synthetic instance of it, and, where the model can be fitted
// to a user's data, how to build it from them.
//
// The entries, in this order (the catalog's problems first, in the order
// `compare` runs them):
//   logistic, mvn, probit, poisson, gaussian-regression, softmax
//       the catalog; sizes from CatalogOptions
//   every other GLM family of GlmFamilyNames() (cloglog, gaussian)
//       one entry per family, made from the family alone
//   nist-<Name>
//       NIST StRD nonlinear regression, read from <Name>.dat in a folder
// An entry's name is the Name() of the model it makes (for nist-<Name>, of
// the NIST problem).

// The size of a synthetic instance.
struct SyntheticSize {
  int num_samples = 0;  // N
  // p, the regression coefficients with the intercept (per class for
  // softmax; β alone for gaussian-regression, whose θ adds log σ); the
  // dimension d for mvn.
  int num_parameters = 0;
  int num_classes = 0;       // softmax: K classes, θ ∈ ℝ^{p(K−1)}
  double noise_sigma = 0.0;  // gaussian-regression: σ of the noise
};

// What an instance is made from.
struct InstanceOptions {
  SyntheticSize size;
  std::uint64_t seed = 20261128;  // of the synthetic data
  std::string nist_directory;     // nist-<Name>: the folder of the .dat files
};

struct ModelEntry {
  using InstanceFactory = std::function<std::unique_ptr<CatalogProblem>(
      const std::string& name, const InstanceOptions& options,
      std::string* error)>;
  using DatasetFactory = std::function<std::unique_ptr<LikelihoodModel>(
      Dataset data, std::string* error)>;
  using SampleMatrixFactory = std::function<std::unique_ptr<LikelihoodModel>(
      RowMatrixXd samples, std::string* error)>;

  // The name users type (`--model`, `--problem`). A name ending in "<Name>"
  // stands for a family of models: "nist-<Name>" matches "nist-Misra1a".
  std::string name;
  // What the model is, in a few words ("probit regression (non-canonical
  // link)"); an instance's description adds its size.
  std::string description;
  // The GLM family, for the entries of the GLM families (one per
  // GlmFamilyNames()); fit's GLM report and `compare --data` use it.
  std::optional<GlmFamilyType> glm_family;
  // A problem of the catalog (MakeCatalogProblem), with its size from
  // CatalogOptions; `compare` runs the ones that name one model by default,
  // in registry order.
  bool in_catalog = false;
  // What an instance needs besides a size, as the catalog's messages say
  // it ("a NIST folder"); empty for synthetic data.
  std::string instance_needs;

  // The size of the instance the catalog makes: from CatalogOptions for the
  // catalog's problems, fixed for the others.
  std::function<SyntheticSize(const CatalogOptions&)> catalog_size;
  // The instance `fisheropt check` runs its identity checks on (N from
  // --samples); absent for the models check does not offer.
  std::optional<SyntheticSize> check_size;
  // Makes an instance: the model on deterministic synthetic data (the same
  // options give the same data), the start θ = 0 (NIST's start 1), the true
  // parameters, and the optimum where it is known. `name` is the name asked
  // for (it names a NIST problem). Returns nullptr with a message that
  // starts with the name.
  InstanceFactory make_instance;

  // The model on a user's data, where that applies: a response and a design
  // (GLMs, gaussian-regression) or a sample matrix, one row per observation
  // (mvn). Empty otherwise. Returns nullptr with a message.
  DatasetFactory from_dataset;
  SampleMatrixFactory from_samples;
};

// Every entry, in the order above.
const std::vector<ModelEntry>& ModelRegistry();

// The entry of a name: an entry's name, a GLM family's alias
// ("bernoulli-probit", glm_family.h) or a name of a family of models
// ("nist-Misra1a"). nullptr when there is none.
const ModelEntry* FindModel(const std::string& name);

// True when the entry's name stands for a family of models ("nist-<Name>").
bool IsNamePattern(const ModelEntry& entry);

// The names of the entries for which `include` is true, in registry order
// (every name when `include` is empty).
std::vector<std::string> ModelNames(
    const std::function<bool(const ModelEntry&)>& include = nullptr);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_MODEL_REGISTRY_H_
