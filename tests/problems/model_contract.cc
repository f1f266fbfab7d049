#include "tests/problems/model_contract.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <sstream>
#include <utility>

#include "tests/test_utilities.h"

namespace fisheropt {
namespace testing {
namespace {

constexpr double kMachineEpsilon = std::numeric_limits<double>::epsilon();
using CurvatureProduct = LikelihoodModel::CurvatureProduct;

std::string Shape(const Eigen::MatrixXd& m) {
  return std::to_string(m.rows()) + " x " + std::to_string(m.cols());
}

// The size of the terms behind each entry of a curvature-like matrix C:
// √(|C_jj| |C_kk|) + |C_jk|. For a sum of PSD outer products Σ w_i x_i x_iᵀ
// (w_i ≥ 0) the first term bounds Σ |w_i x_ij x_ik| by Cauchy–Schwarz, so
// rounding, whatever the cancellation in C_jk, stays well below it.
Eigen::MatrixXd EntrySize(const Eigen::MatrixXd& c) {
  const Eigen::VectorXd root = c.diagonal().cwiseAbs().cwiseSqrt();
  return root * root.transpose() + c.cwiseAbs();
}

// Running mean and sum of squared deviations (Welford) of equally shaped
// matrices, for entrywise Monte Carlo standard errors.
class RunningMoments {
 public:
  void Add(const Eigen::MatrixXd& x) {
    if (count_ == 0) {
      mean_.setZero(x.rows(), x.cols());
      squares_.setZero(x.rows(), x.cols());
    }
    ++count_;
    const Eigen::ArrayXXd delta = x.array() - mean_;
    mean_ += delta / count_;
    squares_ += delta * (x.array() - mean_);
  }
  int count() const { return count_; }
  Eigen::MatrixXd Mean() const { return mean_.matrix(); }
  // Sample standard deviation / √M, entry by entry.
  Eigen::MatrixXd StandardError() const {
    return (squares_ / (count_ - 1.0) / count_).sqrt().matrix();
  }

 private:
  int count_ = 0;
  Eigen::ArrayXXd mean_, squares_;
};

// Runs the calling thread's OpenMP regions on one thread while it lives.
// The checks are thousands of passes over a few hundred rows (the Monte Carlo
// draws above all), where a fork and join costs more than the work: on the
// shared 2-core machine, with the idle thread spinning, 2 threads made a run
// 3-10x slower. No identity checked here depends on the thread count (the
// library's own tests compare 1 and 2 threads).
class ScopedSingleThread {
 public:
  ScopedSingleThread() : threads_(omp_get_max_threads()) {
    omp_set_num_threads(1);
  }
  ~ScopedSingleThread() { omp_set_num_threads(threads_); }
  ScopedSingleThread(const ScopedSingleThread&) = delete;
  ScopedSingleThread& operator=(const ScopedSingleThread&) = delete;

 private:
  int threads_;
};

// Records the checks of one model in the report and reports their failures
// to gtest, each naming the model and the check.
class Recorder {
 public:
  explicit Recorder(ModelContractReport* report) : report_(report) {}

  void Begin(const std::string& name) {
    report_->checks.push_back({name, ContractCheckStatus::kPassed, ""});
  }
  void Skip(const std::string& name, const std::string& reason) {
    report_->checks.push_back({name, ContractCheckStatus::kSkipped, reason});
  }
  // How the current check was done, for the report.
  void Note(const std::string& note) { report_->checks.back().note = note; }
  void Fail(const std::string& message) {
    ContractCheck& check = report_->checks.back();
    check.status = ContractCheckStatus::kFailed;
    ADD_FAILURE() << report_->model_name << ": " << check.name << ": "
                  << message;
  }
  // Fails the current check with `message` unless `condition` holds.
  bool Expect(bool condition, const std::string& message) {
    if (!condition) Fail(message);
    return condition;
  }

  // Entrywise |actual − expected| ≤ tolerance (a NaN fails); one failure
  // naming how many entries are out and the worst one.
  bool ExpectNear(const std::string& what, const Eigen::MatrixXd& actual,
                  const Eigen::MatrixXd& expected,
                  const Eigen::MatrixXd& tolerance) {
    if (actual.rows() != expected.rows() || actual.cols() != expected.cols()) {
      Fail(what + ": shape " + Shape(actual) + ", expected " + Shape(expected));
      return false;
    }
    int violations = 0;
    Eigen::Index worst_row = 0, worst_col = 0;
    double worst_ratio = -1.0;
    for (Eigen::Index k = 0; k < actual.cols(); ++k) {
      for (Eigen::Index j = 0; j < actual.rows(); ++j) {
        const double error = std::abs(actual(j, k) - expected(j, k));
        if (error <= tolerance(j, k)) continue;
        ++violations;
        const double ratio = std::isfinite(error)
                                 ? error / tolerance(j, k)
                                 : std::numeric_limits<double>::infinity();
        if (ratio > worst_ratio) {
          worst_ratio = ratio;
          worst_row = j;
          worst_col = k;
        }
      }
    }
    if (violations == 0) return true;
    std::ostringstream message;
    message.precision(10);
    message << what << ": " << violations << " of " << actual.size()
            << " entries outside the tolerance; worst (" << worst_row << ", "
            << worst_col << "): " << actual(worst_row, worst_col) << " vs "
            << expected(worst_row, worst_col) << ", |difference| "
            << std::abs(actual(worst_row, worst_col) -
                        expected(worst_row, worst_col))
            << " > tolerance " << tolerance(worst_row, worst_col);
    Fail(message.str());
    return false;
  }
  bool ExpectNear(const std::string& what, const Eigen::MatrixXd& actual,
                  const Eigen::MatrixXd& expected, double tolerance) {
    return ExpectNear(
        what, actual, expected,
        Eigen::MatrixXd::Constant(expected.rows(), expected.cols(), tolerance));
  }

