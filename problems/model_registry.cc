#include "problems/model_registry.h"

#include <sstream>
#include <utility>

#include "problems/gaussian_regression_model.h"
#include "problems/glm_model.h"
#include "problems/multivariate_normal_model.h"
#include "problems/nist_dataset.h"
#include "problems/nist_models.h"
#include "problems/softmax_model.h"
#include "problems/synthetic_data.h"

namespace fisheropt {
namespace {

// The size of the GLM families outside the catalog.
constexpr int kGlmSamples = 5000;
constexpr int kGlmParameters = 10;

// The names of the NIST problems: kNistPrefix + NIST's name.
constexpr char kNistPrefix[] = "nist-";

SyntheticSize Size(int num_samples, int num_parameters, int num_classes = 0,
                   double noise_sigma = 0.0) {
  SyntheticSize size;
  size.num_samples = num_samples;
  size.num_parameters = num_parameters;
  size.num_classes = num_classes;
  size.noise_sigma = noise_sigma;
  return size;
}

// The end of every synthetic instance: the model's message on failure, else
// the start θ = 0 (β = 0 for GLMs; μ = 0, Σ = I for MVN; β = 0, σ = 1 for
// Gaussian regression; equal class probabilities for softmax).
std::unique_ptr<CatalogProblem> FinishSynthetic(
    std::unique_ptr<CatalogProblem> problem, const std::string& model_error,
    std::string* error) {
  if (problem->model == nullptr) {
    if (error != nullptr) *error = problem->name + ": " + model_error;
    return nullptr;
  }
  problem->start = Eigen::VectorXd::Zero(problem->model->NumParameters());
  return problem;
}

std::unique_ptr<CatalogProblem> NewProblem(const std::string& name) {
  auto problem = std::make_unique<CatalogProblem>();
  problem->name = name;
  return problem;
}

// A GLM family on the design intercept + N(0, 1) features. The logistic
// entry draws its data with MakeLogisticRegressionData (the catalog's data
// since its first version), the others with MakeGlmRegressionData.
ModelEntry GlmEntry(
    GlmFamilyType family, const std::string& description, bool in_catalog,
    std::function<SyntheticSize(const CatalogOptions&)> catalog_size) {
  ModelEntry entry;
  entry.name = ToString(family);
  entry.description = description;
  entry.glm_family = family;
  entry.in_catalog = in_catalog;
  entry.catalog_size = std::move(catalog_size);
  entry.make_instance = [family, description](const std::string& name,
                                              const InstanceOptions& options,
                                              std::string* error) {
    const int n = options.size.num_samples;
    const int p = options.size.num_parameters;
    SyntheticRegression synthetic =
        family == GlmFamilyType::kBernoulliLogit
            ? MakeLogisticRegressionData(n, p, options.seed)
            : MakeGlmRegressionData(family, n, p, options.seed);
    auto problem = NewProblem(name);
    std::ostringstream text;
    text << description << ", N = " << n << ", p = " << p
         << " (intercept + N(0,1) features)";
    problem->description = text.str();
    problem->true_parameters = synthetic.true_parameters;
    std::string model_error;
    problem->model =
        GlmModel::Create(std::move(synthetic.data), family, &model_error);
    return FinishSynthetic(std::move(problem), model_error, error);
  };
  entry.from_dataset = [family](Dataset data, std::string* error) {
    return std::unique_ptr<LikelihoodModel>(
        GlmModel::Create(std::move(data), family, error));
  };
  return entry;
}

ModelEntry MultivariateNormalEntry() {
  ModelEntry entry;
  entry.name = "mvn";
  entry.description = "multivariate normal mean + covariance";
  entry.in_catalog = true;
  entry.catalog_size = [](const CatalogOptions& options) {
    return Size(options.mvn_samples, options.mvn_dimension);
  };
  entry.check_size = Size(0, 2);
  entry.make_instance = [](const std::string& name,
                           const InstanceOptions& options, std::string* error) {
    const int n = options.size.num_samples;
    const int d = options.size.num_parameters;
    SyntheticGaussian synthetic =
        MakeMultivariateNormalData(n, d, options.seed);
    auto problem = NewProblem(name);
    std::ostringstream text;
    text << "multivariate normal mean + covariance, d = " << d << ", N = " << n;
    problem->description = text.str();
    problem->true_parameters = MultivariateNormalModel::ParametersFromMoments(
        synthetic.true_mean, synthetic.true_covariance);
    std::string model_error;
    auto model = MultivariateNormalModel::Create(std::move(synthetic.samples),
                                                 &model_error);
    if (model != nullptr) {
      problem->closed_form_optimum = model->MaximumLikelihoodParameters();
    }
    problem->model = std::move(model);
    return FinishSynthetic(std::move(problem), model_error, error);
  };
  entry.from_samples = [](RowMatrixXd samples, std::string* error) {
    return std::unique_ptr<LikelihoodModel>(
        MultivariateNormalModel::Create(std::move(samples), error));
  };
  return entry;
}

ModelEntry GaussianRegressionEntry() {
  ModelEntry entry;
  entry.name = "gaussian-regression";
  entry.description =
      "linear regression with unknown noise, theta = (beta, log sigma)";
  entry.in_catalog = true;
  entry.catalog_size = [](const CatalogOptions& options) {
    return Size(options.regression_samples, options.regression_parameters, 0,
                options.regression_noise_sigma);
  };
  entry.make_instance = [](const std::string& name,
                           const InstanceOptions& options, std::string* error) {
    const SyntheticSize& size = options.size;
    SyntheticRegression synthetic = MakeGaussianRegressionData(
        size.num_samples, size.num_parameters, size.noise_sigma, options.seed);
    auto problem = NewProblem(name);
    std::ostringstream text;
    text << "linear regression with unknown noise, theta = (beta, "
            "log sigma), N = "
         << size.num_samples << ", p = " << size.num_parameters << " + 1";
    problem->description = text.str();
    problem->true_parameters = synthetic.true_parameters;
    std::string model_error;
    Eigen::VectorXd optimum;
    if (GaussianRegressionModel::MaximumLikelihoodParameters(
            synthetic.data, &optimum, &model_error)) {
      problem->closed_form_optimum = optimum;
      problem->model = GaussianRegressionModel::Create(
          std::move(synthetic.data), &model_error);
    }
    return FinishSynthetic(std::move(problem), model_error, error);
  };
  entry.from_dataset = [](Dataset data, std::string* error) {
    return std::unique_ptr<LikelihoodModel>(
        GaussianRegressionModel::Create(std::move(data), error));
  };
  return entry;
}

ModelEntry SoftmaxEntry() {
  ModelEntry entry;
  entry.name = "softmax";
  entry.description = "softmax (multinomial logistic) regression";
  entry.in_catalog = true;
  entry.catalog_size = [](const CatalogOptions& options) {
    return Size(options.softmax_samples, options.softmax_parameters,
                options.softmax_classes);
  };
  entry.check_size = Size(0, 3, 3);
  entry.make_instance = [](const std::string& name,
                           const InstanceOptions& options, std::string* error) {
    const SyntheticSize& size = options.size;
    SyntheticRegression synthetic = MakeSoftmaxRegressionData(
        size.num_samples, size.num_parameters, size.num_classes, options.seed);
    auto problem = NewProblem(name);
    std::ostringstream text;
    text << "softmax regression, K = " << size.num_classes
         << " classes (class 0 the reference), N = " << size.num_samples
         << ", p = " << size.num_parameters << " per class x "
         << size.num_classes - 1 << " (intercept + N(0,1) features)";
    problem->description = text.str();
    problem->true_parameters = synthetic.true_parameters;
    std::string model_error;
    problem->model = SoftmaxModel::Create(std::move(synthetic.data),
                                          size.num_classes, &model_error);
    return FinishSynthetic(std::move(problem), model_error, error);
  };
  return entry;
}

// NIST's data, start 1 and certified optimum: "nist-Misra1a" reads
// Misra1a.dat from InstanceOptions::nist_directory.
ModelEntry NistEntry() {
  ModelEntry entry;
  entry.name = std::string(kNistPrefix) + "<Name>";
  entry.description =
      "NIST StRD nonlinear regression problem <Name> (NIST's data, start 1, "
      "certified optimum)";
  entry.in_catalog = true;
  entry.instance_needs = "a NIST folder";
  entry.catalog_size = [](const CatalogOptions&) { return SyntheticSize(); };
  entry.make_instance = [](const std::string& name,
                           const InstanceOptions& options, std::string* error) {
    const std::string nist_name = name.substr(sizeof(kNistPrefix) - 1);
    if (options.nist_directory.empty()) {
      if (error != nullptr) {
        *error = name +
                 ": NIST problems need the folder of the .dat files "
                 "(CatalogOptions::nist_directory, --nist-dir)";
      }
      return std::unique_ptr<CatalogProblem>();
    }
    std::string model_error;
    NistDataset dataset;
    if (!ReadNistDataset(options.nist_directory + "/" + nist_name + ".dat",
                         &dataset, &model_error)) {
      if (error != nullptr) *error = name + ": " + model_error;
      return std::unique_ptr<CatalogProblem>();
    }
    auto problem = NewProblem(name);
    problem->description = "NIST StRD " + dataset.name + ": " +
                           dataset.model_text + " (start 1, " +
                           std::to_string(dataset.responses.size()) +
                           " observations)";
    problem->true_parameters = dataset.certified_values;
    problem->closed_form_optimum = dataset.certified_values;
    problem->optimum_source = "NIST certified values";
    problem->model = CreateNistModel(dataset, &model_error);
    if (problem->model == nullptr) {
      if (error != nullptr) *error = name + ": " + model_error;
      return std::unique_ptr<CatalogProblem>();
    }
    problem->start = dataset.starts[0];
    return problem;
  };
  return entry;
}

std::vector<ModelEntry> MakeRegistry() {
  std::vector<ModelEntry> entries;
  // The catalog, in the order `compare` runs it.
  entries.push_back(GlmEntry(
      GlmFamilyType::kBernoulliLogit, "logistic regression",
      /*in_catalog=*/true, [](const CatalogOptions& options) {
        return Size(options.logistic_samples, options.logistic_parameters);
      }));
  entries.back().check_size = Size(0, 4);
  entries.push_back(MultivariateNormalEntry());
  entries.push_back(GlmEntry(
      GlmFamilyType::kBernoulliProbit, "probit regression (non-canonical link)",
      /*in_catalog=*/true, [](const CatalogOptions& options) {
        return Size(options.probit_samples, options.probit_parameters);
      }));
  entries.push_back(GlmEntry(
      GlmFamilyType::kPoissonLog, "Poisson log-linear regression",
      /*in_catalog=*/true, [](const CatalogOptions& options) {
        return Size(options.poisson_samples, options.poisson_parameters);
      }));
  entries.push_back(GaussianRegressionEntry());
  entries.push_back(SoftmaxEntry());
  // Every other GLM family, in the order of GlmFamilyNames().
  for (const std::string& family_name : GlmFamilyNames()) {
    GlmFamilyType family;
    FromString(family_name, &family);
    bool listed = false;
    for (const ModelEntry& entry : entries) {
      listed = listed || entry.glm_family == family;
    }
    if (listed) continue;
    entries.push_back(GlmEntry(family, family_name + " regression (GLM)",
                               /*in_catalog=*/false, [](const CatalogOptions&) {
                                 return Size(kGlmSamples, kGlmParameters);
                               }));
  }
  entries.push_back(NistEntry());
  return entries;
}

// "nist-" for "nist-<Name>"; empty for a name that stands for one model.
std::string PatternPrefix(const std::string& name) {
  const size_t open = name.find('<');
  if (open == std::string::npos || name.back() != '>') return "";
  return name.substr(0, open);
}

}  // namespace

bool IsNamePattern(const ModelEntry& entry) {
  return !PatternPrefix(entry.name).empty();
}

const std::vector<ModelEntry>& ModelRegistry() {
  static const std::vector<ModelEntry> entries = MakeRegistry();
  return entries;
}

const ModelEntry* FindModel(const std::string& name) {
  for (const ModelEntry& entry : ModelRegistry()) {
    if (entry.name == name) return &entry;
  }
  GlmFamilyType family;
  if (FromString(name, &family)) {
    for (const ModelEntry& entry : ModelRegistry()) {
      if (entry.glm_family == family) return &entry;
    }
  }
  for (const ModelEntry& entry : ModelRegistry()) {
    const std::string prefix = PatternPrefix(entry.name);
    if (!prefix.empty() && name.size() > prefix.size() &&
        name.compare(0, prefix.size(), prefix) == 0) {
      return &entry;
    }
  }
  return nullptr;
}

std::vector<std::string> ModelNames(
    const std::function<bool(const ModelEntry&)>& include) {
  std::vector<std::string> names;
  for (const ModelEntry& entry : ModelRegistry()) {
    if (!include || include(entry)) names.push_back(entry.name);
  }
  return names;
}

}  // namespace fisheropt
