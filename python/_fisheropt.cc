// The compiled half of the Python package `fisheropt` (python/fisheropt/):
// GLM fits of arrays and of data frames, predictions, the fit JSON, the
// minimizer on a user's objective and curvature, and the compare / check
// commands of the command line. The Python half turns pandas and NumPy
// inputs into the plain arguments taken here and wraps the results.
//
// Memory: the array fit fills the Dataset's X straight from the caller's
// buffer, the one N×p working copy that FitGlm needs (it replaces X by its
// orthonormal basis in place); nothing else of X's size is allocated here.
// Threads: the GIL is released while a GLM fits; a callback re-acquires it
// between iterations to honour Ctrl-C (PyErr_CheckSignals).

#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <sys/mman.h>

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fisher/curvature.h"
#include "optim/newton_solver.h"
#include "optim/solver_options.h"
#include "problems/dataset.h"
#include "problems/glm_link.h"
#include "problems/objective.h"
#include "stats/data_frame.h"
#include "stats/family_names.h"
#include "stats/glm_fit.h"
#include "stats/glm_json.h"
#include "stats/negative_binomial.h"
#include "stats/robust_covariance.h"
#include "tools/check_command.h"
#include "tools/compare.h"
#include "tools/optimizer_registry.h"

namespace py = pybind11;

namespace fisheropt {
namespace {

// Input errors become ValueError with the library's one-line message.
[[noreturn]] void Fail(const std::string& message) {
  throw py::value_error(message);
}

// Checks for Ctrl-C between iterations: the GIL is taken for the check
// only. A pending exception is kept (not raised from the solver's thread
// of control) and re-raised by Rethrow() once the solve has returned.
class SignalCallback : public IterationCallback {
 public:
  CallbackReturnType operator()(const IterationSummary&) override {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      PyErr_Fetch(&type_, &value_, &traceback_);
      return CallbackReturnType::kAbort;
    }
    return CallbackReturnType::kContinue;
  }
  bool interrupted() const { return type_ != nullptr; }
  // With the GIL held.
  void Rethrow() {
    if (type_ == nullptr) return;
    PyErr_Restore(type_, value_, traceback_);
    type_ = value_ = traceback_ = nullptr;
    throw py::error_already_set();
  }