 private:
  ModelContractReport* report_;
};

// One run of every check on one model at one θ; the members hold what the
// checks share (the observed terms, the closed forms, the first sampled
// response set).
class ContractRun {
 public:
  ContractRun(const LikelihoodModel& model, const Eigen::VectorXd& theta,
              const ModelContractOptions& options, Recorder* recorder)
      : model_(model),
        theta_(theta),
        options_(options),
        recorder_(*recorder),
        p_(model.NumParameters()),
        n_(model.NumSamples()) {}

  void Run() {
    if (!Setup()) return;
    Structure();
    if (!ValueAndGradient()) return;
    Scores();
    if (!Sampling()) return;
    ScoreOuterProducts();
    Hessian();
    ResponseFreeHessian();
    MonteCarlo();
    Kl();
    GaussNewton();
    CurvatureProducts();
    ApproximateCurvature();
  }

 private:
  // The options fit the model and θ is a point where L is defined; the
  // observed per-sample terms.
  bool Setup() {
    recorder_.Begin("setup");
    if (!recorder_.Expect(theta_.size() == p_ && theta_.allFinite(),
                          "θ must hold NumParameters() = " +
                              std::to_string(p_) + " finite numbers")) {
      return false;
    }
    weights_ = options_.frequency_weights.size() == 0
                   ? Eigen::VectorXd::Ones(n_)
                   : options_.frequency_weights;
    penalty_ = options_.penalty_hessian.size() == 0
                   ? Eigen::MatrixXd::Zero(p_, p_)
                   : options_.penalty_hessian;
    const Eigen::VectorXd scale =
        options_.parameter_scale.size() == 0
            ? Eigen::VectorXd(theta_.cwiseAbs().array() + 1.0)
            : options_.parameter_scale;
    if (!recorder_.Expect(
            weights_.size() == n_ && (weights_.array() >= 0).all(),
            "frequency_weights must be N non-negative weights") ||
        !recorder_.Expect(penalty_.rows() == p_ && penalty_.cols() == p_,
                          "penalty_hessian must be p x p") ||
        !recorder_.Expect(scale.size() == p_ && (scale.array() > 0).all(),
                          "parameter_scale must be p positive numbers") ||
        !recorder_.Expect(options_.num_draws >= 2, "num_draws must be >= 2") ||
        !recorder_.Expect(!options_.kl_steps.empty(), "kl_steps is empty")) {
      return false;
    }
    inverse_weights_ =
        (weights_.array() > 0.0).select(weights_.array().inverse(), 0.0);
    steps_ = options_.difference_step * scale;
    const RowMatrixXd& y = model_.ObservedResponses();
    if (!recorder_.Expect(
            y.rows() == n_ && y.cols() == model_.ResponseDimension(),
            "ObservedResponses() is " + Shape(y) +
                ", not NumSamples() x ResponseDimension()")) {
      return false;
    }
    model_.LogLikelihoods(theta_, y, 0, n_, &log_likelihoods_);
    model_.Scores(theta_, y, 0, n_, &scores_);
    if (!recorder_.Expect(log_likelihoods_.size() == n_ &&
                              scores_.rows() == n_ && scores_.cols() == p_,
                          "LogLikelihoods/Scores over all samples have the "
                          "wrong shape") ||
        !recorder_.Expect(log_likelihoods_.allFinite() && scores_.allFinite(),
                          "LogLikelihoods/Scores at the observed responses "
                          "are not finite at θ")) {
      return false;
    }
    return true;
  }

