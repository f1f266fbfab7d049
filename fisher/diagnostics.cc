#include "fisher/diagnostics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "linalg/weighted_gram.h"

namespace fisheropt {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Decorrelates the direction of the KL rows from the response draws.
constexpr std::uint64_t kDirectionSeedOffset = 0x9e3779b97f4a7c15ULL;

// Entrywise running mean and Monte Carlo standard error (Welford).
class MeanAccumulator {
 public:
  void Add(const Eigen::MatrixXd& value) {
    if (count_ == 0) {
      mean_ = Eigen::MatrixXd::Zero(value.rows(), value.cols());
      squares_ = mean_;
    }
    ++count_;
    const Eigen::MatrixXd deviation = value - mean_;
    mean_ += deviation / static_cast<double>(count_);
    squares_ += deviation.cwiseProduct(value - mean_);
  }
  const Eigen::MatrixXd& mean() const { return mean_; }
  // Standard error of each entry of the mean.
  Eigen::MatrixXd StandardError() const {
    return (squares_ / ((count_ - 1.0) * count_)).cwiseSqrt();
  }

 private:
  int count_ = 0;
  Eigen::MatrixXd mean_;
  Eigen::MatrixXd squares_;
};

Eigen::VectorXd SummedScore(const LikelihoodModel& model,
                            const Eigen::VectorXd& theta,
                            const RowMatrixXd& responses) {
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(model.NumParameters());
  Eigen::MatrixXd scores;
  const int n = model.NumSamples();
  for (int begin = 0; begin < n; begin += kRowsPerChunk) {
    const int count = std::min(kRowsPerChunk, n - begin);
    model.Scores(theta, responses, begin, count, &scores);
    sum += scores.colwise().sum().transpose();
  }
  return sum;
}

// Σ_i [ℓ_i(θ) − ℓ_i(θ2)] at the responses, differenced per sample before
// summing so that a small difference of large sums keeps its digits.
double LogLikelihoodDifference(const LikelihoodModel& model,
                               const Eigen::VectorXd& theta,
                               const Eigen::VectorXd& theta2,
                               const RowMatrixXd& responses) {
  double sum = 0.0;
  Eigen::VectorXd first, second;
  const int n = model.NumSamples();
  for (int begin = 0; begin < n; begin += kRowsPerChunk) {
    const int count = std::min(kRowsPerChunk, n - begin);
    model.LogLikelihoods(theta, responses, begin, count, &first);
    model.LogLikelihoods(theta2, responses, begin, count, &second);
    sum += (first - second).sum();
  }
  return sum;
}

// −∇² Σ log p at the responses: closed form, or central differences of the
// summed score (then *differenced is set).
Eigen::MatrixXd HessianAt(const LikelihoodModel& model,
                          const Eigen::VectorXd& theta,
                          const RowMatrixXd& responses, double step,
                          bool* differenced) {
  Eigen::MatrixXd hessian;
  if (model.HessianAtResponses(theta, responses, &hessian)) {
    *differenced = false;
    return hessian;
  }
  *differenced = true;
  const int p = model.NumParameters();
  hessian.resize(p, p);
  for (int j = 0; j < p; ++j) {
    const double h = step * (std::abs(theta[j]) + 1.0);
    Eigen::VectorXd plus = theta, minus = theta;
    plus[j] += h;
    minus[j] -= h;
    hessian.col(j) = -(SummedScore(model, plus, responses) -
                       SummedScore(model, minus, responses)) /
                     (2.0 * h);
  }
  return 0.5 * (hessian + hessian.transpose());
}

std::string Format(double value, const char* format) {
  if (std::isnan(value)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), format, value);
  return buffer;
}

DiagnosticRow Check(const std::string& name, double estimate, double target,
                    double standard_error, double tolerance,
                    const std::string& note) {
  DiagnosticRow row;
  row.name = name;
  row.kind = DiagnosticKind::kCheck;
  row.estimate = estimate;
  row.target = target;
  row.standard_error = standard_error;
  row.tolerance = tolerance;
  row.pass = std::abs(estimate - target) <= tolerance;  // NaN fails
  row.note = note;
  return row;
}

DiagnosticRow Measurement(const std::string& name, double estimate,
                          double standard_error, const std::string& note) {
  DiagnosticRow row;
  row.name = name;
  row.kind = DiagnosticKind::kMeasurement;
  row.estimate = estimate;
  row.target = kNaN;
  row.standard_error = standard_error;
  row.tolerance = kNaN;
  row.pass = true;
  row.note = note;
  return row;
}

}  // namespace