 private:
  PyObject* type_ = nullptr;
  PyObject* value_ = nullptr;
  PyObject* traceback_ = nullptr;
};

// Asks the kernel for transparent huge pages for a large block that is about
// to be written (a no-op where THP is off or unavailable). The working copy
// of X comes from malloc, which Linux backs with 4 KiB pages unless told
// otherwise (THP's usual "madvise" mode; NumPy advises its own arrays the
// same way); on a virtual machine a 4 KiB page fault is expensive enough to
// make the copy cost as much as an iteration of the fit.
void AdviseHugePages(void* data, size_t bytes) {
#ifdef MADV_HUGEPAGE
  constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
  if (bytes < 2 * kHugePage) return;
  const uintptr_t start = reinterpret_cast<uintptr_t>(data);
  const uintptr_t begin = (start + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t end = (start + bytes) & ~(kHugePage - 1);
  if (end > begin) {
    madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
#else
  (void)data, (void)bytes;
#endif
}

// What fisheropt.glm passes besides the data.
struct FitArguments {
  std::string family = "binomial";
  std::string link;             // empty: the family's default
  std::optional<double> theta;  // negative binomial
  std::string optimizer = "auto";
  std::string covariance = "fisher";
  int max_iterations = 100;
  std::optional<double> tolerance;
};

// A fit and what the Python side reports with it.
struct FitHandle {
  GlmFit fit;
  bool negative_binomial = false;
  // Estimated θ (FitNegativeBinomial); NaN when θ was fixed or not a negbin.
  double theta = std::nan("");
  double theta_se = std::nan("");
  double two_log_likelihood = std::nan("");
  int outer_iterations = 0;
  std::string model;      // the family name as given
  std::string optimizer;  // as given
};

struct PreparedSpec {
  GlmSpec spec;
  OptimizerSpec optimizer;
  StoppingOptions stopping;
  bool named_optimizer = false;
  bool estimate_theta = false;
};

void PrepareSpec(const FitArguments& arguments, SignalCallback* signals,
                 PreparedSpec* prepared) {
  GlmSpec& spec = prepared->spec;
  if (!ApplyGlmFamilyName(arguments.family, &spec)) {
    std::string names;
    for (const std::string& name : GlmFamilyNameList()) {
      names += (names.empty() ? "" : ", ") + name;
    }
    Fail("unknown family '" + arguments.family + "'; families: " + names);
  }
  if (!arguments.link.empty()) {
    GlmLink link;
    if (!FromString(arguments.link, &link)) {
      Fail("unknown link '" + arguments.link +
           "'; links: logit, probit, cloglog, cauchit, log, identity, "
           "inverse, 1/mu^2");
    }
    spec.link = link;
  }
  std::string error;
  const std::string& covariance = arguments.covariance;
  if (covariance == "fisher") {
    spec.covariance = CovarianceSource::kInverseFisher;
  } else if (covariance == "observed") {
    spec.covariance = CovarianceSource::kInverseObservedInformation;
  } else if (covariance == "sandwich") {
    spec.covariance = CovarianceSource::kSandwich;
  } else if (!FromString(covariance, &spec.robust) ||
             spec.robust == RobustCovariance::kNone) {
    Fail("unknown covariance '" + covariance +
         "'; use fisher, observed, sandwich, HC0, HC1, HC2 or HC3");
  }
  if (spec.distribution == GlmDistribution::kNegativeBinomial) {
    if (arguments.theta.has_value()) {
      spec.theta = *arguments.theta;
    } else {
      prepared->estimate_theta = true;
    }
  } else if (arguments.theta.has_value()) {
    Fail("theta is for the negative.binomial family, not " + arguments.family);
  }
  spec.solver.stopping.max_iterations = arguments.max_iterations;
  if (arguments.tolerance) {
    spec.solver.stopping.function_tolerance = *arguments.tolerance;
  }
  spec.solver.callbacks.push_back(signals);
  if (arguments.optimizer != "auto") {
    if (!FindOptimizer(arguments.optimizer, &prepared->optimizer, &error)) {
      Fail(error);
    }
    prepared->named_optimizer = true;
    prepared->stopping = spec.solver.stopping;
    prepared->optimizer.solver.callbacks.push_back(signals);
    OptimizerSpec* optimizer = &prepared->optimizer;
    StoppingOptions* stopping = &prepared->stopping;
    spec.minimize = [optimizer, stopping](const LikelihoodModel& model,
                                          Eigen::VectorXd* theta,
                                          SolverSummary* summary) {
      RunOptimizer(*optimizer, *stopping, model, theta, summary);
    };
  }
  if (!prepared->estimate_theta && !spec.IsValid(&error)) Fail(error);
  if (prepared->estimate_theta && !spec.solver.IsValid(&error)) Fail(error);
}

// Raises KeyboardInterrupt (or whatever the signal handler raised) when the
// fit was interrupted, else ValueError with the library's message.
void FinishFit(bool ok, const std::string& error, SignalCallback* signals) {
  signals->Rethrow();
  if (!ok) Fail(error);
}

// X: N×p float64, any strides (the Python side passes C-contiguous arrays
// through untouched); y, weights, offset: N float64 vectors (the Python
// side makes them contiguous float64).
std::unique_ptr<FitHandle> FitArrays(
    py::array_t<double, 0> x, py::array_t<double, py::array::c_style> y,
    std::vector<std::string> names, std::string response_name,
    std::optional<py::array_t<double, py::array::c_style>> weights,
    std::optional<py::array_t<double, py::array::c_style>> offset,
    const FitArguments& arguments) {
  if (x.ndim() != 2)
    Fail("X must be a 2-d array, got " + std::to_string(x.ndim()) +
         " dimensions");
  if (y.ndim() != 1) Fail("y must be a 1-d array");
  const Eigen::Index n = x.shape(0), p = x.shape(1);
  if (y.shape(0) != n) {
    Fail("X has " + std::to_string(n) + " rows but y has " +
         std::to_string(y.shape(0)) + " values");
  }
  if (!names.empty() && static_cast<Eigen::Index>(names.size()) != p) {
    Fail("X has " + std::to_string(p) + " columns but " +
         std::to_string(names.size()) + " names were given");
  }
  SignalCallback signals;
  PreparedSpec prepared;
  PrepareSpec(arguments, &signals, &prepared);
  if (prepared.estimate_theta) {
    Fail(
        "negative.binomial on arrays needs a fixed theta=; estimating "
        "theta needs the formula interface");
  }
  Dataset data;
  data.response_name = std::move(response_name);
  data.column_names = std::move(names);
  // The working copy: X straight from the buffer into the Dataset.
  data.x.resize(n, p);
  AdviseHugePages(data.x.data(), sizeof(double) * n * p);
  const bool c_contiguous =
      (x.flags() & py::array::c_style) != 0 && x.itemsize() == sizeof(double);
  if (c_contiguous) {
    if (n * p > 0) {
      std::memcpy(data.x.data(), x.data(), sizeof(double) * n * p);
    }
  } else {
    auto view = x.unchecked<2>();
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < p; ++j) data.x(i, j) = view(i, j);
    }
  }
  data.y = Eigen::Map<const Eigen::VectorXd>(y.data(), n);
  auto vector = [n](const py::array_t<double, py::array::c_style>& array,
                    const char* what) {
    if (array.ndim() != 1 || array.shape(0) != n) {
      Fail(std::string(what) + " must have one value per row (" +
           std::to_string(n) + ")");
    }
    return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(array.data(), n));
  };
  if (weights) data.weights = vector(*weights, "weights");
  if (offset) data.offset = vector(*offset, "offset");
  // FitGlm checks the data (Dataset::IsValid: shapes, finite values,
  // weights ≥ 0) and names the culprit.
  std::string error;
  auto handle = std::make_unique<FitHandle>();
  handle->model = arguments.family;
  handle->optimizer = arguments.optimizer;
  bool ok = false;
  {
    py::gil_scoped_release release;
    ok = FitGlm(std::move(data), prepared.spec, &handle->fit, &error);
  }
  FinishFit(ok, error, &signals);
  return handle;
}