  // Shapes, names, groups, and the capability flags against the closed
  // forms (computed here once for the later checks).
  void Structure() {
    recorder_.Begin("structure");
    recorder_.Expect(!model_.Name().empty(), "Name() is empty");
    recorder_.Expect(n_ >= 1, "NumSamples() < 1");
    const std::vector<std::string> names = model_.ParameterNames();
    if (recorder_.Expect(static_cast<int>(names.size()) == p_,
                         "ParameterNames() has " +
                             std::to_string(names.size()) + " names for " +
                             std::to_string(p_) + " parameters")) {
      for (const std::string& name : names) {
        recorder_.Expect(!name.empty(), "a parameter name is empty");
      }
    }
    int next = 0;
    for (const ParameterGroup& group : model_.ParameterGroups()) {
      recorder_.Expect(group.begin == next && group.size >= 1,
                       "parameter group '" + group.name + "' begins at " +
                           std::to_string(group.begin) + " with size " +
                           std::to_string(group.size) + "; expected begin " +
                           std::to_string(next) + ", size >= 1");
      next = group.begin + group.size;
    }
    recorder_.Expect(next == p_, "parameter groups end at " +
                                     std::to_string(next) +
                                     ", not at p = " + std::to_string(p_));

    const LikelihoodModel::Capabilities capabilities = model_.GetCapabilities();
    has_fisher_ = model_.ExpectedFisher(theta_, &fisher_);
    has_hessian_ = model_.Hessian(theta_, &hessian_);
    has_gauss_newton_ = model_.GaussNewton(theta_, &gauss_newton_);
    recorder_.Expect(has_fisher_ == capabilities.expected_fisher,
                     "ExpectedFisher() returns " + Bool(has_fisher_) +
                         ", Capabilities::expected_fisher is " +
                         Bool(capabilities.expected_fisher));
    recorder_.Expect(has_hessian_ == capabilities.hessian,
                     "Hessian() returns " + Bool(has_hessian_) +
                         ", Capabilities::hessian is " +
                         Bool(capabilities.hessian));
    recorder_.Expect(has_gauss_newton_ == capabilities.gauss_newton,
                     "GaussNewton() returns " + Bool(has_gauss_newton_) +
                         ", Capabilities::gauss_newton is " +
                         Bool(capabilities.gauss_newton));
    if (has_fisher_) {
      recorder_.Expect(
          fisher_.rows() == p_ && fisher_.cols() == p_ && fisher_.allFinite(),
          "ExpectedFisher() is " + Shape(fisher_) + " or not finite");
      data_fisher_ = fisher_ - penalty_;
    }
    if (has_hessian_) {
      recorder_.Expect(hessian_.rows() == p_ && hessian_.cols() == p_ &&
                           hessian_.allFinite(),
                       "Hessian() is " + Shape(hessian_) + " or not finite");
    }
    if (has_gauss_newton_) {
      recorder_.Expect(
          gauss_newton_.rows() == p_ && gauss_newton_.cols() == p_ &&
              gauss_newton_.allFinite(),
          "GaussNewton() is " + Shape(gauss_newton_) + " or not finite");
    }
    if (model_.HessianIsResponseFree()) {
      recorder_.Expect(has_hessian_,
                       "HessianIsResponseFree() without a closed-form "
                       "Hessian");
    }
    Eigen::MatrixXd factor;
    Eigen::VectorXd residuals;
    if (model_.GaussNewtonFactor(theta_, &factor, &residuals)) {
      recorder_.Expect(capabilities.gauss_newton,
                       "GaussNewtonFactor() without Capabilities::"
                       "gauss_newton");
    }
  }

  // L and ∇L: central differences, the value without the gradient, and the
  // sums of the per-sample terms.
  bool ValueAndGradient() {
    recorder_.Begin("value-and-gradient");
    if (!recorder_.Expect(model_.Evaluate(theta_, &value_, &gradient_),
                          "Evaluate() fails at θ") ||
        !recorder_.Expect(std::isfinite(value_) && gradient_.size() == p_ &&
                              gradient_.allFinite(),
                          "Evaluate() gives a non-finite value or gradient "
                          "or a gradient of the wrong size")) {
      return false;
    }
    const Eigen::VectorXd penalty_gradient = penalty_ * theta_;
    const double penalty_value = 0.5 * theta_.dot(penalty_gradient);
    // The size of the terms summed into L and into each ∇L_j.
    value_terms_ = log_likelihoods_.cwiseAbs().sum() + std::abs(penalty_value) +
                   std::abs(options_.value_offset) + std::abs(value_);
    gradient_terms_ = scores_.cwiseAbs().colwise().sum().transpose() +
                      penalty_gradient.cwiseAbs();

    double value_only = 0.0;
    if (recorder_.Expect(model_.Evaluate(theta_, &value_only, nullptr),
                         "Evaluate() without a gradient fails at θ")) {
      recorder_.ExpectNear("L without the gradient vs with it",
                           Eigen::MatrixXd::Constant(1, 1, value_only),
                           Eigen::MatrixXd::Constant(1, 1, value_),
                           options_.identity_tolerance * value_terms_);
    }
    recorder_.ExpectNear(
        "L vs -sum(log-likelihoods) + penalty + value_offset",
        Eigen::MatrixXd::Constant(1, 1, value_),
        Eigen::MatrixXd::Constant(
            1, 1,
            -log_likelihoods_.sum() + penalty_value + options_.value_offset),
        options_.identity_tolerance * value_terms_);
    recorder_.ExpectNear(
        "gradient vs -sum(scores) + P theta", gradient_,
        -scores_.colwise().sum().transpose() + penalty_gradient,
        options_.identity_tolerance * gradient_terms_);

    bool evaluated = true;
    const Eigen::VectorXd numeric = CentralDifferenceGradient(
        [&](const Eigen::VectorXd& t) {
          double v = 0.0;
          if (!model_.Evaluate(t, &v, nullptr)) evaluated = false;
          return v;
        },
        theta_, steps_);
    if (!recorder_.Expect(evaluated, "Evaluate() fails at θ ± h")) {
      return true;
    }
    // Derivative size: the summed |s_ij| plus what a step of the
    // parameter's scale changes in it (so that it does not vanish at the
    // MLE); rounding: the terms of L over the step.
    const Eigen::VectorXd curvature = CurvatureDiagonalForScale();
    Eigen::VectorXd tolerance(p_);
    for (int j = 0; j < p_; ++j) {
      const double scale = steps_[j] / options_.difference_step;
      const double size = gradient_terms_[j] + scale * curvature[j];
      tolerance[j] = DifferenceTolerance(size, value_terms_, steps_[j]);
    }
    recorder_.ExpectNear("gradient vs central differences of L", gradient_,
                         numeric, tolerance);
    return true;
  }

