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