// One column of a data frame from Python: numbers (float64, NaN missing) or
// text (str, with a missing flag per row).
struct ColumnArgument {
  std::string name;
  std::optional<py::array_t<double, py::array::c_style>> numbers;
  std::vector<std::string> text;
  std::vector<bool> missing;
};

DataFrame BuildDataFrame(const std::vector<ColumnArgument>& columns) {
  DataFrame frame;
  std::string error;
  for (const ColumnArgument& column : columns) {
    bool ok;
    if (column.numbers) {
      const py::array_t<double, py::array::c_style>& array = *column.numbers;
      if (array.ndim() != 1) Fail("column '" + column.name + "' is not 1-d");
      ok = frame.AddNumericColumn(
          column.name,
          Eigen::Map<const Eigen::VectorXd>(array.data(), array.shape(0)),
          &error);
    } else {
      std::vector<char> missing(column.missing.begin(), column.missing.end());
      ok = frame.AddTextColumn(column.name, column.text, std::move(missing),
                               &error);
    }
    if (!ok) Fail(error);
  }
  return frame;
}

std::unique_ptr<FitHandle> FitFormula(
    const std::string& formula, const std::vector<ColumnArgument>& columns,
    const std::string& weights_column, const std::string& offset_column,
    bool drop_missing, const FitArguments& arguments) {
  SignalCallback signals;
  PreparedSpec prepared;
  PrepareSpec(arguments, &signals, &prepared);
  const DataFrame frame = BuildDataFrame(columns);
  ModelFrameOptions options;
  options.weights_column = weights_column;
  options.offset_column = offset_column;
  options.drop_incomplete_rows = drop_missing;
  auto handle = std::make_unique<FitHandle>();
  handle->model = arguments.family;
  handle->optimizer = arguments.optimizer;
  std::string error;
  bool ok = false;
  if (prepared.estimate_theta) {
    NegativeBinomialFit nb;
    {
      py::gil_scoped_release release;
      ok = FitNegativeBinomial(formula, frame, prepared.spec, options, &nb,
                               &error);
    }
    FinishFit(ok, error, &signals);
    handle->fit = std::move(nb.glm);
    handle->negative_binomial = true;
    handle->theta = nb.theta;
    handle->theta_se = nb.theta_se;
    handle->two_log_likelihood = nb.two_log_likelihood;
    handle->outer_iterations = nb.outer_iterations;
    return handle;
  }
  {
    py::gil_scoped_release release;
    ok = FitGlm(formula, frame, prepared.spec, options, &handle->fit, &error);
  }
  FinishFit(ok, error, &signals);
  handle->negative_binomial =
      handle->fit.distribution == GlmDistribution::kNegativeBinomial;
  return handle;
}

// The JSON of `fisheropt fit --json`: an array fit records response ~ its
// columns (as the command line's numeric fit does) so that it predicts
// after fisheropt.load.
std::string FitJson(FitHandle& handle) {
  GlmFit& fit = handle.fit;
  if (fit.frame.formula_text.empty()) {
    for (size_t j = 1; j < fit.names.size(); ++j) {
      if (fit.names[j] == "(Intercept)") {
        Fail(
            "to_json of an array fit needs the intercept as the first "
            "column of X (the command line's order)");
      }
    }
    std::string error;
    if (!AttachNumericModelFrame(&fit, &error)) Fail(error);
  }
  return GlmFitToJson(fit, handle.model, handle.optimizer);
}

std::unique_ptr<FitHandle> LoadJson(const std::string& text) {
  auto handle = std::make_unique<FitHandle>();
  std::string error;
  if (!GlmFitFromJson(text, &handle->fit, &error)) Fail(error);
  handle->negative_binomial =
      handle->fit.distribution == GlmDistribution::kNegativeBinomial;
  return handle;
}

py::array_t<double> ToArray(const Eigen::VectorXd& v) {
  py::array_t<double> out(v.size());
  if (v.size() > 0) {
    std::memcpy(out.mutable_data(), v.data(), sizeof(double) * v.size());
  }
  return out;
}

py::array_t<double> ToArray(const Eigen::MatrixXd& m) {
  py::array_t<double> out({m.rows(), m.cols()});
  auto view = out.mutable_unchecked<2>();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) view(i, j) = m(i, j);
  }
  return out;
}