  // Per-sample scores: central differences of ℓ_i, and the same rows when
  // the block is split in two.
  void Scores() {
    recorder_.Begin("scores");
    const RowMatrixXd& y = model_.ObservedResponses();
    bool shaped = true;
    const Eigen::MatrixXd numeric = CentralDifferenceJacobian(
        [&](const Eigen::VectorXd& t) {
          Eigen::VectorXd l;
          model_.LogLikelihoods(t, y, 0, n_, &l);
          if (l.size() != n_) {
            shaped = false;
            l.setZero(n_);
          }
          return l;
        },
        theta_, steps_);
    if (!recorder_.Expect(shaped,
                          "LogLikelihoods() at θ ± h has the wrong "
                          "size")) {
      return;
    }
    const Eigen::VectorXd curvature = CurvatureDiagonalForScale();
    Eigen::MatrixXd tolerance(n_, p_);
    for (int j = 0; j < p_; ++j) {
      const double scale = steps_[j] / options_.difference_step;
      const double size =
          scores_.col(j).cwiseAbs().maxCoeff() + scale * curvature[j] / n_;
      for (int i = 0; i < n_; ++i) {
        tolerance(i, j) = DifferenceTolerance(
            size, std::abs(log_likelihoods_[i]) + 1.0, steps_[j]);
      }
    }
    recorder_.ExpectNear("scores vs central differences of log-likelihoods",
                         scores_, numeric, tolerance);

    if (n_ >= 2) {
      const int split = std::max(1, n_ / 3);
      Eigen::VectorXd head_l, tail_l;
      Eigen::MatrixXd head_s, tail_s;
      model_.LogLikelihoods(theta_, y, 0, split, &head_l);
      model_.LogLikelihoods(theta_, y, split, n_ - split, &tail_l);
      model_.Scores(theta_, y, 0, split, &head_s);
      model_.Scores(theta_, y, split, n_ - split, &tail_s);
      Eigen::VectorXd blocks_l(n_);
      Eigen::MatrixXd blocks_s(n_, p_);
      if (recorder_.Expect(
              head_l.size() == split && tail_l.size() == n_ - split &&
                  head_s.rows() == split && tail_s.rows() == n_ - split &&
                  head_s.cols() == p_ && tail_s.cols() == p_,
              "blocks of LogLikelihoods/Scores have the wrong "
              "shape")) {
        blocks_l << head_l, tail_l;
        blocks_s << head_s, tail_s;
        recorder_.ExpectNear(
            "log-likelihoods in two blocks vs one", blocks_l, log_likelihoods_,
            options_.identity_tolerance *
                (log_likelihoods_.cwiseAbs().array() + 1.0).matrix());
        recorder_.ExpectNear(
            "scores in two blocks vs one", blocks_s, scores_,
            options_.identity_tolerance * scores_.cwiseAbs().maxCoeff());
      }
    }
  }

  // SampleResponses: shape, support, determinism. Keeps the first draw.
  bool Sampling() {
    recorder_.Begin("sampling");
    RandomEngine rng(options_.seed), again(options_.seed);
    RowMatrixXd second;
    model_.SampleResponses(theta_, &rng, &sampled_);
    model_.SampleResponses(theta_, &again, &second);
    if (!recorder_.Expect(sampled_.rows() == n_ &&
                              sampled_.cols() == model_.ResponseDimension(),
                          "SampleResponses() gives " + Shape(sampled_) +
                              ", not NumSamples() x ResponseDimension()") ||
        !recorder_.Expect(sampled_.allFinite(),
                          "SampleResponses() gives non-finite responses")) {
      return false;
    }
    recorder_.Expect(sampled_ == second,
                     "SampleResponses() differs for the same seed");
    Eigen::VectorXd l;
    model_.LogLikelihoods(theta_, sampled_, 0, n_, &l);
    recorder_.Expect(l.size() == n_ && l.allFinite(),
                     "log-likelihoods of sampled responses are not finite "
                     "(a response outside the support?)");
    return true;
  }

  // ScoreOuterProductSum = Σ s_i s_iᵀ / w_i + P from Scores().
  void ScoreOuterProducts() {
    recorder_.Begin("score-outer-products");
    for (const bool observed : {true, false}) {
      const RowMatrixXd& responses =
          observed ? model_.ObservedResponses() : sampled_;
      Eigen::MatrixXd scores, sum;
      model_.Scores(theta_, responses, 0, n_, &scores);
      model_.ScoreOuterProductSum(theta_, responses, &sum);
      const Eigen::MatrixXd expected = OuterProducts(scores) + penalty_;
      recorder_.ExpectNear(
          observed ? "ScoreOuterProductSum vs S^T S at the observed responses"
                   : "ScoreOuterProductSum vs S^T S at sampled responses",
          sum, expected,
          options_.identity_tolerance *
              EntrySize(OuterProducts(scores.cwiseAbs()) +
                        penalty_.cwiseAbs()));
    }
  }

