#include "problems/glm_family.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
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

// ---- Every (distribution, link) pair R allows ----

struct Pair {
  GlmDistribution distribution;
  GlmLink link;
  double theta = 0.0;  // the negative binomial's θ
};

// The pair's family: CreateGlmFamily, or CreateNegativeBinomialFamily with
// the pair's θ.
std::unique_ptr<GlmFamily> CreatePairFamily(const Pair& pair,
                                            std::string* error) {
  if (pair.distribution == GlmDistribution::kNegativeBinomial) {
    return CreateNegativeBinomialFamily(pair.theta, pair.link, error);
  }
  return CreateGlmFamily(pair.distribution, pair.link, error);
}

std::vector<Pair> AllowedPairs() {
  std::vector<Pair> pairs;
  for (GlmDistribution distribution :
       {GlmDistribution::kBinomial, GlmDistribution::kPoisson,
        GlmDistribution::kGaussian, GlmDistribution::kGamma,
        GlmDistribution::kInverseGaussian}) {
    for (GlmLink link : AllowedLinks(distribution)) {
      pairs.push_back({distribution, link});
    }
  }
  for (GlmLink link : AllowedLinks(GlmDistribution::kNegativeBinomial)) {
    pairs.push_back({GlmDistribution::kNegativeBinomial, link, 2.5});
  }
  return pairs;
}

std::string PairName(const Pair& pair) {
  std::string name = ToString(pair.distribution) + "_" + ToString(pair.link);
  std::string clean;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      clean += c;
    } else if (c == '/') {
      clean += "Over";
    } else if (c == '^') {
      clean += "Pow";
    }
  }
  return clean;
}

// Responses in each distribution's support: the binomial's include a
// proportion.
std::vector<double> DistributionSupport(GlmDistribution distribution) {
  switch (distribution) {
    case GlmDistribution::kBinomial:
      return {0.0, 0.3, 1.0};
    case GlmDistribution::kPoisson:
    case GlmDistribution::kNegativeBinomial:
      return {0.0, 1.0, 4.0};
    case GlmDistribution::kGaussian:
      return {-1.3, 0.7};
    case GlmDistribution::kGamma:
    case GlmDistribution::kInverseGaussian:
      return {0.2, 1.7};
  }
  return {};
}

class GlmPairTest : public ::testing::TestWithParam<Pair> {
 protected:
  void SetUp() override {
    std::string error;
    family_ = CreatePairFamily(GetParam(), &error);
    ASSERT_NE(family_, nullptr) << error;
  }

  // The points of `candidates` where the family's η is valid.
  std::vector<double> ValidEtas(std::vector<double> candidates) const {
    std::vector<double> etas;
    for (double eta : candidates) {
      if (family_->IsValidLinearPredictor(eta)) etas.push_back(eta);
    }
    return etas;
  }

  std::unique_ptr<GlmFamily> family_;
};

TEST_P(GlmPairTest, ReportsItsDistributionLinkAndNames) {
  EXPECT_EQ(family_->distribution(), GetParam().distribution);
  EXPECT_EQ(family_->link(), GetParam().link);
  EXPECT_EQ(family_->RName(), ToString(GetParam().distribution));
  EXPECT_EQ(family_->RLinkName(), ToString(GetParam().link));
  if (family_->type().has_value()) {
    EXPECT_EQ(family_->Name(), ToString(*family_->type()));
  } else {
    EXPECT_EQ(family_->Name(),
              family_->RName() + "(" + family_->RLinkName() + ")");
  }
  // The first allowed link is the canonical one (the negative binomial's
  // canonical link is not offered).
  const bool negative_binomial =
      GetParam().distribution == GlmDistribution::kNegativeBinomial;
  EXPECT_EQ(
      family_->IsCanonical(),
      !negative_binomial &&
          GetParam().link == AllowedLinks(GetParam().distribution).front());
  EXPECT_EQ(family_->HasDispersion(),
            GetParam().distribution != GlmDistribution::kBinomial &&
                GetParam().distribution != GlmDistribution::kPoisson &&
                !negative_binomial);
  EXPECT_EQ(family_->Theta().has_value(), negative_binomial);
}