// predict.glm on new data (a data frame) with the fit's frame.
py::tuple Predict(const FitHandle& handle,
                  const std::vector<ColumnArgument>& columns,
                  const std::string& which) {
  PredictionType type;
  if (which == "mean" || which == "response") {
    type = PredictionType::kResponse;
  } else if (which == "linear" || which == "link") {
    type = PredictionType::kLink;
  } else {
    Fail("unknown which='" + which + "'; use 'mean' or 'linear'");
  }
  const DataFrame frame = BuildDataFrame(columns);
  GlmPrediction prediction;
  std::string error;
  if (!PredictGlm(handle.fit, frame, type, &prediction, &error)) Fail(error);
  return py::make_tuple(ToArray(prediction.fit), ToArray(prediction.se_fit));
}

// predict.glm on a new design matrix of an array fit (its columns in the
// fit's order) and an optional offset.
py::tuple PredictArray(
    const FitHandle& handle,
    py::array_t<double, py::array::c_style | py::array::forcecast> x,
    std::optional<
        py::array_t<double, py::array::c_style | py::array::forcecast>>
        offset,
    const std::string& which) {
  const GlmFit& fit = handle.fit;
  const Eigen::Index p = static_cast<Eigen::Index>(fit.names.size());
  if (x.ndim() != 2 || x.shape(1) != p) {
    Fail("newdata must be a 2-d array with " + std::to_string(p) +
         " columns (the fit's)");
  }
  if (which != "mean" && which != "linear") {
    Fail("unknown which='" + which + "'; use 'mean' or 'linear'");
  }
  const Eigen::Index n = x.shape(0);
  Eigen::Map<const RowMatrixXd> design(x.data(), n, p);
  if (!design.allFinite()) Fail("newdata has a value that is not finite");
  std::vector<int> kept;
  for (Eigen::Index j = 0; j < p; ++j) {
    if (!fit.aliased[j]) kept.push_back(static_cast<int>(j));
  }
  const Eigen::VectorXd beta = fit.estimates(kept);
  const Eigen::MatrixXd covariance = fit.inference.covariance(kept, kept);
  const RowMatrixXd x_kept = design(Eigen::all, kept);
  Eigen::VectorXd eta = x_kept * beta;
  if (offset) {
    if (offset->ndim() != 1 || offset->shape(0) != n) {
      Fail("offset must have one value per row of newdata");
    }
    eta += Eigen::Map<const Eigen::VectorXd>(offset->data(), n);
  }
  const Eigen::MatrixXd xc = x_kept * covariance;
  Eigen::VectorXd se =
      (xc.cwiseProduct(x_kept)).rowwise().sum().cwiseMax(0.0).cwiseSqrt();
  if (which == "mean") {
    for (Eigen::Index i = 0; i < n; ++i) {
      se[i] *= std::abs(LinkMeanDerivative(fit.link, eta[i]));
      eta[i] = LinkMean(fit.link, eta[i]);
    }
  }
  return py::make_tuple(ToArray(eta), ToArray(se));
}

// ---- minimize: a user's objective and curvature --------------------------

// A Python callable fun(x) -> (f, g) as an Objective. A Python exception is
// kept and ends the solve (through the abort callback below).
class PythonObjective : public Objective {
 public:
  PythonObjective(py::function function, int num_parameters)
      : function_(std::move(function)), num_parameters_(num_parameters) {}
  int NumParameters() const override { return num_parameters_; }
  bool Evaluate(const Eigen::VectorXd& theta, double* value,
                Eigen::VectorXd* gradient) const override {
    if (failed_) return false;
    try {
      py::object result = function_(ToArray(theta));
      py::tuple pair = result.cast<py::tuple>();
      if (pair.size() != 2) {
        throw py::value_error(
            "fun_and_grad must return (value, gradient), got a tuple of " +
            std::to_string(pair.size()));
      }
      *value = pair[0].cast<double>();
      if (gradient != nullptr) {
        auto g = pair[1]
                     .cast<py::array_t<double, py::array::c_style |
                                                   py::array::forcecast>>();
        if (g.ndim() != 1 || g.shape(0) != num_parameters_) {
          throw py::value_error(
              "the gradient must have " + std::to_string(num_parameters_) +
              " entries, got shape (" + std::to_string(g.size()) + ",)");
        }
        *gradient = Eigen::Map<const Eigen::VectorXd>(g.data(), g.shape(0));
      }
    } catch (py::error_already_set& e) {
      error_ = std::make_unique<py::error_already_set>(std::move(e));
      failed_ = true;
      return false;
    } catch (py::cast_error& e) {
      message_ =
          std::string("fun_and_grad must return (float, array): ") + e.what();
      failed_ = true;
      return false;
    } catch (py::builtin_exception& e) {
      message_ = e.what();
      failed_ = true;
      return false;
    }
    return std::isfinite(*value) &&
           (gradient == nullptr || gradient->allFinite());
  }
  bool failed() const { return failed_; }
  void Rethrow() const {
    if (error_) throw *error_;
    if (!message_.empty()) Fail(message_);
  }

