#include "problems/glm_link.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace fisheropt {
namespace {

const std::vector<GlmLink>& AllLinks() {
  static const std::vector<GlmLink> links = {
      GlmLink::kLogit,   GlmLink::kProbit,        GlmLink::kCloglog,
      GlmLink::kCauchit, GlmLink::kLog,           GlmLink::kIdentity,
      GlmLink::kInverse, GlmLink::kInverseSquare, GlmLink::kSqrt};
  return links;
}

// η points inside every link's domain (1/mu^2 and sqrt need η > 0).
std::vector<double> ValidEtas(GlmLink link) {
  std::vector<double> etas;
  for (double eta : {-3.0, -0.7, 0.25, 1.3, 4.0}) {
    if (IsValidLinkPredictor(link, eta)) etas.push_back(eta);
  }
  return etas;
}

TEST(GlmLinkNamesTest, EveryNameRoundTrips) {
  const std::vector<std::string> names = GlmLinkNames();
  ASSERT_EQ(names.size(), AllLinks().size());
  for (size_t k = 0; k < names.size(); ++k) {
    GlmLink link;
    ASSERT_TRUE(FromString(names[k], &link)) << names[k];
    EXPECT_EQ(link, AllLinks()[k]);
    EXPECT_EQ(ToString(link), names[k]);
  }
  GlmLink link;
  EXPECT_FALSE(FromString("Sqrt", &link));
  EXPECT_FALSE(FromString("Logit", &link));
  EXPECT_EQ(ToString(GlmLink::kInverseSquare), "1/mu^2");
}

class GlmLinkTest : public ::testing::TestWithParam<GlmLink> {};

// g(g⁻¹(η)) = η to the conditioning of the round trip (the rounding of μ,
// ε·max(|μ|, 1), moves η by that over |dμ/dη|), and 1 − μ from
// LinkMeanComplement agrees with 1 − μ.
TEST_P(GlmLinkTest, LinkFunctionInvertsTheMean) {
  const GlmLink link = GetParam();
  constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
  for (double eta : ValidEtas(link)) {
    const double mu = LinkMean(link, eta);
    // μ = 1 in doubles (cloglog at η = 4) has no finite g(μ).
    if (mu == 1.0) continue;
    const double tolerance =
        4 * kEpsilon *
        (std::max(std::abs(mu), 1.0) / std::abs(LinkMeanDerivative(link, eta)) +
         std::abs(eta));
    EXPECT_NEAR(LinkFunction(link, mu), eta, tolerance)
        << ToString(link) << " at " << eta;
    EXPECT_NEAR(LinkMeanComplement(link, eta), 1.0 - mu,
                1e-15 * (1.0 + std::abs(mu)))
        << ToString(link) << " at " << eta;
  }
}

// dμ/dη and d²μ/dη² against central differences (step h, truncation error
// O(h²) relative to the third derivative, rounding O(ε/h)).
TEST_P(GlmLinkTest, DerivativesMatchCentralDifferences) {
  const GlmLink link = GetParam();
  const double h = 1e-5;
  for (double eta : ValidEtas(link)) {
    const double d1 =
        (LinkMean(link, eta + h) - LinkMean(link, eta - h)) / (2 * h);
    const double d2 = (LinkMeanDerivative(link, eta + h) -
                       LinkMeanDerivative(link, eta - h)) /
                      (2 * h);
    EXPECT_NEAR(LinkMeanDerivative(link, eta), d1, 1e-8 * (1 + std::abs(d1)))
        << ToString(link) << " at " << eta;
    EXPECT_NEAR(LinkMeanSecondDerivative(link, eta), d2,
                1e-8 * (1 + std::abs(d2)))
        << ToString(link) << " at " << eta;
  }
}

// Finite η at ±700 (where valid) give finite μ, 1 − μ, μ' and μ''.
TEST_P(GlmLinkTest, FiniteAtEtaSevenHundred) {
  const GlmLink link = GetParam();
  for (double eta : {-700.0, 700.0}) {
    if (!IsValidLinkPredictor(link, eta)) continue;
    EXPECT_TRUE(std::isfinite(LinkMean(link, eta))) << eta;
    EXPECT_TRUE(std::isfinite(LinkMeanComplement(link, eta))) << eta;
    EXPECT_TRUE(std::isfinite(LinkMeanDerivative(link, eta))) << eta;
    EXPECT_TRUE(std::isfinite(LinkMeanSecondDerivative(link, eta))) << eta;
  }
}

INSTANTIATE_TEST_SUITE_P(Links, GlmLinkTest, ::testing::ValuesIn(AllLinks()),
                         [](const ::testing::TestParamInfo<GlmLink>& info) {
                           return info.param == GlmLink::kInverseSquare
                                      ? std::string("InverseSquare")
                                      : ToString(info.param);
                         });

TEST(GlmLinkDomainTest, InverseLinksRestrictEta) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  // R: make.link("inverse")$valideta needs η ≠ 0, make.link("1/mu^2") η > 0.
  EXPECT_FALSE(IsValidLinkPredictor(GlmLink::kInverse, 0.0));
  EXPECT_TRUE(IsValidLinkPredictor(GlmLink::kInverse, -0.5));
  EXPECT_FALSE(IsValidLinkPredictor(GlmLink::kInverseSquare, 0.0));
  EXPECT_FALSE(IsValidLinkPredictor(GlmLink::kInverseSquare, -0.5));
  EXPECT_TRUE(IsValidLinkPredictor(GlmLink::kInverseSquare, 0.5));
  EXPECT_TRUE(std::isnan(LinkMean(GlmLink::kInverseSquare, -0.5)));
  // make.link("sqrt")$valideta: η > 0.
  EXPECT_FALSE(IsValidLinkPredictor(GlmLink::kSqrt, 0.0));
  EXPECT_TRUE(std::isnan(LinkMean(GlmLink::kSqrt, -0.5)));
  EXPECT_DOUBLE_EQ(LinkMean(GlmLink::kSqrt, 1.5), 2.25);
  EXPECT_TRUE(std::isnan(LinkMeanDerivative(GlmLink::kInverse, 0.0)));
  for (GlmLink link : AllLinks()) {
    EXPECT_FALSE(IsValidLinkPredictor(link, nan)) << ToString(link);
    EXPECT_FALSE(IsValidLinkPredictor(link, inf)) << ToString(link);
    EXPECT_TRUE(IsValidLinkPredictor(link, 1.0)) << ToString(link);
  }
}

