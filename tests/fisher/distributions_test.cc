#include "fisher/distributions.h"

#include <gtest/gtest.h>

#include <cmath>

namespace fisheropt {
namespace {

// Reference values: R 4.2 (Debian r-base-core), options(digits = 17):
//   qnorm(0.975); qt(0.975, 7); pt(2.5, 7, lower.tail = FALSE);
//   pt(-0.3, 3.5); pbeta(0.3, 2.5, 0.5); qt(0.995, 1);
//   pt(40, 2, lower.tail = FALSE); 2 * pnorm(-9)
TEST(DistributionsTest, AgreeWithR) {
  EXPECT_NEAR(NormalQuantile(0.975), 1.9599639845400536, 1e-14);
  EXPECT_NEAR(NormalQuantile(0.025), -1.9599639845400536, 1e-14);
  EXPECT_NEAR(StudentTQuantile(0.975, 7), 2.3646242515927844, 1e-13);
  EXPECT_NEAR(StudentTUpperTail(2.5, 7) / 0.020496109292876437, 1.0, 1e-13);
  EXPECT_NEAR(1.0 - StudentTUpperTail(-0.3, 3.5), 0.39056670491994483, 1e-14);
  EXPECT_NEAR(RegularizedIncompleteBeta(2.5, 0.5, 0.3) / 0.018927124071945644,
              1.0, 1e-13);
  EXPECT_NEAR(StudentTQuantile(0.995, 1) / 63.656741162871526, 1.0, 1e-12);
  EXPECT_NEAR(StudentTUpperTail(40, 2) / 0.0003122073360923703, 1.0, 1e-12);
  EXPECT_NEAR(2.0 * NormalUpperTail(9.0) / 2.2571768119076816e-19, 1.0, 1e-13);
}

// R 4.2.2: pchisq(x, k, lower.tail = FALSE), pf(f, d1, d2, lower.tail =
// FALSE), printed with sprintf("%.17g"). Relative accuracy 1e-13 (the
// continued fractions stop at 1e-16 per step), down to the far tail.
TEST(DistributionsTest, ChiSquaredAndFTailsAgreeWithR) {
  struct Case {
    double x, k, r;
  };
  for (const Case& c :
       {Case{28.086757476607119, 2, 7.9622921158247192e-07},
        Case{3.5, 7, 0.83522548261034213},
        Case{150, 100, 0.00090393204235400938},
        Case{0.01, 0.5, 0.70691910527898039}, Case{1e-3, 10, 1.0},
        Case{400, 3, 2.213886593101118e-86}}) {
    EXPECT_NEAR(ChiSquaredUpperTail(c.x, c.k) / c.r, 1.0, 1e-13)
        << "pchisq(" << c.x << ", " << c.k << ")";
  }
  struct FCase {
    double f, d1, d2, r;
  };
  for (const FCase& c : {FCase{3.7310896676986256, 2, 48, 0.031179084448691174},
                         FCase{0.2, 5, 3, 0.94233111437756267},
                         FCase{40, 1, 1000, 3.8231071478053319e-10}}) {
    // 1e-12: the beta prefactor's lgamma(500) terms cancel to ~4e-13.
    EXPECT_NEAR(FUpperTail(c.f, c.d1, c.d2) / c.r, 1.0, 1e-12)
        << "pf(" << c.f << ", " << c.d1 << ", " << c.d2 << ")";
  }
  EXPECT_EQ(ChiSquaredUpperTail(0.0, 3.0), 1.0);
  EXPECT_EQ(ChiSquaredUpperTail(-1.0, 3.0), 1.0);
  EXPECT_TRUE(std::isnan(ChiSquaredUpperTail(1.0, 0.0)));
  EXPECT_TRUE(std::isnan(FUpperTail(1.0, 2.0, -1.0)));
}

TEST(DistributionsTest, QuantilesInvertTheirTails) {
  for (double p : {1e-12, 1e-5, 0.01, 0.2, 0.5, 0.7, 0.99, 1 - 1e-9}) {
    EXPECT_NEAR(1.0 - NormalUpperTail(NormalQuantile(p)), p, 1e-15 + 1e-13 * p)
        << p;
    for (double nu : {1.0, 2.5, 30.0, 1000.0}) {
      const double t = StudentTQuantile(p, nu);
      EXPECT_NEAR(1.0 - StudentTUpperTail(t, nu), p, 1e-14 + 1e-11 * p)
          << "p = " << p << ", nu = " << nu;
    }
  }
  // Cauchy (ν = 1) closed form: P(T > t) = ½ − atan(t)/π.
  EXPECT_NEAR(StudentTUpperTail(3.0, 1.0), 0.5 - std::atan(3.0) / M_PI, 1e-15);
  // Large ν approaches the normal.
  EXPECT_NEAR(StudentTUpperTail(1.5, 1e7), NormalUpperTail(1.5), 1e-7);
  EXPECT_TRUE(std::isnan(StudentTUpperTail(1.0, 0.0)));
  EXPECT_TRUE(std::isnan(RegularizedIncompleteBeta(1.0, 1.0, 1.5)));
}

}  // namespace
}  // namespace fisheropt