// dℓ/dη against a central difference of ℓ and the observed weight against
// a central difference of −dℓ/dη (the observed weight against the second
// difference of ℓ would lose half the digits), at every support response.
TEST_P(GlmPairTest, DerivativesMatchCentralDifferences) {
  const double h = 1e-5;
  const std::vector<double> etas = ValidEtas({-3.0, -1.0, -0.2, 0.4, 1.5, 3.0});
  ASSERT_GE(etas.size(), 3u);
  for (double y : DistributionSupport(GetParam().distribution)) {
    for (double eta : etas) {
      const Scalars at = EvaluateOne(*family_, eta, y);
      const Scalars plus = EvaluateOne(*family_, eta + h, y);
      const Scalars minus = EvaluateOne(*family_, eta - h, y);
      const double dl = (plus.log_likelihood - minus.log_likelihood) / (2 * h);
      const double d2l = (plus.dl_deta - minus.dl_deta) / (2 * h);
      // Rounding of ℓ over 2h plus the truncation error of the difference.
      const double tolerance_dl =
          1e-7 * (1 + std::abs(dl)) + 1e-16 * std::abs(at.log_likelihood) / h;
      EXPECT_NEAR(at.dl_deta, dl, tolerance_dl)
          << "y = " << y << ", eta = " << eta;
      EXPECT_NEAR(at.observed_weight, -d2l, 1e-7 * (1 + std::abs(d2l)))
          << "y = " << y << ", eta = " << eta;
    }
  }
}

// The observed weight is affine in y, so E[observed weight] is its value at
// y = μ; it must equal the expected weight. For a canonical link the two
// agree at every y.
TEST_P(GlmPairTest, ObservedWeightAtTheMeanIsTheExpectedWeight) {
  for (double eta : ValidEtas({-2.0, -0.5, 0.3, 1.1, 2.5})) {
    const double mu = family_->Mean(eta);
    Eigen::VectorXd expected;
    family_->ExpectedWeights(Eigen::VectorXd::Constant(1, eta), &expected);
    const Scalars at_mean = EvaluateOne(*family_, eta, mu);
    EXPECT_NEAR(at_mean.observed_weight, expected[0], 1e-12 * expected[0])
        << "eta = " << eta;
    EXPECT_NEAR(at_mean.dl_deta, 0.0, 1e-12 * std::sqrt(expected[0]))
        << "eta = " << eta;
    if (family_->IsCanonical()) {
      for (double y : DistributionSupport(GetParam().distribution)) {
        EXPECT_NEAR(EvaluateOne(*family_, eta, y).observed_weight, expected[0],
                    1e-12 * expected[0])
            << "y = " << y << ", eta = " << eta;
      }
    }
  }
}

// Draws from the sampler: E[dℓ/dη] = 0 and E[(dℓ/dη)²] = E[observed weight]
// = expected weight, within 5 Monte Carlo standard errors of M draws (the
// sample mean's standard error, estimated from the draws). This checks the
// sampler's mean and its variance V(μ) (φ = 1).
TEST_P(GlmPairTest, ExpectedWeightMatchesMonteCarlo) {
  constexpr int kDraws = 200000;
  RandomEngine rng(29);
  for (double eta : ValidEtas({-1.5, -0.3, 0.3, 1.2})) {
    const Eigen::VectorXd etas = Eigen::VectorXd::Constant(kDraws, eta);
    Eigen::VectorXd y, dl, observed, expected;
    family_->Sample(etas, &rng, &y);
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      ASSERT_TRUE(family_->IsValidResponse(y[i])) << y[i];
    }
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
  }
}

