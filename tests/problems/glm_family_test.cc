#include "problems/glm_family.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace fisheropt {
namespace {

// Responses in each family's support used by the derivative tests.
std::vector<double> SupportPoints(GlmFamilyType type) {
  switch (type) {
    case GlmFamilyType::kPoissonLog:
      return {0.0, 1.0, 4.0};
    case GlmFamilyType::kGaussianIdentity:
      return {-1.3, 0.7};
    default:
      return {0.0, 1.0};
  }
}

double At(const Eigen::VectorXd& v) { return v[0]; }

struct Scalars {
  double log_likelihood, dl_deta, observed_weight;
};

Scalars EvaluateOne(const GlmFamily& family, double eta, double y) {
  Eigen::VectorXd l, d, w;
  family.Evaluate(Eigen::VectorXd::Constant(1, eta),
                  Eigen::VectorXd::Constant(1, y), &l, &d, &w);
  return {At(l), At(d), At(w)};
}

TEST(GlmFamilyNamesTest, EveryNameRoundTripsAndAliasesParse) {
  for (const std::string& name : GlmFamilyNames()) {
    GlmFamilyType type;
    ASSERT_TRUE(FromString(name, &type)) << name;
    EXPECT_EQ(ToString(type), name);
    EXPECT_EQ(CreateGlmFamily(type)->type(), type);
  }
  GlmFamilyType type;
  ASSERT_TRUE(FromString("bernoulli-cloglog", &type));
  EXPECT_EQ(type, GlmFamilyType::kBernoulliCloglog);
  ASSERT_TRUE(FromString("poisson-log", &type));
  EXPECT_EQ(type, GlmFamilyType::kPoissonLog);
  EXPECT_FALSE(FromString("gamma", &type));
}

TEST(NormalHelpersTest, LogNormalCdfMatchesR) {
  // R: options(digits = 17); pnorm(c(-700, -40, -37.5, -36, -10, 0.3, 5, 30),
  //                                log.p = TRUE)
  const double x[] = {-700, -40, -37.5, -36, -10, 0.3, 5, 30};
  const double r[] = {-2.4500747002090907e+05, -8.0460844201375380e+02,
                      -7.0766898931750723e+02, -6.5250322759379844e+02,
                      -5.3231285150512470e+01, -4.8141016158848116e-01,
                      -2.8665161296376358e-07, -4.9067139271481872e-198};
  for (int k = 0; k < 8; ++k) {
    EXPECT_NEAR(LogNormalCdf(x[k]), r[k], 4e-15 * std::abs(r[k])) << x[k];
  }
}

TEST(NormalHelpersTest, InverseMillsRatioMatchesHighPrecision) {
  // Python mpmath, mp.dps = 60: npdf(x) / ncdf(x). (R's
  // exp(dnorm(x, log = TRUE) - pnorm(x, log.p = TRUE)) loses up to 2e-11
  // relative at x = −700 in the difference of two logs near −2.45e5.)
  const double x[] = {-700, -40, -37.5, -36, -10, 0.3, 5, 30};
  const double exact[] = {700.00142856559772714,    40.024968847207263723,
                          37.526628874883653599,    36.027735075281060569,
                          10.098093233962511963,    0.61722085361273445015,
                          1.4867199409049057124e-6, 1.473646134878547519e-196};
  for (int k = 0; k < 8; ++k) {
    EXPECT_NEAR(InverseMillsRatio(x[k]), exact[k], 4e-15 * exact[k]) << x[k];
  }
}

class GlmFamilyZooTest : public ::testing::TestWithParam<GlmFamilyType> {
 protected:
  std::unique_ptr<GlmFamily> family_ = CreateGlmFamily(GetParam());
};

// dℓ/dη against a central difference of ℓ, and the observed weight against
// a central difference of −dℓ/dη, at several η and every response type.
TEST_P(GlmFamilyZooTest, DerivativesMatchCentralDifferences) {
  const double h = 1e-5;
  for (double y : SupportPoints(GetParam())) {
    for (double eta : {-3.0, -1.0, -0.2, 0.4, 1.5, 3.0}) {
      const Scalars at = EvaluateOne(*family_, eta, y);
      const Scalars plus = EvaluateOne(*family_, eta + h, y);
      const Scalars minus = EvaluateOne(*family_, eta - h, y);
      const double dl = (plus.log_likelihood - minus.log_likelihood) / (2 * h);
      const double d2l = (plus.dl_deta - minus.dl_deta) / (2 * h);
      EXPECT_NEAR(at.dl_deta, dl, 1e-8 * (1 + std::abs(dl)))
          << "y = " << y << ", eta = " << eta;
      EXPECT_NEAR(at.observed_weight, -d2l, 1e-8 * (1 + std::abs(d2l)))
          << "y = " << y << ", eta = " << eta;
    }
  }
}

// Under the model: E[dℓ/dη] = 0 and E[(dℓ/dη)²] = E[−d²ℓ/dη²] = expected
// weight, each within 5 Monte Carlo standard errors (M = 200000 draws).
TEST_P(GlmFamilyZooTest, ExpectedWeightMatchesMonteCarlo) {
  constexpr int kDraws = 200000;
  RandomEngine rng(17);
  for (double eta : {-1.5, 0.3, 1.2}) {
    const Eigen::VectorXd etas = Eigen::VectorXd::Constant(kDraws, eta);
    Eigen::VectorXd y, dl, observed, expected;
    family_->Sample(etas, &rng, &y);
    family_->Evaluate(etas, y, nullptr, &dl, &observed);
    family_->ExpectedWeights(etas.head(1), &expected);
    const auto standard_error = [](const Eigen::ArrayXd& v) {
      return std::sqrt((v - v.mean()).square().mean() / v.size());
    };
    const Eigen::ArrayXd squared = dl.array().square();
    EXPECT_NEAR(dl.mean(), 0.0, 5 * standard_error(dl.array())) << eta;
    EXPECT_NEAR(squared.mean(), expected[0], 5 * standard_error(squared))
        << eta;
    EXPECT_NEAR(observed.mean(), expected[0],
                5 * standard_error(observed.array()) + 1e-11 * expected[0])
        << eta;
    EXPECT_GT(standard_error(squared), 0.0);
  }
}

// |η| = 700: every quantity is finite at every response, weights are ≥ 0.
TEST_P(GlmFamilyZooTest, FiniteAtEtaSevenHundred) {
  for (double y : SupportPoints(GetParam())) {
    for (double eta : {-700.0, 700.0}) {
      const Scalars at = EvaluateOne(*family_, eta, y);
      EXPECT_TRUE(std::isfinite(at.log_likelihood)) << y << " " << eta;
      EXPECT_TRUE(std::isfinite(at.dl_deta)) << y << " " << eta;
      EXPECT_TRUE(std::isfinite(at.observed_weight)) << y << " " << eta;
      EXPECT_GE(at.observed_weight, 0.0) << y << " " << eta;
      Eigen::VectorXd expected;
      family_->ExpectedWeights(Eigen::VectorXd::Constant(1, eta), &expected);
      EXPECT_TRUE(std::isfinite(expected[0])) << eta;
      EXPECT_GE(expected[0], 0.0) << eta;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Families, GlmFamilyZooTest,
    ::testing::Values(GlmFamilyType::kBernoulliLogit,
                      GlmFamilyType::kBernoulliProbit,
                      GlmFamilyType::kBernoulliCloglog,
                      GlmFamilyType::kPoissonLog,
                      GlmFamilyType::kGaussianIdentity),
    [](const ::testing::TestParamInfo<GlmFamilyType>& info) {
      return ToString(info.param);
    });

TEST(GlmFamilyExtremesTest, ProbitTailValuesAreExact) {
  auto family = CreateGlmFamily(GlmFamilyType::kBernoulliProbit);
  // R: pnorm(-700, log.p = TRUE); y = 1 at η = −700 and y = 0 at η = 700
  // are the same event probability.
  const Scalars low = EvaluateOne(*family, -700.0, 1.0);
  const Scalars high = EvaluateOne(*family, 700.0, 0.0);
  EXPECT_NEAR(low.log_likelihood, -2.4500747002090907e+05, 1e-10);
  EXPECT_EQ(low.log_likelihood, high.log_likelihood);
  // dℓ/dη = λ(−700), observed weight λ(z)(z + λ(z)) at z = −700; mpmath
  // (mp.dps = 60): 700.00142856559772714 and 0.99999795920866263208
  // (= 1 − 1/t² + O(1/t⁴), t = −z: no cancellation in z + λ(z)).
  EXPECT_NEAR(low.dl_deta, 700.00142856559772714, 1e-12);
  EXPECT_EQ(high.dl_deta, -low.dl_deta);
  EXPECT_NEAR(low.observed_weight, 0.99999795920866263208, 1e-15);
  // The likely outcomes: ℓ = log Φ(700) = 0, dℓ/dη = 0.
  const Scalars sure = EvaluateOne(*family, 700.0, 1.0);
  EXPECT_EQ(sure.log_likelihood, 0.0);
  EXPECT_EQ(sure.dl_deta, 0.0);
}

TEST(GlmFamilyExtremesTest, CloglogTailValuesAreExact) {
  auto family = CreateGlmFamily(GlmFamilyType::kBernoulliCloglog);
  // y = 0 at η = 700: ℓ = −e^700, dℓ/dη = −e^700, weight e^700 (finite).
  const Scalars failure = EvaluateOne(*family, 700.0, 0.0);
  EXPECT_DOUBLE_EQ(failure.log_likelihood, -std::exp(700.0));
  EXPECT_DOUBLE_EQ(failure.observed_weight, std::exp(700.0));
  // y = 1 at η = −700: ℓ = log(1 − exp(−e^−700)) = −700 − e^−700/2 + ...
  const Scalars rare = EvaluateOne(*family, -700.0, 1.0);
  EXPECT_EQ(rare.log_likelihood, -700.0);
  EXPECT_EQ(rare.dl_deta, 1.0);
  // y = 1 at η = 700 is certain: ℓ = 0, dℓ/dη = 0.
  const Scalars sure = EvaluateOne(*family, 700.0, 1.0);
  EXPECT_EQ(sure.log_likelihood, 0.0);
  EXPECT_EQ(sure.dl_deta, 0.0);
  // Moderate η on the series branch of the observed weight: u = e^η = 1e-3,
  // weight g(u)(h(u) − 1) with g = u/expm1(u), h = u/(−expm1(−u)).
  const double u = 1e-3;
  const Scalars small = EvaluateOne(*family, std::log(u), 1.0);
  const double g = u / std::expm1(u);
  const double h_minus_one = u / 2 + u * u / 12 - std::pow(u, 4) / 720;
  EXPECT_NEAR(small.observed_weight, g * h_minus_one, 1e-16);
}

TEST(GlmFamilyExtremesTest, PoissonAndGaussianTailValues) {
  auto poisson = CreateGlmFamily(GlmFamilyType::kPoissonLog);
  const Scalars big = EvaluateOne(*poisson, 700.0, 3.0);
  EXPECT_DOUBLE_EQ(big.log_likelihood,
                   2100.0 - std::exp(700.0) - std::log(6.0));
  const Scalars tiny = EvaluateOne(*poisson, -700.0, 2.0);
  EXPECT_DOUBLE_EQ(tiny.log_likelihood, -1400.0 - std::log(2.0));
  EXPECT_EQ(tiny.dl_deta, 2.0 - std::exp(-700.0));
  auto gaussian = CreateGlmFamily(GlmFamilyType::kGaussianIdentity);
  const Scalars far = EvaluateOne(*gaussian, 700.0, -1.3);
  EXPECT_DOUBLE_EQ(far.log_likelihood,
                   -0.5 * 701.3 * 701.3 - 0.5 * std::log(2 * M_PI));
  EXPECT_DOUBLE_EQ(far.dl_deta, -701.3);
  EXPECT_EQ(far.observed_weight, 1.0);
}

TEST(GlmFamilySupportTest, ResponsesOutsideTheSupportAreRejected) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (GlmFamilyType type :
       {GlmFamilyType::kBernoulliLogit, GlmFamilyType::kBernoulliProbit,
        GlmFamilyType::kBernoulliCloglog}) {
    auto family = CreateGlmFamily(type);
    EXPECT_TRUE(family->IsValidResponse(0.0));
    EXPECT_TRUE(family->IsValidResponse(1.0));
    // A proportion of successes (its prior weight the number of trials).
    EXPECT_TRUE(family->IsValidResponse(0.5));
    for (double y : {2.0, 1.0 + 1e-15, -1e-300, -1.0, inf, nan}) {
      EXPECT_FALSE(family->IsValidResponse(y)) << ToString(type) << " " << y;
    }
  }
  auto poisson = CreateGlmFamily(GlmFamilyType::kPoissonLog);
  EXPECT_TRUE(poisson->IsValidResponse(0.0));
  EXPECT_TRUE(poisson->IsValidResponse(17.0));
  for (double y : {-1.0, 2.5, inf, nan}) {
    EXPECT_FALSE(poisson->IsValidResponse(y)) << y;
  }
  auto gaussian = CreateGlmFamily(GlmFamilyType::kGaussianIdentity);
  EXPECT_TRUE(gaussian->IsValidResponse(-3.7));
  EXPECT_FALSE(gaussian->IsValidResponse(inf));
  EXPECT_FALSE(gaussian->IsValidResponse(nan));
}

TEST(GlmFamilyTest, StableHelpersAtExtremes) {
  EXPECT_EQ(Softplus(800.0), 800.0);  // naive log(1 + e^800) overflows
  EXPECT_EQ(Softplus(-800.0), 0.0);
  EXPECT_DOUBLE_EQ(Softplus(0.0), std::log(2.0));
  EXPECT_DOUBLE_EQ(Softplus(-40.0), std::exp(-40.0));  // no cancellation
  EXPECT_EQ(Sigmoid(-800.0), 0.0);
  EXPECT_EQ(Sigmoid(800.0), 1.0);
  EXPECT_DOUBLE_EQ(Sigmoid(-40.0), std::exp(-40.0) / (1.0 + std::exp(-40.0)));
}

TEST(GlmFamilyTest, LogisticLogLikelihoodIsFiniteAndExactForLargeEta) {
  auto family = CreateGlmFamily(GlmFamilyType::kBernoulliLogit);
  const Eigen::Vector4d eta(700.0, -700.0, 700.0, -36.0);
  const Eigen::Vector4d y(0.0, 1.0, 1.0, 1.0);
  Eigen::VectorXd log_likelihood, dl_deta, weight;
  family->Evaluate(eta, y, &log_likelihood, &dl_deta, &weight);
  EXPECT_EQ(log_likelihood[0], -700.0);
  EXPECT_EQ(log_likelihood[1], -700.0);
  EXPECT_DOUBLE_EQ(log_likelihood[2], -std::exp(-700.0));
  // log σ(−36) = −36 − log1p(e^−36): exact where y η − log(1 + e^η) is not.
  EXPECT_DOUBLE_EQ(log_likelihood[3], -36.0 - std::log1p(std::exp(-36.0)));
  EXPECT_EQ(dl_deta[0], -1.0);
  EXPECT_EQ(dl_deta[1], 1.0);
  EXPECT_TRUE(weight.allFinite());
}

}  // namespace
}  // namespace fisheropt
