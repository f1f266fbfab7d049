#include "fisher/distributions.h"

#include <cmath>
#include <limits>

namespace fisheropt {
namespace {

constexpr double kSqrtTwo = 1.41421356237309504880;
constexpr double kPi = 3.14159265358979323846;

// The continued fraction of I_x(a, b) (Numerical Recipes' betacf, modified
// Lentz), good where x < (a + 1)/(a + b + 2).
double IncompleteBetaFraction(double a, double b, double x) {
  constexpr int kMaxIterations = 10000;
  constexpr double kEpsilon = 1e-16;
  constexpr double kTiny = 1e-300;
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::abs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::abs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::abs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1.0) < kEpsilon) break;
  }
  return h;
}

double StudentTDensity(double t, double nu) {
  return std::exp(std::lgamma(0.5 * (nu + 1.0)) - std::lgamma(0.5 * nu) -
                  0.5 * std::log(nu * kPi) -
                  0.5 * (nu + 1.0) * std::log1p(t * t / nu));
}

}  // namespace

double NormalUpperTail(double z) { return 0.5 * std::erfc(z / kSqrtTwo); }

double NormalQuantile(double p) {
  if (!(p > 0.0 && p < 1.0)) {
    if (p == 0.0) return -std::numeric_limits<double>::infinity();
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
  }
  // Acklam's approximation (relative error 1.15e-9).
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                             -2.759285104469687e+02, 1.383577518672690e+02,
                             -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                             -1.556989798598866e+02, 6.680131188771972e+01,
                             -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                             -2.400758277161838e+00, -2.549732539343734e+00,
                             4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                             2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x;
  if (p < kLow) {
    const double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (p <= 1.0 - kLow) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) *
        q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    const double q = std::sqrt(-2.0 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  // Halley refinements on Φ(x) − p, with Φ from erfc (twice: each step
  // cubes the relative error).
  for (int step = 0; step < 2; ++step) {
    const double e = 0.5 * std::erfc(-x / kSqrtTwo) - p;
    const double u = e * std::sqrt(2.0 * kPi) * std::exp(0.5 * x * x);
    x -= u / (1.0 + 0.5 * x * u);
  }
  return x;
}

double RegularizedIncompleteBeta(double a, double b, double x) {
  if (!(a > 0.0 && b > 0.0 && x >= 0.0 && x <= 1.0)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (x == 0.0) return 0.0;
  if (x == 1.0) return 1.0;
  const double log_front = std::lgamma(a + b) - std::lgamma(a) -
                           std::lgamma(b) + a * std::log(x) +
                           b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1.0) / (a + b + 2.0)) {
    return front * IncompleteBetaFraction(a, b, x) / a;
  }
  return 1.0 - front * IncompleteBetaFraction(b, a, 1.0 - x) / b;
}

double StudentTUpperTail(double t, double degrees_of_freedom) {
  const double nu = degrees_of_freedom;
  if (std::isnan(t) || !(nu > 0.0)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (std::isinf(t)) return t > 0 ? 0.0 : 1.0;
  // x = ν/(ν + t²), computed without cancellation for large |t|.
  const double half_tail =
      0.5 * RegularizedIncompleteBeta(0.5 * nu, 0.5, nu / (nu + t * t));
  return t >= 0.0 ? half_tail : 1.0 - half_tail;
}

double StudentTQuantile(double p, double degrees_of_freedom) {
  const double nu = degrees_of_freedom;
  if (!(p > 0.0 && p < 1.0) || !(nu > 0.0)) {
    if (nu > 0.0 && p == 0.0) return -std::numeric_limits<double>::infinity();
    if (nu > 0.0 && p == 1.0) return std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (p < 0.5) return -StudentTQuantile(1.0 - p, nu);
  if (p == 0.5) return 0.0;
  // Solve P(T > t) = 1 − p for t > 0 on a bracket that doubles until it
  // holds the root; Newton steps that leave the bracket become bisections.
  const double tail = 1.0 - p;
  double low = 0.0, high = 1.0;
  while (StudentTUpperTail(high, nu) > tail && high < 1e300) high *= 2.0;
  double t = std::min(std::max(NormalQuantile(p), low), high);
  if (t <= low || t >= high) t = 0.5 * (low + high);
  for (int iteration = 0; iteration < 200; ++iteration) {
    const double residual = StudentTUpperTail(t, nu) - tail;  // decreasing in t
    if (residual > 0.0) {
      low = t;
    } else {
      high = t;
    }
    double next = t + residual / StudentTDensity(t, nu);
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    if (std::abs(next - t) <= 1e-15 * std::abs(t)) return next;
    t = next;
  }
  return t;
}

double RegularizedUpperGamma(double a, double x) {
  if (!(a > 0.0) || !(x >= 0.0)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (x == 0.0) return 1.0;
  if (std::isinf(x)) return 0.0;
  constexpr int kMaxIterations = 100000;
  constexpr double kEpsilon = 1e-16;
  constexpr double kTiny = 1e-300;
  const double log_prefactor = -x + a * std::log(x) - std::lgamma(a);
  if (x < a + 1.0) {
    // P(a, x) = e^{−x} x^a / Γ(a + 1) · Σ_n x^n / ((a + 1)…(a + n)).
    double term = 1.0 / a, sum = term, denominator = a;
    for (int n = 1; n <= kMaxIterations; ++n) {
      denominator += 1.0;
      term *= x / denominator;
      sum += term;
      if (std::abs(term) < std::abs(sum) * kEpsilon) break;
    }
    return 1.0 - sum * std::exp(log_prefactor);
  }
  // Q(a, x) = e^{−x} x^a / Γ(a) · 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − …)).
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i <= kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::abs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1.0) < kEpsilon) break;
  }
  return std::exp(log_prefactor) * h;
}

double ChiSquaredUpperTail(double x, double degrees_of_freedom) {
  if (!(degrees_of_freedom > 0.0)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (x <= 0.0) return 1.0;
  return RegularizedUpperGamma(0.5 * degrees_of_freedom, 0.5 * x);
}

double FUpperTail(double f, double numerator_df, double denominator_df) {
  if (!(numerator_df > 0.0) || !(denominator_df > 0.0)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (f <= 0.0) return 1.0;
  return RegularizedIncompleteBeta(
      0.5 * denominator_df, 0.5 * numerator_df,
      denominator_df / (denominator_df + numerator_df * f));
}

}  // namespace fisheropt