  // The closed-form Hessian against central differences of ∇L.
  void Hessian() {
    if (!has_hessian_) {
      recorder_.Skip("hessian", "Capabilities::hessian is false");
      return;
    }
    recorder_.Begin("hessian");
    recorder_.ExpectNear("Hessian vs its transpose", hessian_,
                         hessian_.transpose(),
                         options_.identity_tolerance * EntrySize(hessian_));
    bool evaluated = true;
    const Eigen::MatrixXd numeric = CentralDifferenceJacobian(
        [&](const Eigen::VectorXd& t) {
          double v = 0.0;
          Eigen::VectorXd g;
          if (!model_.Evaluate(t, &v, &g) || g.size() != p_) {
            evaluated = false;
            g.setZero(p_);
          }
          return g;
        },
        theta_, steps_);
    if (!recorder_.Expect(evaluated, "Evaluate() fails at θ ± h")) return;
    const Eigen::MatrixXd size = EntrySize(hessian_);
    Eigen::MatrixXd tolerance(p_, p_);
    for (int k = 0; k < p_; ++k) {
      for (int j = 0; j < p_; ++j) {
        tolerance(j, k) = DifferenceTolerance(
            size(j, k), gradient_terms_[j] + std::abs(gradient_[j]), steps_[k]);
      }
    }
    recorder_.ExpectNear("Hessian vs central differences of the gradient",
                         hessian_, numeric, tolerance);
    Eigen::MatrixXd at_observed;
    if (model_.HessianAtResponses(theta_, model_.ObservedResponses(),
                                  &at_observed)) {
      recorder_.ExpectNear("HessianAtResponses(observed) vs Hessian",
                           at_observed, hessian_,
                           options_.identity_tolerance * EntrySize(hessian_));
    }
  }

  // A Hessian that does not depend on y is the expected Fisher, at any y.
  void ResponseFreeHessian() {
    if (!model_.HessianIsResponseFree()) {
      recorder_.Skip("response-free-hessian",
                     "HessianIsResponseFree() is false");
      return;
    }
    recorder_.Begin("response-free-hessian");
    if (!recorder_.Expect(has_hessian_ && has_fisher_,
                          "HessianIsResponseFree() needs the closed-form "
                          "Hessian and expected Fisher")) {
      return;
    }
    const Eigen::MatrixXd tolerance =
        options_.identity_tolerance * EntrySize(fisher_);
    recorder_.ExpectNear("Hessian vs expected Fisher", hessian_, fisher_,
                         tolerance);
    Eigen::MatrixXd at_sampled;
    if (recorder_.Expect(
            model_.HessianAtResponses(theta_, sampled_, &at_sampled),
            "HessianIsResponseFree() without HessianAtResponses()")) {
      recorder_.ExpectNear("HessianAtResponses(sampled) vs Hessian", at_sampled,
                           hessian_, tolerance);
    }
  }

  // M draws from the model at θ: the mean of the summed score, of the score
  // outer products and of the Hessian at the draws (HessianAtResponses, or
  // central differences of the summed score where the model has none).
  void MonteCarlo() {
    RandomEngine rng(options_.seed);
    RunningMoments score_sum, outer_products, hessians;
    bool closed_form_hessian = true;
    RowMatrixXd responses;
    Eigen::MatrixXd scores, hessian;
    for (int m = 0; m < options_.num_draws; ++m) {
      model_.SampleResponses(theta_, &rng, &responses);
      model_.Scores(theta_, responses, 0, n_, &scores);
      score_sum.Add(scores.colwise().sum().transpose());
      outer_products.Add(OuterProducts(scores));
      if (closed_form_hessian &&
          model_.HessianAtResponses(theta_, responses, &hessian)) {
        hessians.Add(hessian - penalty_);
        continue;
      }
      closed_form_hessian = false;
      hessians.Add(-CentralDifferenceJacobian(
          [&](const Eigen::VectorXd& t) {
            Eigen::MatrixXd s;
            model_.Scores(t, responses, 0, n_, &s);
            return Eigen::VectorXd(s.colwise().sum().transpose());
          },
          theta_, steps_));
    }

    recorder_.Begin("mean-score");
    recorder_.ExpectNear("mean of the summed score under the model vs 0 (z = " +
                             std::to_string(options_.z) + ", M = " +
                             std::to_string(options_.num_draws) + ")",
                         score_sum.Mean(), Eigen::VectorXd::Zero(p_),
                         options_.z * score_sum.StandardError() +
                             options_.identity_tolerance * gradient_terms_);

    if (!has_fisher_) {
      recorder_.Skip("expected-fisher",
                     "Capabilities::expected_fisher is false");
      recorder_.Skip("expected-hessian", "no closed-form expected Fisher");
      return;
    }
    recorder_.Begin("expected-fisher");
    recorder_.ExpectNear("expected Fisher vs its transpose", fisher_,
                         fisher_.transpose(),
                         options_.identity_tolerance * EntrySize(fisher_));
    const Eigen::VectorXd eigenvalues =
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(fisher_,
                                                       Eigen::EigenvaluesOnly)
            .eigenvalues();
    recorder_.Expect(
        eigenvalues.minCoeff() >=
            -options_.identity_tolerance * eigenvalues.cwiseAbs().maxCoeff(),
        "expected Fisher is not PSD: smallest eigenvalue " +
            std::to_string(eigenvalues.minCoeff()));
    ExpectMonteCarloMean("Monte Carlo mean of sum s_i s_i^T / w_i",
                         outer_products, 0.0);

    recorder_.Begin("expected-hessian");
    if (closed_form_hessian) {
      ExpectMonteCarloMean("Monte Carlo mean of HessianAtResponses - P",
                           hessians, 0.0);
    } else {
      // The differences' own error, O(s²) relative, is added to the
      // tolerance: it does not average out.
      const double s = options_.difference_step;
      ExpectMonteCarloMean(
          "Monte Carlo mean of the Hessian by central differences of the "
          "summed score",
          hessians, options_.difference_tolerance_factor * s * s);
      recorder_.Note("by central differences of the score");
    }
  }