bool DiagnosticsOptions::IsValid(std::string* error) const {
  std::ostringstream message;
  if (num_draws < 2) {
    message << "DiagnosticsOptions::num_draws = " << num_draws
            << " must be >= 2";
  } else if (!(z > 0.0) || !std::isfinite(z)) {
    message << "DiagnosticsOptions::z = " << z << " must be finite and > 0";
  } else if (!(relative_floor >= 0.0)) {
    message << "DiagnosticsOptions::relative_floor = " << relative_floor
            << " must be >= 0";
  } else if (!(difference_step > 0.0 && difference_step < 1.0)) {
    message << "DiagnosticsOptions::difference_step = " << difference_step
            << " must be in (0, 1)";
  } else {
    for (size_t k = 0; k < kl_steps.size(); ++k) {
      if (!(kl_steps[k] > 0.0 && kl_steps[k] <= 1.0)) {
        message << "DiagnosticsOptions::kl_steps[" << k << "] = " << kl_steps[k]
                << " must be in (0, 1]";
        break;
      }
    }
  }
  if (message.tellp() == 0) return true;
  if (error != nullptr) *error = message.str();
  return false;
}

bool DiagnosticsReport::AllPass() const {
  return std::all_of(rows.begin(), rows.end(),
                     [](const DiagnosticRow& row) { return row.pass; });
}

bool RunDiagnostics(const DiagnosticsOptions& options,
                    const LikelihoodModel& model, const Eigen::VectorXd& theta,
                    DiagnosticsReport* report, std::string* error) {
  return RunDiagnostics(
      options, model, theta,
      [&](RandomEngine* rng, RowMatrixXd* responses) {
        model.SampleResponses(theta, rng, responses);
      },
      report, error);
}

bool RunDiagnostics(const DiagnosticsOptions& options,
                    const LikelihoodModel& model, const Eigen::VectorXd& theta,
                    const ResponseSampler& sampler, DiagnosticsReport* report,
                    std::string* error) {
  if (!options.IsValid(error)) return false;
  const int p = model.NumParameters();
  if (theta.size() != p || !theta.allFinite()) {
    if (error != nullptr) {
      *error = "θ must be finite with " + std::to_string(p) + " entries";
    }
    return false;
  }
  Eigen::MatrixXd fisher;
  if (!model.ExpectedFisher(theta, &fisher) || !fisher.allFinite()) {
    if (error != nullptr) {
      *error = "model '" + model.Name() +
               "' has no closed-form expected Fisher at this point, the "
               "reference of every diagnostic";
    }
    return false;
  }
  const double fisher_norm = fisher.norm();
  const double score_scale = std::sqrt(fisher.trace());

  // The direction of the KL rows: dᵀ F d = 1.
  RandomEngine direction_rng(options.seed + kDirectionSeedOffset);
  std::normal_distribution<double> normal(0.0, 1.0);
  Eigen::VectorXd direction(p);
  for (int j = 0; j < p; ++j) direction[j] = normal(direction_rng);
  direction /= std::sqrt(direction.dot(fisher * direction));
  const size_t num_steps = options.kl_steps.size();
  std::vector<double> closed_form_kl(num_steps, kNaN);
  bool kl_closed = options.use_closed_form_kl;
  for (size_t k = 0; k < num_steps && kl_closed; ++k) {
    kl_closed = model.KlDivergence(
        theta, theta + options.kl_steps[k] * direction, &closed_form_kl[k]);
  }

  const RowMatrixXd& observed = model.ObservedResponses();
  MeanAccumulator score_mean, score_outer, hessian_mean, empirical_gap;
  std::vector<MeanAccumulator> kl_mean(num_steps);
  bool differenced = false;
  RandomEngine rng(options.seed);
  RowMatrixXd sampled;
  Eigen::MatrixXd outer_sum;
  for (int m = 0; m < options.num_draws; ++m) {
    sampler(&rng, &sampled);
    if (sampled.rows() != observed.rows() ||
        sampled.cols() != observed.cols()) {
      if (error != nullptr) {
        *error = "the response sampler returned a " +
                 std::to_string(sampled.rows()) + " x " +
                 std::to_string(sampled.cols()) + " matrix, expected " +
                 std::to_string(observed.rows()) + " x " +
                 std::to_string(observed.cols());
      }
      return false;
    }
    const Eigen::VectorXd score = SummedScore(model, theta, sampled);
    score_mean.Add(score);
    score_outer.Add(score * score.transpose());
    hessian_mean.Add(HessianAt(model, theta, sampled, options.difference_step,
                               &differenced));
    model.ScoreOuterProductSum(theta, sampled, &outer_sum);
    empirical_gap.Add(Eigen::MatrixXd::Constant(
        1, 1, (outer_sum - fisher).norm() / fisher_norm));
    if (!kl_closed) {
      for (size_t k = 0; k < num_steps; ++k) {
        const double eps = options.kl_steps[k];
        const double value =
            LogLikelihoodDifference(model, theta, theta + eps * direction,
                                    sampled) +
            eps * direction.dot(score);
        kl_mean[k].Add(Eigen::MatrixXd::Constant(1, 1, value));
      }
    }
  }

  report->model_name = model.Name();
  report->num_draws = options.num_draws;
  report->rows.clear();
  const double z = options.z;
  char note[256];

  std::snprintf(note, sizeof(note), "‖mean of Σ_i s_i(ỹ)‖ / √tr F, %d draws",
                options.num_draws);
  const double score_se = score_mean.StandardError().norm() / score_scale;
  report->rows.push_back(
      Check("E_p[s] = 0", score_mean.mean().norm() / score_scale, 0.0, score_se,
            z * score_se + options.relative_floor, note));

  const double outer_se = score_outer.StandardError().norm() / fisher_norm;
  report->rows.push_back(
      Check("Cov_p[s] = F", (score_outer.mean() - fisher).norm() / fisher_norm,
            0.0, outer_se, z * outer_se + options.relative_floor,
            "‖mean of s sᵀ − F‖_F / ‖F‖_F"));

  const double hessian_se = hessian_mean.StandardError().norm() / fisher_norm;
  const double hessian_floor =
      differenced
          ? std::max(options.relative_floor,
                     1e3 * options.difference_step * options.difference_step)
          : options.relative_floor;
  report->rows.push_back(Check(
      "-E_p[∇² log p] = F", (hessian_mean.mean() - fisher).norm() / fisher_norm,
      0.0, hessian_se, z * hessian_se + hessian_floor,
      differenced ? "Hessians by central differences of the score"
                  : "closed-form Hessians at the draws"));

  for (size_t k = 0; k < num_steps; ++k) {
    const double eps = options.kl_steps[k];
    const double quadratic = 0.5 * eps * eps;  // ½ ε² dᵀFd with dᵀFd = 1
    double ratio, se;
    if (kl_closed) {
      ratio = closed_form_kl[k] / quadratic;
      se = 0.0;
    } else {
      ratio = kl_mean[k].mean()(0, 0) / quadratic;
      se = kl_mean[k].StandardError()(0, 0) / quadratic;
    }
    char name[64];
    std::snprintf(name, sizeof(name), "KL / (½ε² dᵀFd), ε=%g", eps);
    report->rows.push_back(
        Check(name, ratio, 1.0, se, eps + z * se,
              kl_closed ? "closed-form KL; tolerance ε + z·SE"
                        : "Monte Carlo KL with control variate ε dᵀs"));
  }

  Eigen::MatrixXd empirical;
  model.ScoreOuterProductSum(theta, observed, &empirical);
  std::snprintf(note, sizeof(note),
                "at the observed data; %.3g ± %.2g for data drawn from p_θ",
                empirical_gap.mean()(0, 0),
                empirical_gap.StandardError()(0, 0) *
                    std::sqrt(static_cast<double>(options.num_draws)));
  report->rows.push_back(Measurement("‖F_emp − F‖ / ‖F‖",
                                     (empirical - fisher).norm() / fisher_norm,
                                     0.0, note));

  Eigen::MatrixXd hessian;
  bool hessian_differenced = false;
  if (!model.Hessian(theta, &hessian)) {
    hessian = HessianAt(model, theta, observed, options.difference_step,
                        &hessian_differenced);
  }
  const double hessian_gap = (hessian - fisher).norm() / fisher_norm;
  if (model.HessianIsResponseFree()) {
    report->rows.push_back(
        Check("‖H − F‖ / ‖F‖", hessian_gap, 0.0, 0.0,
              hessian_differenced ? hessian_floor : options.relative_floor,
              "canonical model: the Hessian does not depend on y"));
  } else {
    report->rows.push_back(
        Measurement("‖H − F‖ / ‖F‖", hessian_gap, 0.0,
                    "at the observed data; the Hessian depends on y"));
  }
  return true;
}

