// The model registry (problems/model_registry.h): every entry makes an
// instance whose gradient at the start matches finite differences, every
// GLM family has its entry, names resolve, and the lists the commands show
// come out in their order.

#include "problems/model_registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "problems/synthetic_data.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

// A small instance of an entry: the catalog's size, capped.
InstanceOptions SmallInstance(const ModelEntry& entry) {
  InstanceOptions options;
  options.size = entry.catalog_size(CatalogOptions());
  options.size.num_samples = std::min(options.size.num_samples, 300);
  options.size.num_parameters = std::min(options.size.num_parameters, 4);
  options.size.num_classes = std::min(options.size.num_classes, 3);
  options.nist_directory = FISHEROPT_NIST_DIR;
  return options;
}

// The name of one instance of an entry ("nist-Misra1a" for "nist-<Name>").
std::string InstanceName(const ModelEntry& entry) {
  return IsNamePattern(entry) ? "nist-Misra1a" : entry.name;
}

TEST(ModelRegistryTest, EveryEntryMakesAnInstanceWithAMatchingGradient) {
  std::set<std::string> names;
  for (const ModelEntry& entry : ModelRegistry()) {
    SCOPED_TRACE(entry.name);
    EXPECT_TRUE(names.insert(entry.name).second) << "listed twice";
    EXPECT_FALSE(entry.description.empty());
    ASSERT_TRUE(entry.catalog_size);
    ASSERT_TRUE(entry.make_instance);
    const std::string name = InstanceName(entry);
    std::string error;
    const std::unique_ptr<CatalogProblem> problem =
        entry.make_instance(name, SmallInstance(entry), &error);
    ASSERT_NE(problem, nullptr) << error;
    EXPECT_EQ(problem->name, name);
    EXPECT_FALSE(problem->description.empty());
    const LikelihoodModel& model = *problem->model;
    if (!IsNamePattern(entry)) {
      EXPECT_EQ(model.Name(), entry.name);
      EXPECT_TRUE(problem->start.isZero(0.0));
    }
    ASSERT_EQ(problem->start.size(), model.NumParameters());
    EXPECT_EQ(problem->true_parameters.size(), model.NumParameters());

    // The gradient of the NLL at the start, against central differences.
    double value = 0.0;
    Eigen::VectorXd gradient;
    ASSERT_TRUE(model.Evaluate(problem->start, &value, &gradient));
    const auto nll = [&model](const Eigen::VectorXd& theta) {
      double v = 0.0;
      EXPECT_TRUE(model.Evaluate(theta, &v, nullptr));
      return v;
    };
    const Eigen::VectorXd numerical =
        testing::CentralDifferenceGradient(nll, problem->start, 1e-7);
    EXPECT_LT(testing::RelativeError(gradient, numerical), 1e-6)
        << "analytic " << gradient.transpose() << "\nnumerical "
        << numerical.transpose();
  }
}

TEST(ModelRegistryTest, EveryGlmFamilyHasItsEntry) {
  for (const std::string& name : GlmFamilyNames()) {
    SCOPED_TRACE(name);
    const ModelEntry* entry = FindModel(name);
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->name, name);
    GlmFamilyType family;
    ASSERT_TRUE(FromString(name, &family));
    EXPECT_EQ(entry->glm_family, family);
    ASSERT_TRUE(entry->from_dataset);
    std::string error;
    const std::unique_ptr<LikelihoodModel> model = entry->from_dataset(
        MakeGlmRegressionData(family, 200, 3, 7).data, &error);
    ASSERT_NE(model, nullptr) << error;
    EXPECT_EQ(model->Name(), name);
    EXPECT_EQ(model->NumParameters(), 3);
  }
}

TEST(ModelRegistryTest, NamesAliasesAndPatternsResolve) {
  EXPECT_EQ(FindModel("bernoulli-probit"), FindModel("probit"));
  EXPECT_EQ(FindModel("gaussian")->glm_family,
            GlmFamilyType::kGaussianIdentity);
  EXPECT_FALSE(FindModel("gaussian-regression")->glm_family.has_value());
  ASSERT_NE(FindModel("nist-Misra1a"), nullptr);
  EXPECT_EQ(FindModel("nist-Misra1a")->name, "nist-<Name>");
  EXPECT_EQ(FindModel("nist-"), nullptr);
  EXPECT_EQ(FindModel("tobit"), nullptr);
  EXPECT_EQ(FindModel(""), nullptr);
}

// The lists the commands show, in their order: compare's default run (the
// catalog), check's models, and the data factories (`fit` reports a model
// built from a sample matrix as a multivariate normal).
TEST(ModelRegistryTest, ListsComeOutInTheirOrder) {
  EXPECT_EQ(CatalogProblemNames(),
            (std::vector<std::string>{"logistic", "mvn", "probit", "poisson",
                                      "gaussian-regression", "softmax"}));
  EXPECT_EQ(ModelNames([](const ModelEntry& entry) {
              return entry.check_size.has_value();
            }),
            (std::vector<std::string>{"logistic", "mvn", "softmax"}));
  EXPECT_EQ(ModelNames([](const ModelEntry& entry) {
              return static_cast<bool>(entry.from_samples);
            }),
            std::vector<std::string>{"mvn"});
  EXPECT_EQ(ModelNames([](const ModelEntry& entry) {
              return entry.from_dataset && !entry.glm_family.has_value();
            }),
            std::vector<std::string>{"gaussian-regression"});
}

TEST(ModelRegistryTest, DataFactoriesBuildTheModels) {
  std::string error;
  const std::unique_ptr<LikelihoodModel> regression =
      FindModel("gaussian-regression")
          ->from_dataset(MakeGaussianRegressionData(200, 3, 0.5, 7).data,
                         &error);
  ASSERT_NE(regression, nullptr) << error;
  EXPECT_EQ(regression->NumParameters(), 4);  // β and log σ
  const std::unique_ptr<LikelihoodModel> mvn = FindModel("mvn")->from_samples(
      MakeMultivariateNormalData(200, 3, 7).samples, &error);
  ASSERT_NE(mvn, nullptr) << error;
  EXPECT_EQ(mvn->Name(), "mvn");
  EXPECT_EQ(mvn->NumParameters(), 9);  // μ and the 6 entries of L
}

// An instance is the catalog's problem when the entry is in the catalog:
// the same data for the same size and seed.
TEST(ModelRegistryTest, InstancesAreTheCatalogsProblems) {
  CatalogOptions catalog;
  catalog.probit_samples = 250;
  catalog.probit_parameters = 3;
  std::string error;
  const auto from_catalog = MakeCatalogProblem("probit", catalog, &error);
  ASSERT_NE(from_catalog, nullptr) << error;
  const ModelEntry& entry = *FindModel("probit");
  InstanceOptions instance;
  instance.size = entry.catalog_size(catalog);
  EXPECT_EQ(instance.size.num_samples, 250);
  const auto from_entry = entry.make_instance("probit", instance, &error);
  ASSERT_NE(from_entry, nullptr) << error;
  EXPECT_EQ(from_entry->description, from_catalog->description);
  EXPECT_EQ(from_entry->model->ObservedResponses(),
            from_catalog->model->ObservedResponses());
  EXPECT_EQ(from_entry->true_parameters, from_catalog->true_parameters);
  // A GLM family outside the catalog has an instance but is no catalog
  // problem.
  EXPECT_EQ(MakeCatalogProblem("cloglog", catalog, &error), nullptr);
  EXPECT_EQ(error.rfind("unknown problem 'cloglog'", 0), 0u) << error;
}

}  // namespace
}  // namespace fisheropt