TEST(GlmLinkValuesTest, MatchR) {
  // R: options(digits = 17); binomial(link = "cauchit")$linkinv(0.3)
  EXPECT_NEAR(LinkMean(GlmLink::kCauchit, 0.3), 0.59277357907774231,
              1e-15 * 0.6);
  // R: binomial(link = "cauchit")$linkinv(-700): the lower tail keeps its
  // relative accuracy.
  EXPECT_NEAR(LinkMean(GlmLink::kCauchit, -700.0), 0.00045472809949531189,
              1e-14 * 0.00045472809949531189);
  // R: binomial(link = "cauchit")$linkfun(0.2)
  EXPECT_NEAR(LinkFunction(GlmLink::kCauchit, 0.2), -1.3763819204711736,
              1e-14 * 1.38);
  // R: binomial(link = "cauchit")$mu.eta(0.3)
  EXPECT_NEAR(LinkMeanDerivative(GlmLink::kCauchit, 0.3), 0.29202741851723912,
              1e-15 * 0.3);
  // R: binomial(link = "probit")$linkfun(0.025), (1e-300), (0.7)
  EXPECT_NEAR(LinkFunction(GlmLink::kProbit, 0.025), -1.9599639845400538,
              1e-14 * 1.96);
  EXPECT_NEAR(LinkFunction(GlmLink::kProbit, 1e-300), -37.047096299361201,
              1e-14 * 37.0);
  EXPECT_NEAR(LinkFunction(GlmLink::kProbit, 0.7), 0.52440051270804067,
              1e-14 * 0.52);
  // R: binomial(link = "cloglog")$linkinv(-0.4) and $mu.eta(-0.4)
  EXPECT_NEAR(LinkMean(GlmLink::kCloglog, -0.4), 0.48845516631095842,
              1e-15 * 0.49);
  EXPECT_NEAR(LinkMeanDerivative(GlmLink::kCloglog, -0.4), 0.34289875646773182,
              1e-15 * 0.34);
  // R: inverse.gaussian()$linkinv(0.25) = 2 and $mu.eta(0.25) = -4
  EXPECT_DOUBLE_EQ(LinkMean(GlmLink::kInverseSquare, 0.25), 2.0);
  EXPECT_DOUBLE_EQ(LinkMeanDerivative(GlmLink::kInverseSquare, 0.25), -4.0);
  // R: Gamma()$linkfun(4) = 0.25
  EXPECT_DOUBLE_EQ(LinkFunction(GlmLink::kInverse, 4.0), 0.25);
}

TEST(ProbitLinkFunctionTest, InvertsTheCdfAndHandlesTheEnds) {
  const auto quantile = [](double p) {
    return LinkFunction(GlmLink::kProbit, p);
  };
  EXPECT_EQ(quantile(0.5), 0.0);
  EXPECT_EQ(quantile(0.0), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(quantile(1.0), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(quantile(-0.1)));
  EXPECT_TRUE(std::isnan(quantile(1.1)));
  for (double x : {-37.5, -20.0, -5.0, -1.0, -1e-3, 1e-3, 0.8, 2.0}) {
    EXPECT_NEAR(quantile(LinkMean(GlmLink::kProbit, x)), x,
                1e-13 * (1.0 + std::abs(x)))
        << x;
  }
  // Symmetric: Φ⁻¹(1 − p) = −Φ⁻¹(p) for p whose 1 − p is exact.
  EXPECT_EQ(quantile(0.75), -quantile(0.25));
}

}  // namespace
}  // namespace fisheropt