 private:
  py::function function_;
  int num_parameters_;
  mutable bool failed_ = false;
  mutable std::unique_ptr<py::error_already_set> error_;
  mutable std::string message_;
};

// A user's curvature callback C(x) -> p×p, or, without one, the Hessian by
// central differences of the gradient (2p gradient evaluations).
class PythonCurvature : public Curvature {
 public:
  PythonCurvature(std::optional<py::function> function,
                  const PythonObjective& objective, CurvatureType type)
      : function_(std::move(function)), objective_(objective), type_(type) {}
  CurvatureType type() const override { return type_; }
  std::string Approximation() const override {
    return function_ ? "" : "central differences of the gradient";
  }
  bool failed() const { return error_ != nullptr || !message_.empty(); }
  void Rethrow() const {
    if (error_) throw *error_;
    if (!message_.empty()) Fail(message_);
  }

 private:
  bool DoCompute(const Eigen::VectorXd& theta,
                 Eigen::MatrixXd* curvature) override {
    const int p = objective_.NumParameters();
    if (!function_) {
      curvature->resize(p, p);
      Eigen::VectorXd plus(p), minus(p);
      double value;
      for (int j = 0; j < p; ++j) {
        const double h = 1e-5 * (std::abs(theta[j]) + 1.0);
        Eigen::VectorXd point = theta;
        point[j] = theta[j] + h;
        if (!objective_.Evaluate(point, &value, &plus)) return false;
        point[j] = theta[j] - h;
        if (!objective_.Evaluate(point, &value, &minus)) return false;
        curvature->col(j) = (plus - minus) / (2.0 * h);
      }
      *curvature = 0.5 * (*curvature + curvature->transpose()).eval();
      return true;
    }
    try {
      auto c = (*function_)(ToArray(theta))
                   .cast<py::array_t<double, py::array::c_style |
                                                 py::array::forcecast>>();
      if (c.ndim() != 2 || c.shape(0) != p || c.shape(1) != p) {
        throw py::value_error("curvature must return a " + std::to_string(p) +
                              "x" + std::to_string(p) + " matrix");
      }
      curvature->resize(p, p);
      auto view = c.unchecked<2>();
      for (int i = 0; i < p; ++i) {
        for (int j = 0; j < p; ++j) (*curvature)(i, j) = view(i, j);
      }
    } catch (py::error_already_set& e) {
      error_ = std::make_unique<py::error_already_set>(std::move(e));
      return false;
    } catch (py::cast_error& e) {
      message_ = std::string("curvature must return an array: ") + e.what();
      return false;
    } catch (py::builtin_exception& e) {
      message_ = e.what();
      return false;
    }
    return curvature->allFinite();
  }

  std::optional<py::function> function_;
  const PythonObjective& objective_;
  CurvatureType type_;
  std::unique_ptr<py::error_already_set> error_;
  std::string message_;
};

// Stops the solve when a Python callback raised, or on Ctrl-C (the GIL is
// held throughout minimize: every evaluation is Python).
class AbortOnPythonError : public IterationCallback {
 public:
  AbortOnPythonError(const PythonObjective& objective,
                     const PythonCurvature& curvature)
      : objective_(objective), curvature_(curvature) {}
  CallbackReturnType operator()(const IterationSummary& summary) override {
    if (objective_.failed() || curvature_.failed()) {
      return CallbackReturnType::kAbort;
    }
    return signals_(summary);
  }
  // Raises the signal handler's exception (KeyboardInterrupt), if any.
  void Rethrow() { signals_.Rethrow(); }

 private:
  const PythonObjective& objective_;
  const PythonCurvature& curvature_;
  SignalCallback signals_;
};

py::dict IterationTrace(const SolverSummary& summary) {
  const size_t k = summary.iterations.size();
  Eigen::VectorXd iteration(k), cost(k), gradient(k), step(k), time(k),
      damping(k), kl(k);
  for (size_t i = 0; i < k; ++i) {
    const IterationSummary& s = summary.iterations[i];
    iteration[i] = s.iteration;
    cost[i] = s.cost;
    gradient[i] = s.gradient_norm;
    step[i] = s.step_norm;
    time[i] = s.cumulative_time_in_seconds;
    damping[i] = s.damping;
    kl[i] = s.quadratic_form;
  }
  py::dict trace;
  trace["iteration"] = ToArray(iteration);
  trace["cost"] = ToArray(cost);
  trace["gradient_norm"] = ToArray(gradient);
  trace["step_norm"] = ToArray(step);
  trace["time"] = ToArray(time);
  trace["damping"] = ToArray(damping);
  trace["kl"] = ToArray(kl);
  return trace;
}