  // KL(p_θ ‖ p_θ+εd) / (½ε²) with dᵀ(F − P)d = 1: → 1, error O(ε).
  void Kl() {
    double kl_at_theta = 0.0;
    if (!model_.KlDivergence(theta_, theta_, &kl_at_theta)) {
      recorder_.Skip("kl", "KlDivergence() returned false");
      return;
    }
    if (!has_fisher_) {
      recorder_.Skip("kl", "no closed-form expected Fisher to compare with");
      return;
    }
    recorder_.Begin("kl");
    recorder_.ExpectNear("KL(p_theta || p_theta)",
                         Eigen::MatrixXd::Constant(1, 1, kl_at_theta),
                         Eigen::MatrixXd::Zero(1, 1),
                         options_.identity_tolerance * value_terms_);
    const Eigen::VectorXd direction = RandomVector(options_.seed + 1);
    const double quadratic = direction.dot(data_fisher_ * direction);
    if (!recorder_.Expect(quadratic > 0.0,
                          "d^T (F - P) d <= 0 for a random d")) {
      return;
    }
    const Eigen::VectorXd d = direction / std::sqrt(quadratic);
    std::ostringstream ratios;
    ratios.precision(10);
    double previous_step = 0.0, previous_error = 0.0;
    for (size_t k = 0; k < options_.kl_steps.size(); ++k) {
      const double epsilon = options_.kl_steps[k];
      double kl = 0.0;
      if (!recorder_.Expect(
              model_.KlDivergence(theta_, theta_ + epsilon * d, &kl) &&
                  std::isfinite(kl),
              "KlDivergence() fails at epsilon " + std::to_string(epsilon))) {
        return;
      }
      const double ratio = kl / (0.5 * epsilon * epsilon);
      const double error = std::abs(ratio - 1.0);
      ratios << (k == 0 ? "" : ", ") << "epsilon " << epsilon << ": " << ratio;
      if (k > 0) {
        // O(ε): the error shrinks at least half as fast as ε, down to the
        // rounding floor.
        recorder_.Expect(
            error <= 2.0 * (epsilon / previous_step) * previous_error +
                         options_.kl_rounding_floor,
            "|KL / (0.5 eps^2 d^T F d) - 1| does not shrink "
            "like epsilon: " +
                ratios.str());
      }
      previous_step = epsilon;
      previous_error = error;
    }
    recorder_.Expect(previous_error <= options_.kl_tolerance,
                     "KL / (0.5 eps^2 d^T F d) at the smallest epsilon is "
                     "not within kl_tolerance of 1: " +
                         ratios.str());
  }

  // The GGN: symmetric PSD; a least-squares factor J, b gives JᵀJ and Jᵀb.
  void GaussNewton() {
    if (!has_gauss_newton_) {
      recorder_.Skip("gauss-newton", "Capabilities::gauss_newton is false");
      return;
    }
    recorder_.Begin("gauss-newton");
    recorder_.ExpectNear(
        "Gauss-Newton vs its transpose", gauss_newton_,
        gauss_newton_.transpose(),
        options_.identity_tolerance * EntrySize(gauss_newton_));
    const Eigen::VectorXd eigenvalues =
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(gauss_newton_,
                                                       Eigen::EigenvaluesOnly)
            .eigenvalues();
    recorder_.Expect(
        eigenvalues.minCoeff() >=
            -options_.identity_tolerance * eigenvalues.cwiseAbs().maxCoeff(),
        "Gauss-Newton is not PSD: smallest eigenvalue " +
            std::to_string(eigenvalues.minCoeff()));
    Eigen::MatrixXd factor;
    Eigen::VectorXd residuals;
    if (model_.GaussNewtonFactor(theta_, &factor, &residuals)) {
      if (!recorder_.Expect(
              factor.cols() == p_ && factor.rows() == residuals.size(),
              "GaussNewtonFactor() gives a " + Shape(factor) + " factor and " +
                  std::to_string(residuals.size()) + " residuals")) {
        return;
      }
      recorder_.ExpectNear(
          "factor^T factor vs Gauss-Newton", factor.transpose() * factor,
          gauss_newton_,
          options_.identity_tolerance * EntrySize(gauss_newton_));
      recorder_.ExpectNear(
          "factor^T residuals vs gradient", factor.transpose() * residuals,
          gradient_,
          options_.identity_tolerance *
              (factor.cwiseAbs().transpose() * residuals.cwiseAbs()));
    }
  }

