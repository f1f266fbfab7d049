#ifndef FISHEROPT_FISHER_DIAGNOSTICS_H_
#define FISHEROPT_FISHER_DIAGNOSTICS_H_

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "problems/likelihood_model.h"

namespace fisheropt {

// The theory behind Fisher methods, measured on one model at one θ with
// Monte Carlo standard errors. Every quantity is on the summed scale of
// L = −Σ log p; F is the model's closed-form expected Fisher. M data sets
// ỹ_1..ỹ_M are drawn from p_θ (one seeded stream), and with s_m = Σ_i s_i(ỹ_m)
// and H_m = −∇² Σ_i log p(ỹ_m,i) the rows are:
//
//   mean score          ‖s̄‖ / √tr F                          → 0
//   score covariance    ‖(1/M) Σ s_m s_mᵀ − F‖_F / ‖F‖_F      → 0
//   expected Hessian    ‖(1/M) Σ H_m − F‖_F / ‖F‖_F            → 0
//                       (H_m from HessianAtResponses, else central
//                        differences of the summed score)
//   KL ratio (ε)        KL(p_θ ‖ p_θ+εd) / (½ ε² dᵀF d)        → 1 as ε → 0
//                       (d: a seeded random direction with dᵀFd = 1; KL
//                        closed form when the model has one, else Monte
//                        Carlo over the same draws with the control variate
//                        ε dᵀs, which removes the O(ε) noise)
//   empirical Fisher    ‖F_emp(y) − F‖_F / ‖F‖_F at the observed y: a
//                       measurement (no identity makes it 0); the note gives
//                       its mean under data drawn from p_θ for comparison
//   Hessian − F         ‖H(y) − F‖_F / ‖F‖_F at the observed y: a check that
//                       it is 0 (to round-off) when the Hessian does not
//                       depend on y (canonical GLMs), else a measurement
//
// Standard errors: for the norms, the root of the summed squared Monte Carlo
// standard errors of the entries, normalized like the estimate — what the
// estimate is expected to be from Monte Carlo noise alone. A check PASSes
// when |estimate − target| ≤ tolerance = z · SE + a round-off floor (KL rows:
// + ε, the order of the cubic term of the expansion).
struct DiagnosticsOptions {
  // Data sets drawn from the model at θ. The standard errors shrink like
  // 1/√M.
  int num_draws = 1000;
  std::uint64_t seed = 20261128;
  // Tolerance multiplier on the standard error. 4 keeps the family of checks
  // from failing by chance (a norm over p entries exceeds 4 SE with
  // probability below 1e-4 for p ≥ 1) while a real discrepancy fails.
  double z = 4.0;
  // Round-off allowance of identities that hold exactly, relative to ‖F‖.
  double relative_floor = 1e-9;
  // Relative step of the central differences of the score used when the
  // model has no HessianAtResponses (step h_j = step · (|θ_j| + 1)).
  double difference_step = 1e-5;
  // The ε of the KL rows, each in (0, 1].
  std::vector<double> kl_steps = {1e-1, 1e-2, 1e-3};
  // Use the model's closed-form KlDivergence when it has one; false forces
  // the Monte Carlo estimate (to check it).
  bool use_closed_form_kl = true;

  bool IsValid(std::string* error) const;
};

// A row is a check (PASS/FAIL against a tolerance) or a measurement (an
// informative number; it never fails).
enum class DiagnosticKind { kCheck, kMeasurement };

struct DiagnosticRow {
  std::string name;
  DiagnosticKind kind = DiagnosticKind::kCheck;
  double estimate = 0.0;
  double target = 0.0;          // what theory says the estimate tends to
  double standard_error = 0.0;  // Monte Carlo standard error (0: exact)
  double tolerance = 0.0;       // NaN for measurements
  bool pass = true;
  std::string note;  // how it was computed, or context
};

struct DiagnosticsReport {
  std::string model_name;
  int num_draws = 0;
  std::vector<DiagnosticRow> rows;

  // True when every check passed.
  bool AllPass() const;
};

// Draws one response set (N rows) for the Monte Carlo rows.
using ResponseSampler = std::function<void(RandomEngine*, RowMatrixXd*)>;

// Runs every diagnostic at θ with data sets drawn from the model at θ.
// Returns false with a message when the options are invalid or the model has
// no closed-form expected Fisher (the reference of every row).
bool RunDiagnostics(const DiagnosticsOptions& options,
                    const LikelihoodModel& model, const Eigen::VectorXd& theta,
                    DiagnosticsReport* report, std::string* error);

// The same with data sets from `sampler` instead of p_θ: with any other
// distribution the identities no longer hold and their checks FAIL (how the
// tests show that the checks can fail).
bool RunDiagnostics(const DiagnosticsOptions& options,
                    const LikelihoodModel& model, const Eigen::VectorXd& theta,
                    const ResponseSampler& sampler, DiagnosticsReport* report,
                    std::string* error);

// A fixed-width text table: name, estimate, target, std. error, tolerance,
// result (PASS / FAIL / info) and the note.
std::string FormatDiagnostics(const DiagnosticsReport& report);

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_DIAGNOSTICS_H_