py::dict SummaryDict(const SolverSummary& summary) {
  py::dict out;
  out["solver"] = summary.solver;
  out["curvature"] = summary.curvature;
  out["step_control"] = summary.step_control;
  out["termination"] = ToString(summary.termination_type);
  out["message"] = summary.message;
  out["converged"] = summary.termination_type == TerminationType::kConvergence;
  out["iterations"] = summary.num_iterations();
  out["initial_cost"] = summary.initial_cost;
  out["final_cost"] = summary.final_cost;
  out["num_cost_evaluations"] = summary.num_cost_evaluations;
  out["num_gradient_evaluations"] = summary.num_gradient_evaluations;
  out["num_curvature_evaluations"] = summary.num_curvature_evaluations;
  out["total_time"] = summary.total_time_in_seconds;
  out["trace"] = IterationTrace(summary);
  return out;
}

py::dict Minimize(
    py::function fun_and_grad,
    py::array_t<double, py::array::c_style | py::array::forcecast> x0,
    std::optional<py::function> curvature, const std::string& method,
    int max_iterations, double function_tolerance, double gradient_tolerance,
    double parameter_tolerance) {
  if (x0.ndim() != 1 || x0.shape(0) == 0)
    Fail("x0 must be a non-empty 1-d array");
  const int p = static_cast<int>(x0.shape(0));
  OptimizerSpec spec;
  std::string error;
  if (!FindOptimizer(method, &spec, &error)) Fail(error);
  if (spec.kind != OptimizerSpec::Kind::kNewtonLike) {
    Fail("method '" + method +
         "' is a Ceres baseline on a built-in model; minimize takes our "
         "Newton-like methods (fisher-scoring, natural-gradient, "
         "natural-gradient-kl, fisher-lm, fisher-wolfe, newton, ...)");
  }
  SolverOptions options = spec.solver;
  options.curvature = CurvatureOptions();
  options.stopping.max_iterations = max_iterations;
  options.stopping.function_tolerance = function_tolerance;
  options.stopping.gradient_tolerance = gradient_tolerance;
  options.stopping.parameter_tolerance = parameter_tolerance;
  if (!options.IsValid(&error)) Fail(error);
  PythonObjective objective(std::move(fun_and_grad), p);
  const CurvatureType type =
      curvature ? CurvatureType::kExpectedFisher : CurvatureType::kHessian;
  PythonCurvature matrix(std::move(curvature), objective, type);
  AbortOnPythonError abort(objective, matrix);
  options.callbacks.push_back(&abort);
  Eigen::VectorXd theta = Eigen::Map<const Eigen::VectorXd>(x0.data(), p);
  SolverSummary summary;
  Solve(options, objective, &matrix, &theta, &summary);
  abort.Rethrow();
  objective.Rethrow();
  matrix.Rethrow();
  py::dict out = SummaryDict(summary);
  out["x"] = ToArray(theta);
  out["method"] = method;
  return out;
}

// ---- compare and check ----------------------------------------------------

py::tuple CompareWithText(std::vector<std::string> problems,
                          std::vector<std::string> optimizers,
                          int max_iterations) {
  CompareOptions options;
  options.problems = std::move(problems);
  options.optimizers = std::move(optimizers);
  if (max_iterations > 0) options.stopping.max_iterations = max_iterations;
  ComparisonResult result;
  std::string error;
  bool ok;
  {
    py::gil_scoped_release release;
    ok = RunComparison(options, &result, &error);
  }
  if (!ok) Fail(error);
  const std::vector<std::string> names =
      options.optimizers.empty() ? BuiltinOptimizerNames() : options.optimizers;
  py::dict out;
  for (const ProblemReference& reference : result.references) {
    py::dict problem;
    problem["description"] = reference.description;
    problem["reference_source"] = reference.source;
    problem["reference_optimum"] = ToArray(reference.optimum);
    problem["reference_nll"] = reference.nll;
    py::dict runs;
    // Rows come per problem in the optimizers' order.
    size_t k = 0;
    for (const ComparisonRow& row : result.rows) {
      if (row.problem != reference.problem) continue;
      py::dict run = SummaryDict(row.summary);
      run["solution"] = ToArray(row.solution);
      run["nll_gap"] = row.nll_gap;
      run["relative_distance"] = row.relative_distance;
      Eigen::VectorXd gap(row.summary.iterations.size());
      for (size_t i = 0; i < row.summary.iterations.size(); ++i) {
        gap[i] = row.summary.iterations[i].cost - reference.nll;
      }
      run["trace"].cast<py::dict>()["nll_minus_reference"] = ToArray(gap);
      runs[py::str(k < names.size() ? names[k] : row.summary.solver)] = run;
      ++k;
    }
    problem["runs"] = runs;
    out[py::str(reference.problem)] = problem;
  }
  return py::make_tuple(out, FormatComparison(result));
}