  // Matrix-free products and diagonals against the dense matrices.
  void CurvatureProducts() {
    const Eigen::VectorXd v = RandomVector(options_.seed + 2);
    bool any = false;
    bool begun = false;
    auto begin = [&]() {
      if (!begun) recorder_.Begin("curvature-products");
      begun = true;
    };
    for (const auto& [which, name] : Products()) {
      Eigen::MatrixXd dense;
      const bool has_dense = Dense(which, &dense);
      Eigen::VectorXd product, diagonal;
      const bool applied = model_.CurvatureApply(which, theta_, v, &product);
      const bool diagonal_given =
          model_.CurvatureDiagonal(which, theta_, &diagonal);
      if (!applied && !diagonal_given) continue;
      any = true;
      begin();
      if (!recorder_.Expect(has_dense, std::string(name) +
                                           ": a product or diagonal without "
                                           "the dense matrix")) {
        continue;
      }
      const Eigen::MatrixXd size = EntrySize(dense);
      if (applied) {
        recorder_.ExpectNear(
            std::string("CurvatureApply vs dense product: ") + name, product,
            dense * v, options_.identity_tolerance * (size * v.cwiseAbs()));
      }
      if (diagonal_given) {
        recorder_.ExpectNear(
            std::string("CurvatureDiagonal vs dense diagonal: ") + name,
            diagonal, dense.diagonal(),
            options_.identity_tolerance * size.diagonal());
      }
    }
    if (!any) {
      recorder_.Skip("curvature-products",
                     "CurvatureApply() and CurvatureDiagonal() return false");
    }
  }

  // ApproximateCurvature: no scales = the dense matrix; scales 2 double the
  // per-sample part; refused for the score outer products and bad scales.
  void ApproximateCurvature() {
    if (!model_.SupportsApproximateCurvature()) {
      recorder_.Skip("approximate-curvature",
                     "SupportsApproximateCurvature() is false");
      return;
    }
    recorder_.Begin("approximate-curvature");
    const Eigen::VectorXd twos = Eigen::VectorXd::Constant(n_, 2.0);
    const Eigen::VectorXd wrong_size = Eigen::VectorXd::Ones(n_ + 1);
    for (const auto& [which, name] : Products()) {
      Eigen::MatrixXd dense, approximate;
      LikelihoodModel::CurvatureApproximation approximation;
      if (which == CurvatureProduct::kScoreOuterProductSum) {
        recorder_.Expect(!model_.ApproximateCurvature(
                             which, theta_, approximation, &approximate),
                         "ApproximateCurvature() of the score outer "
                         "products returns true");
        continue;
      }
      if (!Dense(which, &dense)) {
        recorder_.Expect(!model_.ApproximateCurvature(
                             which, theta_, approximation, &approximate),
                         std::string(name) +
                             ": ApproximateCurvature() without the dense "
                             "matrix");
        continue;
      }
      const Eigen::MatrixXd tolerance =
          options_.identity_tolerance * EntrySize(dense);
      if (recorder_.Expect(model_.ApproximateCurvature(
                               which, theta_, approximation, &approximate),
                           std::string(name) +
                               ": ApproximateCurvature() without scales "
                               "returns false")) {
        recorder_.ExpectNear(
            std::string("ApproximateCurvature without scales vs dense: ") +
                name,
            approximate, dense, tolerance);
      }
      approximation.row_scales = &twos;
      if (recorder_.Expect(model_.ApproximateCurvature(
                               which, theta_, approximation, &approximate),
                           std::string(name) +
                               ": ApproximateCurvature() with scales 2 "
                               "returns false")) {
        recorder_.ExpectNear(
            std::string("ApproximateCurvature with scales 2 vs 2 (C - P) + "
                        "P: ") +
                name,
            approximate, 2.0 * (dense - penalty_) + penalty_, 2.0 * tolerance);
      }
      approximation.row_scales = &wrong_size;
      recorder_.Expect(
          !model_.ApproximateCurvature(which, theta_, approximation,
                                       &approximate),
          std::string(name) + ": ApproximateCurvature() accepts N + 1 scales");
    }
  }

  // --- helpers -------------------------------------------------------------

  static std::string Bool(bool value) { return value ? "true" : "false"; }

  static std::vector<std::pair<CurvatureProduct, const char*>> Products() {
    return {{CurvatureProduct::kHessian, "Hessian"},
            {CurvatureProduct::kExpectedFisher, "expected Fisher"},
            {CurvatureProduct::kScoreOuterProductSum,
             "score outer products at the observed responses"}};
  }

  // The dense matrix of `which` (false when the model has none).
  bool Dense(CurvatureProduct which, Eigen::MatrixXd* dense) const {
    switch (which) {
      case CurvatureProduct::kHessian:
        *dense = hessian_;
        return has_hessian_;
      case CurvatureProduct::kExpectedFisher:
        *dense = fisher_;
        return has_fisher_;
      case CurvatureProduct::kScoreOuterProductSum:
        model_.ScoreOuterProductSum(theta_, model_.ObservedResponses(), dense);
        return true;
    }
    return false;
  }

