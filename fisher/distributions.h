#ifndef FISHEROPT_FISHER_DISTRIBUTIONS_H_
#define FISHEROPT_FISHER_DISTRIBUTIONS_H_

namespace fisheropt {

// Reference distributions for Wald tests and confidence intervals, to about
// 1e-14 relative accuracy in double precision (checked against R's pnorm,
// qnorm, pt, qt and pbeta in tests/fisher/distributions_test.cc).

// P(Z > z) for Z ~ N(0, 1), as ½ erfc(z/√2): no cancellation in the tail.
double NormalUpperTail(double z);
// The p-quantile of N(0, 1), 0 < p < 1 (Acklam's rational approximation,
// refined by one Halley step on erfc).
double NormalQuantile(double p);

// I_x(a, b), the regularized incomplete beta function, for a, b > 0 and
// 0 ≤ x ≤ 1: the continued fraction (modified Lentz) on whichever of x and
// 1 − x converges fast, with the prefactor from std::lgamma.
double RegularizedIncompleteBeta(double a, double b, double x);

// P(T > t) for T ~ Student t with ν > 0 degrees of freedom:
// ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0, by symmetry otherwise.
double StudentTUpperTail(double t, double degrees_of_freedom);
// The p-quantile of Student t with ν degrees of freedom, 0 < p < 1: Newton's
// method on the CDF, safeguarded by bisection.
double StudentTQuantile(double p, double degrees_of_freedom);

// Q(a, x) = Γ(a, x)/Γ(a), the regularized upper incomplete gamma function,
// for a > 0 and x ≥ 0: the series of P(a, x) below x < a + 1 (Q = 1 − P),
// the continued fraction of Q (modified Lentz) above; Numerical Recipes'
// gser/gcf with the prefactor from std::lgamma.
double RegularizedUpperGamma(double a, double x);
// P(X > x) for X ~ χ² with k > 0 degrees of freedom: Q(k/2, x/2).
double ChiSquaredUpperTail(double x, double degrees_of_freedom);
// P(F > f) for F ~ F(d1, d2): I_{d2/(d2 + d1 f)}(d2/2, d1/2).
double FUpperTail(double f, double numerator_df, double denominator_df);

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_DISTRIBUTIONS_H_