py::dict Check(const std::string& model, int samples, int draws,
               std::uint64_t seed, double perturbation) {
  CheckOptions options;
  options.model = model;
  options.samples = samples;
  options.draws = draws;
  options.seed = seed;
  options.perturbation = perturbation;
  std::string error;
  if (!options.IsValid(&error)) Fail(error);
  CheckResult result;
  bool ok;
  {
    py::gil_scoped_release release;
    ok = RunCheck(options, &result, &error);
  }
  if (!ok) Fail(error);
  py::dict out;
  out["model"] = model;
  out["all_pass"] = result.all_pass;
  out["text"] = result.text;
  py::dict points;
  for (size_t k = 0; k < result.reports.size(); ++k) {
    py::list rows;
    for (const DiagnosticRow& row : result.reports[k].rows) {
      py::dict entry;
      entry["name"] = row.name;
      entry["kind"] =
          row.kind == DiagnosticKind::kCheck ? "check" : "measurement";
      entry["estimate"] = row.estimate;
      entry["target"] = row.target;
      entry["standard_error"] = row.standard_error;
      entry["tolerance"] = row.tolerance;
      entry["pass"] = row.pass;
      entry["note"] = row.note;
      rows.append(entry);
    }
    points[py::str(result.point_labels[k])] = rows;
  }
  out["points"] = points;
  return out;
}

}  // namespace
}  // namespace fisheropt