  // Σ_i s_i s_iᵀ / w_i (rows of weight 0 left out).
  Eigen::MatrixXd OuterProducts(const Eigen::MatrixXd& scores) const {
    return scores.transpose() * inverse_weights_.asDiagonal() * scores;
  }

  // |diag| of the Hessian, else of the expected Fisher, else of the GGN, else
  // 0: how much the gradient moves over a parameter's scale.
  Eigen::VectorXd CurvatureDiagonalForScale() const {
    if (has_hessian_) return hessian_.diagonal().cwiseAbs();
    if (has_fisher_) return fisher_.diagonal().cwiseAbs();
    if (has_gauss_newton_) return gauss_newton_.diagonal().cwiseAbs();
    return Eigen::VectorXd::Zero(p_);
  }

  // K (s² · derivative_size + ε_machine · function_terms / h).
  double DifferenceTolerance(double derivative_size, double function_terms,
                             double step) const {
    const double s = options_.difference_step;
    return options_.difference_tolerance_factor *
           (s * s * derivative_size + kMachineEpsilon * function_terms / step);
  }

  Eigen::VectorXd RandomVector(std::uint64_t seed) const {
    RandomEngine rng(seed);
    std::normal_distribution<double> normal;
    Eigen::VectorXd v(p_);
    for (int j = 0; j < p_; ++j) v[j] = normal(rng);
    return v;
  }

  // The Monte Carlo mean of `moments` vs F − P: entrywise within z SE, and
  // informative (‖SE‖ small against ‖F − P‖).
  // `bias` is a known relative error of each draw (added to the tolerance,
  // relative to the entry sizes of F − P).
  void ExpectMonteCarloMean(const std::string& what,
                            const RunningMoments& moments, double bias) {
    const Eigen::MatrixXd standard_error = moments.StandardError();
    recorder_.ExpectNear(
        what + " vs F - P (z = " + std::to_string(options_.z) +
            ", M = " + std::to_string(moments.count()) + ")",
        moments.Mean(), data_fisher_,
        options_.z * standard_error +
            (options_.identity_tolerance + bias) * EntrySize(data_fisher_));
    const double relative = standard_error.norm() / data_fisher_.norm();
    recorder_.Expect(relative <= options_.max_relative_standard_error,
                     what + ": relative standard error " +
                         std::to_string(relative) +
                         " is too large to test anything (raise num_draws)");
  }

  const LikelihoodModel& model_;
  const Eigen::VectorXd& theta_;
  const ModelContractOptions& options_;
  Recorder& recorder_;
  const int p_;
  const int n_;

  Eigen::VectorXd weights_, inverse_weights_, steps_;
  Eigen::MatrixXd penalty_;
  Eigen::VectorXd log_likelihoods_;
  Eigen::MatrixXd scores_;
  double value_ = 0.0;
  Eigen::VectorXd gradient_;
  double value_terms_ = 0.0;
  Eigen::VectorXd gradient_terms_;
  bool has_fisher_ = false, has_hessian_ = false, has_gauss_newton_ = false;
  Eigen::MatrixXd fisher_, data_fisher_, hessian_, gauss_newton_;
  RowMatrixXd sampled_;
};

std::string StatusName(ContractCheckStatus status) {
  switch (status) {
    case ContractCheckStatus::kPassed:
      return "passed";
    case ContractCheckStatus::kFailed:
      return "FAILED";
    case ContractCheckStatus::kSkipped:
      return "skipped";
  }
  return "?";
}

}  // namespace

std::vector<std::string> ModelContractReport::Names(
    ContractCheckStatus status) const {
  std::vector<std::string> names;
  for (const ContractCheck& check : checks) {
    if (check.status == status) names.push_back(check.name);
  }
  return names;
}

std::string ModelContractReport::Summary() const {
  std::ostringstream summary;
  summary << model_name << ":";
  const char* separator = " ";
  for (ContractCheckStatus status :
       {ContractCheckStatus::kFailed, ContractCheckStatus::kPassed,
        ContractCheckStatus::kSkipped}) {
    bool first = true;
    for (const ContractCheck& check : checks) {
      if (check.status != status) continue;
      summary << (first ? separator : ", ");
      if (first) summary << StatusName(status) << " ";
      summary << check.name;
      if (!check.note.empty()) summary << " (" << check.note << ")";
      first = false;
      separator = "; ";
    }
  }
  return summary.str();
}

ModelContractReport ExpectModelContract(const LikelihoodModel& model,
                                        const Eigen::VectorXd& theta,
                                        const ModelContractOptions& options) {
  ModelContractReport report;
  report.model_name = model.Name();
  Recorder recorder(&report);
  {
    const ScopedSingleThread single_thread;
    ContractRun(model, theta, options, &recorder).Run();
  }
  const std::string summary = report.Summary();
  ::testing::Test::RecordProperty("model_contract", summary);
  std::cout << "[ contract ] " << summary << std::endl;
  return report;
}

}  // namespace testing
}  // namespace fisheropt