// One draw per row from RowRandomEngine: the same distribution (mean μ).
TEST_P(GlmPairTest, RowDrawsHaveTheMean) {
  constexpr int kDraws = 100000;
  for (double eta : ValidEtas({-0.8, 0.6})) {
    const double mu = family_->Mean(eta);
    Eigen::ArrayXd y(kDraws);
    for (int i = 0; i < kDraws; ++i) {
      RowRandomEngine engine(11, static_cast<std::uint64_t>(i));
      y[i] = family_->Draw(eta, &engine);
    }
    const double standard_error = std::sqrt(family_->Variance(mu) / kDraws);
    EXPECT_NEAR(y.mean(), mu, 5 * standard_error) << eta;
  }
}

// η(μ(η)) = η, and μ(η(μ)) = μ.
TEST_P(GlmPairTest, MeanAndLinkFunctionAreInverse) {
  for (double eta : ValidEtas({-2.0, -0.5, 0.3, 1.1, 2.5})) {
    const double mu = family_->Mean(eta);
    EXPECT_NEAR(family_->LinkFunction(mu), eta, 1e-12 * (1 + std::abs(eta)))
        << eta;
    EXPECT_NEAR(family_->Mean(family_->LinkFunction(mu)), mu,
                1e-14 * std::abs(mu))
        << eta;
  }
}

// UnitDeviance(y, μ) = 2(ℓ_sat − ℓ), ℓ the full log density with φ = 1 and
// ℓ_sat its value at μ = y (η = g(y)), for responses whose η = g(y) is valid.
TEST_P(GlmPairTest, UnitDevianceIsTwiceTheLogLikelihoodGap) {
  for (double y : DistributionSupport(GetParam().distribution)) {
    const double saturated_eta = family_->LinkFunction(y);
    if (!family_->IsValidLinearPredictor(saturated_eta)) continue;
    const double saturated =
        EvaluateOne(*family_, saturated_eta, y).log_likelihood;
    for (double eta : ValidEtas({-2.0, -0.5, 0.3, 1.1, 2.5})) {
      const double l = EvaluateOne(*family_, eta, y).log_likelihood;
      const double deviance = family_->UnitDeviance(y, family_->Mean(eta));
      EXPECT_NEAR(deviance, 2 * (saturated - l),
                  1e-12 * (1 + std::abs(saturated) + std::abs(l)))
          << "y = " << y << ", eta = " << eta;
      EXPECT_GE(deviance, 0.0);
    }
    EXPECT_NEAR(family_->UnitDeviance(y, y), 0.0, 1e-300) << y;
  }
}