PYBIND11_MODULE(_fisheropt, m) {
  using namespace fisheropt;
  m.doc() = "fisheropt's compiled core; use the package `fisheropt`.";

  py::class_<FitArguments>(m, "FitArguments")
      .def(py::init<>())
      .def_readwrite("family", &FitArguments::family)
      .def_readwrite("link", &FitArguments::link)
      .def_readwrite("theta", &FitArguments::theta)
      .def_readwrite("optimizer", &FitArguments::optimizer)
      .def_readwrite("covariance", &FitArguments::covariance)
      .def_readwrite("max_iterations", &FitArguments::max_iterations)
      .def_readwrite("tolerance", &FitArguments::tolerance);

  py::class_<ColumnArgument>(m, "Column")
      .def(py::init<>())
      .def_readwrite("name", &ColumnArgument::name)
      .def_readwrite("numbers", &ColumnArgument::numbers)
      .def_readwrite("text", &ColumnArgument::text)
      .def_readwrite("missing", &ColumnArgument::missing);

  py::class_<FitHandle>(m, "Fit")
      .def_property_readonly("names",
                             [](const FitHandle& h) { return h.fit.names; })
      .def_property_readonly(
          "estimates",
          [](const FitHandle& h) { return ToArray(h.fit.estimates); })
      .def_property_readonly(
          "std_errors",
          [](const FitHandle& h) {
            Eigen::VectorXd v(h.fit.inference.coefficients.size());
            for (size_t j = 0; j < h.fit.inference.coefficients.size(); ++j) {
              v[j] = h.fit.inference.coefficients[j].standard_error;
            }
            return ToArray(v);
          })
      .def_property_readonly(
          "statistics",
          [](const FitHandle& h) {
            Eigen::VectorXd v(h.fit.inference.coefficients.size());
            for (size_t j = 0; j < h.fit.inference.coefficients.size(); ++j) {
              v[j] = h.fit.inference.coefficients[j].statistic;
            }
            return ToArray(v);
          })
      .def_property_readonly(
          "p_values",
          [](const FitHandle& h) {
            Eigen::VectorXd v(h.fit.inference.coefficients.size());
            for (size_t j = 0; j < h.fit.inference.coefficients.size(); ++j) {
              v[j] = h.fit.inference.coefficients[j].p_value;
            }
            return ToArray(v);
          })
      .def_property_readonly(
          "statistic_name",
          [](const FitHandle& h) { return h.fit.inference.StatisticName(); })
      .def_property_readonly(
          "df_statistic",
          [](const FitHandle& h) { return h.fit.inference.degrees_of_freedom; })
      .def_property_readonly("covariance",
                             [](const FitHandle& h) {
                               return ToArray(h.fit.inference.covariance);
                             })
      .def_property_readonly("aliased",
                             [](const FitHandle& h) {
                               return std::vector<bool>(h.fit.aliased.begin(),
                                                        h.fit.aliased.end());
                             })
      .def_property_readonly(
          "family", [](const FitHandle& h) { return h.fit.FamilyName(); })
      .def_property_readonly(
          "link", [](const FitHandle& h) { return h.fit.LinkName(); })
      .def_property_readonly(
          "response_name",
          [](const FitHandle& h) { return h.fit.response_name; })
      .def_property_readonly(
          "formula",
          [](const FitHandle& h) { return h.fit.frame.formula_text; })
      .def_property_readonly(
          "num_observations",
          [](const FitHandle& h) { return h.fit.num_observations; })
      .def_property_readonly("deviance",
                             [](const FitHandle& h) { return h.fit.deviance; })
      .def_property_readonly(
          "null_deviance",
          [](const FitHandle& h) { return h.fit.null_deviance; })
      .def_property_readonly(
          "log_likelihood",
          [](const FitHandle& h) { return h.fit.log_likelihood; })
      .def_property_readonly("aic",
                             [](const FitHandle& h) { return h.fit.aic; })
      .def_property_readonly("bic",
                             [](const FitHandle& h) { return h.fit.bic; })
      .def_property_readonly(
          "dispersion", [](const FitHandle& h) { return h.fit.dispersion; })
      .def_property_readonly(
          "pearson_chi2", [](const FitHandle& h) { return h.fit.pearson_chi2; })
      .def_property_readonly("rank",
                             [](const FitHandle& h) { return h.fit.rank; })
      .def_property_readonly(
          "df_residual", [](const FitHandle& h) { return h.fit.df_residual; })
      .def_property_readonly("df_null",
                             [](const FitHandle& h) { return h.fit.df_null; })
      .def_property_readonly(
          "has_intercept",
          [](const FitHandle& h) { return h.fit.has_intercept; })
      .def_property_readonly("converged",
                             [](const FitHandle& h) { return h.fit.converged; })
      .def_property_readonly(
          "mle_exists", [](const FitHandle& h) { return h.fit.mle_exists; })
      .def_property_readonly(
          "iterations",
          [](const FitHandle& h) { return h.fit.summary.num_iterations(); })
      .def_property_readonly(
          "solver_summary",
          [](const FitHandle& h) { return SummaryDict(h.fit.summary); })
      .def_property_readonly("warnings",
                             [](const FitHandle& h) { return h.fit.warnings; })
      .def_property_readonly(
          "negative_binomial",
          [](const FitHandle& h) { return h.negative_binomial; })
      .def_property_readonly("theta",
                             [](const FitHandle& h) { return h.theta; })
      .def_property_readonly("theta_se",
                             [](const FitHandle& h) { return h.theta_se; })
      .def_property_readonly(
          "two_log_likelihood",
          [](const FitHandle& h) { return h.two_log_likelihood; })
      .def("report",
           [](const FitHandle& h, const std::string& call) {
             if (std::isfinite(h.theta)) {
               NegativeBinomialFit nb;
               nb.glm = h.fit;
               nb.theta = h.theta;
               nb.theta_se = h.theta_se;
               nb.two_log_likelihood = h.two_log_likelihood;
               nb.outer_iterations = h.outer_iterations;
               return nb.Report(call);
             }
             return h.fit.Report(call);
           })
      .def("to_json", [](FitHandle& h) { return FitJson(h); })
      .def("predict", &Predict)
      .def("predict_array", &PredictArray)
      .def_property_readonly(
          "conf_lower",
          [](const FitHandle& h) {
            Eigen::VectorXd v(h.fit.inference.coefficients.size());
            for (size_t j = 0; j < h.fit.inference.coefficients.size(); ++j) {
              v[j] = h.fit.inference.coefficients[j].lower;
            }
            return ToArray(v);
          })
      .def_property_readonly(
          "conf_upper",
          [](const FitHandle& h) {
            Eigen::VectorXd v(h.fit.inference.coefficients.size());
            for (size_t j = 0; j < h.fit.inference.coefficients.size(); ++j) {
              v[j] = h.fit.inference.coefficients[j].upper;
            }
            return ToArray(v);
          })
      .def_property_readonly("levels", [](const FitHandle& h) {
        py::dict levels;
        for (const ModelVariable& v : h.fit.frame.variables) {
          if (v.is_factor) levels[py::str(v.label)] = v.levels;
        }
        return levels;
      });

  m.def("fit_arrays", &FitArrays, py::arg("x"), py::arg("y"), py::arg("names"),
        py::arg("response_name"), py::arg("weights"), py::arg("offset"),
        py::arg("arguments"));
  m.def("fit_formula", &FitFormula, py::arg("formula"), py::arg("columns"),
        py::arg("weights_column"), py::arg("offset_column"),
        py::arg("drop_missing"), py::arg("arguments"));
  m.def("load_json", &LoadJson, py::arg("text"));
  m.def("minimize", &Minimize, py::arg("fun_and_grad"), py::arg("x0"),
        py::arg("curvature"), py::arg("method"), py::arg("max_iterations"),
        py::arg("function_tolerance"), py::arg("gradient_tolerance"),
        py::arg("parameter_tolerance"));
  m.def("compare", &CompareWithText, py::arg("problems"), py::arg("optimizers"),
        py::arg("max_iterations"));
  m.def("check", &Check, py::arg("model"), py::arg("samples"), py::arg("draws"),
        py::arg("seed"), py::arg("perturbation"));
  m.def("optimizer_names", &BuiltinOptimizerNames);
  m.def("family_names", &GlmFamilyNameList);
  m.def("check_model_names", &CheckModelNames);
  m.def("problem_names", &CatalogProblemNames);
}
