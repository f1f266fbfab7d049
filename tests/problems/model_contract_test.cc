// The model-contract harness itself: it passes a correct model, skips only
// what a model declares absent, and fails each check on a model with a known
// error in what that check covers.
#include "tests/problems/model_contract.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "tests/fisher/fisher_test_models.h"

namespace fisheropt {
namespace {

using testing::ContractCheckStatus;
using testing::ExpectModelContract;
using testing::ForwardingModel;
using testing::ModelAlterations;
using testing::ModelContractReport;

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Runs the harness with its gtest failures intercepted (they are what is
// tested) and returns the report; `failures` counts them.
ModelContractReport RunIntercepted(const LikelihoodModel& model,
                                   const Eigen::VectorXd& theta,
                                   int* failures) {
  ::testing::TestPartResultArray results;
  ModelContractReport report;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::
            INTERCEPT_ONLY_CURRENT_THREAD,
        &results);
    report = ExpectModelContract(model, theta);
  }
  *failures = results.size();
  return report;
}

TEST(ModelContractTest, ACorrectModelPassesEveryCheck) {
  auto logistic = testing::Logistic(200, 3, 5);
  const ForwardingModel model(*logistic);
  const Eigen::VectorXd theta = Eigen::Vector3d(0.3, -0.5, 0.2);
  const ModelContractReport report = ExpectModelContract(model, theta);
  EXPECT_TRUE(report.Names(ContractCheckStatus::kFailed).empty());
  EXPECT_TRUE(report.Names(ContractCheckStatus::kSkipped).empty())
      << report.Summary();
  EXPECT_EQ(report.Names(ContractCheckStatus::kPassed).size(), 15u)
      << report.Summary();
}

// Only scores and sampling: the checks that need a closed form are skipped,
// and say why; the rest pass through LikelihoodModel's defaults (the chunked
// Σ s_i s_iᵀ over 3 chunks, one parameter group).
TEST(ModelContractTest, AModelWithoutClosedFormsSkipsWhatItLacks) {
  auto logistic = testing::Logistic(1100, 3, 6);
  ModelAlterations alterations;
  alterations.hide_closed_forms = true;
  const ForwardingModel model(*logistic, alterations);
  const ModelContractReport report =
      ExpectModelContract(model, Eigen::Vector3d(0.1, 0.2, -0.3));
  EXPECT_EQ(report.Names(ContractCheckStatus::kPassed),
            (std::vector<std::string>{
                "setup", "structure", "value-and-gradient", "scores",
                "sampling", "score-outer-products", "mean-score"}));
  EXPECT_EQ(report.Names(ContractCheckStatus::kSkipped),
            (std::vector<std::string>{
                "hessian", "response-free-hessian", "expected-fisher",
                "expected-hessian", "kl", "gauss-newton", "curvature-products",
                "approximate-curvature"}));
  EXPECT_NE(report.Summary().find("hessian (Capabilities::hessian is false)"),
            std::string::npos)
      << report.Summary();
}

struct Defect {
  std::string name;
  ModelAlterations alterations;
  std::string check;  // the check that must catch it
};

void PrintTo(const Defect& defect, std::ostream* os) { *os << defect.name; }

std::vector<Defect> Defects() {
  std::vector<Defect> defects;
  auto add = [&](const std::string& name, const std::string& check,
                 auto alter) {
    ModelAlterations alterations;
    alter(&alterations);
    defects.push_back({name, alterations, check});
  };
  // A gradient entry off by 1e-5, one sample's score by 5e-7, curvatures by
  // a factor 1 + 1e-6: far below what a look at the numbers shows, above the
  // central differences' and identities' tolerances.
  add("GradientOffByOneInAMillion", "value-and-gradient",
      [](ModelAlterations* a) { a->gradient_error = 1e-5; });
  add("ScoreOffByOneInAMillion", "scores",
      [](ModelAlterations* a) { a->score_error = 5e-7; });
  add("HessianOffByOneInAMillion", "hessian",
      [](ModelAlterations* a) { a->hessian_factor = 1.0 + 1e-6; });
  add("ScoreOuterProductsOffByOneInAMillion", "score-outer-products",
      [](ModelAlterations* a) { a->score_outer_product_factor = 1.0 + 1e-6; });
  // The Monte Carlo checks: a Fisher 5 % off, draws at a θ shifted by 0.05.
  add("FisherFivePercentOff", "expected-fisher",
      [](ModelAlterations* a) { a->fisher_factor = 1.05; });
  add("FisherFivePercentOffAgainstTheHessian", "expected-hessian",
      [](ModelAlterations* a) { a->fisher_factor = 1.05; });
  add("SamplingAtAnotherTheta", "mean-score", [](ModelAlterations* a) {
    a->sampling_theta = Eigen::Vector3d(0.35, -0.5, 0.2);
  });
  add("UnseededSampling", "sampling",
      [](ModelAlterations* a) { a->unseeded_sampling = true; });
  add("KlOnePercentOff", "kl",
      [](ModelAlterations* a) { a->kl_factor = 1.01; });
  add("CanonicalHessianThatIsNotTheFisher", "response-free-hessian",
      [](ModelAlterations* a) { a->hessian_factor = 1.0 + 1e-9; });
  add("ProductOffByOneInAMillion", "curvature-products",
      [](ModelAlterations* a) { a->curvature_apply_factor = 1.0 + 1e-6; });
  add("HessianCapabilityUnderstated", "structure",
      [](ModelAlterations* a) { a->understate_hessian_capability = true; });
  return defects;
}

class ModelContractDefectTest : public ::testing::TestWithParam<Defect> {};

TEST_P(ModelContractDefectTest, IsCaughtByItsCheck) {
  auto logistic = testing::Logistic(200, 3, 5);
  const ForwardingModel model(*logistic, GetParam().alterations);
  int failures = 0;
  const ModelContractReport report =
      RunIntercepted(model, Eigen::Vector3d(0.3, -0.5, 0.2), &failures);
  EXPECT_GT(failures, 0);
  EXPECT_TRUE(
      Contains(report.Names(ContractCheckStatus::kFailed), GetParam().check))
      << report.Summary();
}

INSTANTIATE_TEST_SUITE_P(Defects, ModelContractDefectTest,
                         ::testing::ValuesIn(Defects()),
                         [](const ::testing::TestParamInfo<Defect>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace fisheropt