// ℓ, dℓ/dη and both weights are finite at η = ±700 where η is valid, except
// where ℓ itself leaves the double range: gaussian(log) at η = 700
// (ℓ ≈ −e^1400/2) and inverse.gaussian(log) at η = −700 (ℓ ≈ −e^1400 y/2).
TEST_P(GlmPairTest, FiniteAtEtaSevenHundred) {
  for (double eta : ValidEtas({-700.0, 700.0})) {
    if (GetParam().link == GlmLink::kLog &&
        ((GetParam().distribution == GlmDistribution::kGaussian && eta > 0) ||
         (GetParam().distribution == GlmDistribution::kInverseGaussian &&
          eta < 0))) {
      continue;
    }
    for (double y : DistributionSupport(GetParam().distribution)) {
      const Scalars at = EvaluateOne(*family_, eta, y);
      EXPECT_TRUE(std::isfinite(at.log_likelihood)) << y << " " << eta;
      EXPECT_TRUE(std::isfinite(at.dl_deta)) << y << " " << eta;
      EXPECT_TRUE(std::isfinite(at.observed_weight)) << y << " " << eta;
      Eigen::VectorXd expected;
      family_->ExpectedWeights(Eigen::VectorXd::Constant(1, eta), &expected);
      EXPECT_TRUE(std::isfinite(expected[0])) << eta;
      EXPECT_GE(expected[0], 0.0) << eta;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Pairs, GlmPairTest,
                         ::testing::ValuesIn(AllowedPairs()),
                         [](const ::testing::TestParamInfo<Pair>& info) {
                           return PairName(info.param);
                         });

TEST(NegativeBinomialFamilyTest, MatchesMassNegativeBinomial) {
  std::string error;
  auto family = CreateNegativeBinomialFamily(2.0, GlmLink::kLog, &error);
  ASSERT_NE(family, nullptr) << error;
  EXPECT_EQ(*family->Theta(), 2.0);
  Eigen::VectorXd y(3), mu(3), weights(3);
  y << 0, 3, 7;
  mu << 1.2, 2.5, 5;
  weights << 1, 2, 0.5;
  // R: library(MASS); options(digits = 17); f <- negative.binomial(2);
  // y <- c(0, 3, 7); mu <- c(1.2, 2.5, 5); wt <- c(1, 2, 0.5)
  // dnbinom(y, size = 2, mu = mu, log = TRUE)
  const double log_density[] = {-0.94000725849147093, -1.99892606601912393,
                                -2.78139005165939057};
  // f$dev.resids(y, mu, 1)
  const double deviance[] = {1.880014516982942308, 0.040324184185464018,
                             0.186951603640669539};
  // f$variance(mu)
  const double variance[] = {1.92, 5.625, 17.5};
  for (int i = 0; i < 3; ++i) {
    const Scalars at = EvaluateOne(*family, std::log(mu[i]), y[i]);
    EXPECT_NEAR(at.log_likelihood, log_density[i],
                1e-14 * std::abs(log_density[i]));
    EXPECT_NEAR(family->UnitDeviance(y[i], mu[i]), deviance[i],
                1e-13 * deviance[i]);
    EXPECT_NEAR(family->Variance(mu[i]), variance[i], 1e-15 * variance[i]);
  }
  // f$aic(y, 1, mu, wt, 0)
  EXPECT_NEAR(family->Aic(y, mu, weights, 0.0), 12.657108832718832,
              1e-14 * 12.66);
  // nobs <- 3; eval(f$initialize); mustart  # y + (y == 0)/6
  EXPECT_DOUBLE_EQ(family->StartingMean(0.0, 1.0), 1.0 / 6.0);
  EXPECT_EQ(family->StartingMean(3.0, 1.0), 3.0);
  EXPECT_EQ(family->Name(), "negative.binomial(log)");
}

TEST(NegativeBinomialFamilyTest, BadThetaLinkOrMissingThetaAreErrors) {
  std::string error;
  for (double bad :
       {0.0, -1.5, std::nan(""), std::numeric_limits<double>::infinity()}) {
    EXPECT_EQ(CreateNegativeBinomialFamily(bad, GlmLink::kLog, &error),
              nullptr);
    EXPECT_NE(error.find("theta"), std::string::npos) << error;
  }
  EXPECT_EQ(CreateNegativeBinomialFamily(2.0, GlmLink::kLogit, &error),
            nullptr);
  EXPECT_EQ(error,
            "link \"logit\" is not available for the negative.binomial "
            "family; available links: log, identity");
  EXPECT_EQ(CreateGlmFamily(GlmDistribution::kNegativeBinomial, GlmLink::kLog,
                            &error),
            nullptr);
  EXPECT_NE(error.find("theta"), std::string::npos) << error;
}

TEST(GlmPairFactoryTest, PresetPairsReturnThePresets) {
  std::string error;
  const struct {
    GlmDistribution distribution;
    GlmLink link;
    GlmFamilyType type;
  } presets[] = {
      {GlmDistribution::kBinomial, GlmLink::kLogit,
       GlmFamilyType::kBernoulliLogit},
      {GlmDistribution::kBinomial, GlmLink::kProbit,
       GlmFamilyType::kBernoulliProbit},
      {GlmDistribution::kBinomial, GlmLink::kCloglog,
       GlmFamilyType::kBernoulliCloglog},
      {GlmDistribution::kPoisson, GlmLink::kLog, GlmFamilyType::kPoissonLog},
      {GlmDistribution::kGaussian, GlmLink::kIdentity,
       GlmFamilyType::kGaussianIdentity},
  };
  for (const auto& preset : presets) {
    auto family = CreateGlmFamily(preset.distribution, preset.link, &error);
    ASSERT_NE(family, nullptr);
    ASSERT_TRUE(family->type().has_value());
    EXPECT_EQ(*family->type(), preset.type);
    auto direct = CreateGlmFamily(preset.type);
    EXPECT_EQ(direct->distribution(), preset.distribution);
    EXPECT_EQ(direct->link(), preset.link);
  }
  auto generic =
      CreateGlmFamily(GlmDistribution::kGamma, GlmLink::kLog, &error);
  ASSERT_NE(generic, nullptr);
  EXPECT_FALSE(generic->type().has_value());
  EXPECT_EQ(generic->Name(), "Gamma(log)");
}

TEST(GlmPairFactoryTest, RefusedPairsNameThePairAndTheAllowedLinks) {
  std::string error;
  EXPECT_EQ(CreateGlmFamily(GlmDistribution::kGamma, GlmLink::kLogit, &error),
            nullptr);
  EXPECT_EQ(error,
            "link \"logit\" is not available for the Gamma family; available "
            "links: inverse, identity, log");
  EXPECT_EQ(
      CreateGlmFamily(GlmDistribution::kBinomial, GlmLink::kIdentity, &error),
      nullptr);
  EXPECT_EQ(error,
            "link \"identity\" is not available for the binomial family; "
            "available links: logit, probit, cauchit, log, cloglog");
  EXPECT_EQ(
      CreateGlmFamily(GlmDistribution::kPoisson, GlmLink::kInverse, nullptr),
      nullptr);
  EXPECT_EQ(CreateGlmFamily(GlmDistribution::kGaussian, GlmLink::kInverseSquare,
                            &error),
            nullptr);
  EXPECT_EQ(error,
            "link \"1/mu^2\" is not available for the gaussian family; "
            "available links: identity, log, inverse");
  // Every pair outside AllowedLinks is refused.
  int refused = 0;
  for (GlmDistribution distribution :
       {GlmDistribution::kBinomial, GlmDistribution::kPoisson,
        GlmDistribution::kGaussian, GlmDistribution::kGamma,
        GlmDistribution::kInverseGaussian}) {
    for (const std::string& name : GlmLinkNames()) {
      GlmLink link;
      ASSERT_TRUE(FromString(name, &link));
      const std::vector<GlmLink> allowed = AllowedLinks(distribution);
      const bool is_allowed =
          std::find(allowed.begin(), allowed.end(), link) != allowed.end();
      EXPECT_EQ(CreateGlmFamily(distribution, link, nullptr) != nullptr,
                is_allowed)
          << ToString(distribution) << " " << name;
      refused += is_allowed ? 0 : 1;
    }
  }
  // 9 links × 5 distributions, 18 pairs allowed (binomial 5, poisson 3,
  // gaussian 3, Gamma 3, inverse.gaussian 4).
  EXPECT_EQ(refused, 5 * 9 - 18);
}

TEST(GlmDistributionNamesTest, EveryNameRoundTrips) {
  for (const std::string& name : GlmDistributionNames()) {
    GlmDistribution distribution;
    ASSERT_TRUE(FromString(name, &distribution)) << name;
    EXPECT_EQ(ToString(distribution), name);
  }
  GlmDistribution distribution;
  EXPECT_FALSE(FromString("gamma", &distribution));  // R's name is "Gamma"
}

TEST(GlmPairDomainTest, InvalidEtaGivesNaN) {
  std::string error;
  auto gamma =
      CreateGlmFamily(GlmDistribution::kGamma, GlmLink::kInverse, &error);
  // μ = 1/η > 0 needs η > 0.
  EXPECT_FALSE(gamma->IsValidLinearPredictor(-0.5));
  EXPECT_FALSE(gamma->IsValidLinearPredictor(0.0));
  EXPECT_TRUE(gamma->IsValidLinearPredictor(0.5));
  const Scalars at = EvaluateOne(*gamma, -0.5, 1.0);
  EXPECT_TRUE(std::isnan(at.log_likelihood));
  EXPECT_TRUE(std::isnan(at.dl_deta));
  EXPECT_TRUE(std::isnan(at.observed_weight));
  // μ = e^η < 1 needs η < 0.
  auto binomial_log =
      CreateGlmFamily(GlmDistribution::kBinomial, GlmLink::kLog, &error);
  EXPECT_TRUE(binomial_log->IsValidLinearPredictor(-1e-3));
  EXPECT_FALSE(binomial_log->IsValidLinearPredictor(0.0));
  // Gaussian with the inverse link: every η ≠ 0.
  auto gaussian_inverse =
      CreateGlmFamily(GlmDistribution::kGaussian, GlmLink::kInverse, &error);
  EXPECT_TRUE(gaussian_inverse->IsValidLinearPredictor(-0.5));
  EXPECT_FALSE(gaussian_inverse->IsValidLinearPredictor(0.0));
  // Poisson with the identity link: μ = η > 0.
  auto poisson_identity =
      CreateGlmFamily(GlmDistribution::kPoisson, GlmLink::kIdentity, &error);
  EXPECT_FALSE(poisson_identity->IsValidLinearPredictor(-0.1));
  // The presets accept every finite η.
  auto logistic = CreateGlmFamily(GlmFamilyType::kBernoulliLogit);
  EXPECT_TRUE(logistic->IsValidLinearPredictor(-700.0));
  EXPECT_FALSE(logistic->IsValidLinearPredictor(
      std::numeric_limits<double>::infinity()));
}

TEST(GlmPairSupportTest, GammaAndInverseGaussianNeedPositiveResponses) {
  std::string error;
  for (GlmDistribution distribution :
       {GlmDistribution::kGamma, GlmDistribution::kInverseGaussian}) {
    auto family = CreateGlmFamily(distribution, GlmLink::kLog, &error);
    EXPECT_TRUE(family->IsValidResponse(0.3));
    EXPECT_FALSE(family->IsValidResponse(0.0));
    EXPECT_FALSE(family->IsValidResponse(-1.0));
    EXPECT_FALSE(
        family->IsValidResponse(std::numeric_limits<double>::infinity()));
  }
}

// Fractional y (a proportion): ℓ = y log μ + (1 − y) log(1 − μ) for the
// three preset binomial links, and finite at |η| = 700.
TEST(GlmFractionalResponseTest, BinomialPresetsUseTheProportion) {
  for (GlmFamilyType type :
       {GlmFamilyType::kBernoulliLogit, GlmFamilyType::kBernoulliProbit,
        GlmFamilyType::kBernoulliCloglog}) {
    auto family = CreateGlmFamily(type);
    for (double y : {0.25, 0.5, 0.9}) {
      for (double eta : {-2.0, -0.3, 0.7, 1.8}) {
        const double mu = family->Mean(eta);
        const double expected = y * std::log(mu) + (1 - y) * std::log1p(-mu);
        const Scalars at = EvaluateOne(*family, eta, y);
        EXPECT_NEAR(at.log_likelihood, expected, 1e-14 * std::abs(expected))
            << ToString(type) << " y = " << y << ", eta = " << eta;
        // dℓ/dη = (y − μ) μ'/(μ(1 − μ)) for any link.
        const double derivative = (y - mu) *
                                  LinkMeanDerivative(family->link(), eta) /
                                  (mu * (1 - mu));
        EXPECT_NEAR(at.dl_deta, derivative, 1e-13 * (1 + std::abs(derivative)))
            << ToString(type) << " y = " << y << ", eta = " << eta;
      }
      for (double eta : {-700.0, 700.0}) {
        const Scalars at = EvaluateOne(*family, eta, y);
        EXPECT_TRUE(std::isfinite(at.log_likelihood)) << ToString(type);
        EXPECT_TRUE(std::isfinite(at.dl_deta)) << ToString(type);
        EXPECT_TRUE(std::isfinite(at.observed_weight)) << ToString(type);
        EXPECT_GE(at.observed_weight, 0.0) << ToString(type);
      }
    }
  }
  // Probit at η = −700, y = ½: ½ log Φ(−700) + ½ log Φ(700); R:
  // pnorm(-700, log.p = TRUE) / 2.
  auto probit = CreateGlmFamily(GlmFamilyType::kBernoulliProbit);
  EXPECT_NEAR(EvaluateOne(*probit, -700.0, 0.5).log_likelihood,
              -2.4500747002090907e+05 / 2, 1e-10);
}

TEST(GlmStatisticsTest, VarianceDevianceAndStartMatchR) {
  std::string error;
  auto make = [&](GlmDistribution d, GlmLink l) {
    return CreateGlmFamily(d, l, &error);
  };
  auto gamma = make(GlmDistribution::kGamma, GlmLink::kInverse);
  auto inverse_gaussian =
      make(GlmDistribution::kInverseGaussian, GlmLink::kInverseSquare);
  auto binomial = make(GlmDistribution::kBinomial, GlmLink::kLogit);
  auto poisson = make(GlmDistribution::kPoisson, GlmLink::kLog);
  auto gaussian = make(GlmDistribution::kGaussian, GlmLink::kIdentity);
  // R: Gamma()$variance(2), inverse.gaussian()$variance(2)
  EXPECT_EQ(gamma->Variance(2.0), 4.0);
  EXPECT_EQ(inverse_gaussian->Variance(2.0), 8.0);
  EXPECT_EQ(binomial->Variance(0.25), 0.1875);
  EXPECT_EQ(poisson->Variance(3.5), 3.5);
  EXPECT_EQ(gaussian->Variance(3.5), 1.0);
  // R: options(digits = 17); inverse.gaussian()$dev.resids(2, 3, 1)
  EXPECT_NEAR(inverse_gaussian->UnitDeviance(2.0, 3.0), 0.055555555555555552,
              1e-16);
  // R: Gamma()$dev.resids(2, 3, 1)
  EXPECT_NEAR(gamma->UnitDeviance(2.0, 3.0), 0.14426354954966225, 2e-16);
  // R: binomial()$dev.resids(0.3, 0.6, 1) and (0, 0.6, 1)
  EXPECT_NEAR(binomial->UnitDeviance(0.3, 0.6), 0.36757379477362434, 4e-16);
  EXPECT_NEAR(binomial->UnitDeviance(0.0, 0.6), 1.8325814637483102, 2e-15);
  EXPECT_NEAR(binomial->UnitDeviance(1.0, 0.6), -2 * std::log(0.6), 2e-15);
  // R: poisson()$dev.resids(4, 2.5, 1); y = 0 gives 2μ.
  EXPECT_NEAR(poisson->UnitDeviance(4.0, 2.5), 0.76002903396588506, 1e-15);
  EXPECT_EQ(poisson->UnitDeviance(0.0, 2.5), 5.0);
  EXPECT_EQ(gaussian->UnitDeviance(1.0, 3.5), 6.25);
  // Near y = μ the deviance is 2μ(u²/2 − u³/6 + ...), u = (y − μ)/μ, to
  // full relative accuracy (y log(y/μ) − (y − μ) would cancel to nothing).
  const double mu = 4.0 * (1 + 1e-9);
  const double u = (4.0 - mu) / mu;
  const double near = 2 * mu * (u * u / 2 - u * u * u / 6);
  EXPECT_NEAR(poisson->UnitDeviance(4.0, mu), near, 1e-14 * near);
  // R's mustart: binomial (w y + ½)/(w + 1), poisson y + 0.1, others y.
  EXPECT_EQ(binomial->StartingMean(0.25, 4.0), 1.5 / 5.0);
  EXPECT_EQ(poisson->StartingMean(3.0, 2.0), 3.1);
  EXPECT_EQ(gaussian->StartingMean(-1.5, 2.0), -1.5);
  EXPECT_EQ(gamma->StartingMean(1.5, 2.0), 1.5);
  EXPECT_EQ(inverse_gaussian->StartingMean(1.5, 2.0), 1.5);
}

TEST(GlmStatisticsTest, AicMatchesR) {
  std::string error;
  const Eigen::Vector3d weights(1.0, 2.0, 0.5);
  // R: poisson()$aic(c(0, 3, 7), 1, c(0.5, 2.5, 6), c(1, 2, 1), 0)
  auto poisson =
      CreateGlmFamily(GlmDistribution::kPoisson, GlmLink::kIdentity, &error);
  EXPECT_NEAR(
      poisson->Aic(Eigen::Vector3d(0, 3, 7), Eigen::Vector3d(0.5, 2.5, 6),
                   Eigen::Vector3d(1, 2, 1), 0.0),
      11.137239247360418, 1e-13 * 11.1);
  // R: binomial()$aic(c(0.25, 1, 0), 1, c(0.3, 0.8, 0.4), c(4, 1, 2), 0)
  auto binomial = CreateGlmFamily(GlmFamilyType::kBernoulliLogit);
  EXPECT_NEAR(
      binomial->Aic(Eigen::Vector3d(0.25, 1, 0), Eigen::Vector3d(0.3, 0.8, 0.4),
                    Eigen::Vector3d(4, 1, 2), 0.0),
      4.2649961477368672, 1e-13 * 4.3);
  const Eigen::Vector3d y(1.2, 2.1, 3.5);
  const Eigen::Vector3d mu(1, 2, 3);
  // R: gaussian()$aic(c(1.2, 2.1, 3.5), 1, c(1, 2, 3), c(1, 2, 0.5), 0.8)
  auto gaussian = CreateGlmFamily(GlmFamilyType::kGaussianIdentity);
  EXPECT_NEAR(gaussian->Aic(y, mu, weights, 0.8), 6.5483636792810778,
              1e-13 * 6.5);
  // R: Gamma()$aic(c(1.2, 2.1, 3.5), 1, c(1, 2, 3), c(1, 2, 0.5), 0.8)
  auto gamma =
      CreateGlmFamily(GlmDistribution::kGamma, GlmLink::kInverse, &error);
  EXPECT_NEAR(gamma->Aic(y, mu, weights, 0.8), 8.2157727946625929, 1e-13 * 8.2);
  // R: inverse.gaussian()$aic(c(1.2, 2.1, 3.5), 1, c(1, 2, 3),
  //                           c(1, 2, 0.5), 0.8)
  auto inverse_gaussian = CreateGlmFamily(GlmDistribution::kInverseGaussian,
                                          GlmLink::kInverseSquare, &error);
  EXPECT_NEAR(inverse_gaussian->Aic(y, mu, weights, 0.8), 13.644630104600367,
              1e-13 * 13.6);
  // Empty weights are all 1.
  EXPECT_EQ(gamma->Aic(y, mu, Eigen::VectorXd(), 0.8),
            gamma->Aic(y, mu, Eigen::Vector3d::Ones(), 0.8));
}

}  // namespace
}  // namespace fisheropt