std::string FormatDiagnostics(const DiagnosticsReport& report) {
  const std::vector<std::string> header = {"check",      "estimate",  "target",
                                           "std. error", "tolerance", "result",
                                           "note"};
  std::vector<std::vector<std::string>> cells;
  for (const DiagnosticRow& row : report.rows) {
    const bool check = row.kind == DiagnosticKind::kCheck;
    cells.push_back({row.name, Format(row.estimate, "%.6g"),
                     check ? Format(row.target, "%g") : "-",
                     Format(row.standard_error, "%.2g"),
                     check ? Format(row.tolerance, "%.2g") : "-",
                     check ? (row.pass ? "PASS" : "FAIL") : "info", row.note});
  }
  // Column widths in displayed characters (UTF-8 continuation bytes do not
  // take a column).
  auto width = [](const std::string& text) {
    size_t columns = 0;
    for (unsigned char c : text) columns += (c & 0xC0) != 0x80;
    return columns;
  };
  std::vector<size_t> widths(header.size());
  for (size_t j = 0; j < header.size(); ++j) {
    widths[j] = width(header[j]);
    for (const auto& row : cells)
      widths[j] = std::max(widths[j], width(row[j]));
  }
  std::ostringstream out;
  auto emit = [&](const std::vector<std::string>& row) {
    for (size_t j = 0; j < row.size(); ++j) {
      const std::string padding(widths[j] - width(row[j]), ' ');
      if (j == 0 || j + 1 == row.size()) {
        out << row[j] << (j + 1 == row.size() ? "" : padding);
      } else {
        out << padding << row[j];
      }
      if (j + 1 < row.size()) out << "  ";
    }
    out << '\n';
  };
  emit(header);
  for (const auto& row : cells) emit(row);
  return out.str();
}

}  // namespace fisheropt
