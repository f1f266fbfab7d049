#include "optim/line_search.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "optim/linear_solver.h"

namespace fisheropt {

bool LineSearchOptions::IsValid(std::string* error) const {
  if (!(sufficient_decrease > 0.0 && sufficient_decrease < 1.0)) {
    return InvalidOption("LineSearchOptions::sufficient_decrease",
                         sufficient_decrease, "in (0, 1)", error);
  }
  if (!(max_step_contraction > 0.0 && max_step_contraction < 1.0)) {
    return InvalidOption("LineSearchOptions::max_step_contraction",
                         max_step_contraction, "in (0, 1)", error);
  }
  if (!(min_step_contraction >= max_step_contraction &&
        min_step_contraction < 1.0)) {
    return InvalidOption("LineSearchOptions::min_step_contraction",
                         min_step_contraction, "in [max_step_contraction, 1)",
                         error);
  }
  if (max_evaluations < 1) {
    return InvalidOption("LineSearchOptions::max_evaluations", max_evaluations,
                         ">= 1", error);
  }
  if (!(min_step_size > 0.0)) {
    return InvalidOption("LineSearchOptions::min_step_size", min_step_size,
                         "> 0", error);
  }
  if (!(sufficient_curvature_decrease > sufficient_decrease &&
        sufficient_curvature_decrease < 1.0)) {
    return InvalidOption("LineSearchOptions::sufficient_curvature_decrease",
                         sufficient_curvature_decrease,
                         "in (sufficient_decrease, 1)", error);
  }
  if (!(max_step_expansion > 1.0)) {
    return InvalidOption("LineSearchOptions::max_step_expansion",
                         max_step_expansion, "> 1", error);
  }
  return true;
}
namespace {

// One evaluated trial step of a line search.
struct Trial {
  double alpha = 0.0;
  double value = 0.0;
  double derivative = 0.0;
  bool finite = true;
};

constexpr double kNoMinimizer = std::numeric_limits<double>::quiet_NaN();

// Minimizer of the cubic that interpolates φ and φ' at a and b (Nocedal &
// Wright, eq. 3.59); NaN when the cubic has no local minimizer.
double CubicMinimizer(const Trial& a, const Trial& b) {
  const double d1 = a.derivative + b.derivative -
                    3.0 * (a.value - b.value) / (a.alpha - b.alpha);
  const double discriminant = d1 * d1 - a.derivative * b.derivative;
  if (!(discriminant >= 0.0)) return kNoMinimizer;
  const double d2 = std::copysign(std::sqrt(discriminant), b.alpha - a.alpha);
  const double denominator = b.derivative - a.derivative + 2.0 * d2;
  if (denominator == 0.0) return kNoMinimizer;
  return b.alpha - (b.alpha - a.alpha) * (b.derivative + d2 - d1) / denominator;
}

// Minimizer of the quadratic through φ(a), φ'(a) and φ(b); NaN when it is
// not convex.
double QuadraticMinimizer(const Trial& a, const Trial& b) {
  const double h = b.alpha - a.alpha;
  const double curvature = (b.value - a.value - a.derivative * h) / (h * h);
  if (!(curvature > 0.0)) return kNoMinimizer;
  return a.alpha - a.derivative / (2.0 * curvature);
}

}  // namespace

std::unique_ptr<LineSearch> LineSearch::Create(
    const LineSearchOptions& options) {
  switch (options.type) {
    case LineSearchType::kArmijo:
      return std::make_unique<ArmijoLineSearch>(options);
    case LineSearchType::kWolfe:
      return std::make_unique<WolfeLineSearch>(options);
  }
  return nullptr;
}

LineSearch::Result LineSearch::Search(const Function& phi, double value,
                                      double directional_derivative) const {
  Result result;
  if (!(directional_derivative < 0.0) || !std::isfinite(value)) return result;
  const Function counted = [&](double alpha, double* trial_value,
                               double* derivative) {
    ++result.num_evaluations;
    return phi(alpha, trial_value, derivative) && std::isfinite(*trial_value) &&
           std::isfinite(*derivative);
  };
  DoSearch(counted, value, directional_derivative, &result);
  return result;
}

void ArmijoLineSearch::DoSearch(const Function& phi, double value,
                                double directional_derivative,
                                Result* result) const {
  double alpha = 1.0;
  while (result->num_evaluations < options().max_evaluations &&
         alpha >= options().min_step_size) {
    double trial_value = 0.0;
    double trial_derivative = 0.0;
    const bool finite = phi(alpha, &trial_value, &trial_derivative);
    if (finite && trial_value <= value + options().sufficient_decrease * alpha *
                                             directional_derivative) {
      result->success = true;
      result->step_size = alpha;
      result->value = trial_value;
      result->derivative = trial_derivative;
      result->curvature_condition_met = true;  // not required by Armijo
      return;
    }
    double next_alpha = 0.5 * alpha;
    if (finite) {
      // Minimizer of q(t) = φ(0) + φ'(0) t + c t², through φ(α).
      const double curvature =
          (trial_value - value - directional_derivative * alpha) /
          (alpha * alpha);
      if (curvature > 0.0) {
        next_alpha = -directional_derivative / (2.0 * curvature);
      }
    }
    alpha = std::clamp(next_alpha, options().max_step_contraction * alpha,
                       options().min_step_contraction * alpha);
  }
}

void WolfeLineSearch::DoSearch(const Function& phi, double value,
                               double directional_derivative,
                               Result* result) const {
  const double c1 = options().sufficient_decrease;
  const double c2 = options().sufficient_curvature_decrease;
  const double expansion = options().max_step_expansion;
  const auto evaluate = [&](double alpha, Trial* trial) {
    trial->alpha = alpha;
    trial->finite = phi(alpha, &trial->value, &trial->derivative);
    return trial->finite;
  };
  const auto sufficient_decrease = [&](const Trial& trial) {
    return trial.value <= value + c1 * trial.alpha * directional_derivative;
  };
  const auto curvature_condition = [&](const Trial& trial) {
    return std::abs(trial.derivative) <= -c2 * directional_derivative;
  };
  const auto accept = [&](const Trial& trial, bool curvature_met) {
    result->success = true;
    result->step_size = trial.alpha;
    result->value = trial.value;
    result->derivative = trial.derivative;
    result->curvature_condition_met = curvature_met;
  };

  // Bracketing (Algorithm 3.5).
  Trial previous{0.0, value, directional_derivative, true};
  Trial lo, hi;
  bool bracketed = false;
  double alpha = 1.0;
  while (result->num_evaluations < options().max_evaluations) {
    Trial current;
    if (!evaluate(alpha, &current) || !sufficient_decrease(current) ||
        (previous.alpha > 0.0 && current.value >= previous.value)) {
      lo = previous;
      hi = current;
      bracketed = true;
      break;
    }
    if (curvature_condition(current)) {
      accept(current, true);
      return;
    }
    if (current.derivative >= 0.0) {
      lo = current;
      hi = previous;
      bracketed = true;
      break;
    }
    // Still descending at a step with sufficient decrease: expand.
    const double lower = alpha + 0.1 * (expansion - 1.0) * alpha;
    const double upper = expansion * alpha;
    const double cubic = CubicMinimizer(previous, current);
    previous = current;
    alpha = std::isfinite(cubic) ? std::clamp(cubic, lower, upper) : upper;
  }
  if (!bracketed) {
    if (previous.alpha > 0.0) accept(previous, false);
    return;
  }

  // Zoom (Algorithm 3.6): lo has sufficient decrease and the lowest φ seen
  // in the bracket; the minimizer of φ lies between lo and hi.
  while (result->num_evaluations < options().max_evaluations) {
    const double width = std::abs(hi.alpha - lo.alpha);
    const double left = std::min(lo.alpha, hi.alpha) + 0.1 * width;
    const double right = std::max(lo.alpha, hi.alpha) - 0.1 * width;
    if (!(width > 0.0) || right < options().min_step_size) break;
    double next = kNoMinimizer;
    if (hi.finite) {
      next = CubicMinimizer(lo, hi);
      if (!std::isfinite(next)) next = QuadraticMinimizer(lo, hi);
    }
    next = std::isfinite(next) ? std::clamp(next, left, right)
                               : 0.5 * (lo.alpha + hi.alpha);
    Trial trial;
    if (!evaluate(next, &trial) || !sufficient_decrease(trial) ||
        trial.value >= lo.value) {
      hi = trial;
      continue;
    }
    if (curvature_condition(trial)) {
      accept(trial, true);
      return;
    }
    if (trial.derivative * (hi.alpha - lo.alpha) >= 0.0) hi = lo;
    lo = trial;
  }
  if (lo.alpha > 0.0) accept(lo, false);
}

bool LineSearchStep::ComputeStep(const SolverPoint& current,
                                 const CurvatureOperator& curvature,
                                 CountedObjective* objective,
                                 StepResult* result, std::string* message) {
  NewtonDirection newton;
  if (!ComputeStepDirection(current, curvature, linear_solver_, &newton, result,
                            message)) {
    return false;
  }
  const Eigen::VectorXd& direction = newton.direction;
  const double direction_form = curvature.QuadraticForm(direction);
  result->predicted_decrease =
      -(current.gradient.dot(direction) + direction_form);
  SolverPoint& trial = result->next;
  double last_alpha = std::numeric_limits<double>::quiet_NaN();
  const auto phi = [&](double alpha, double* value, double* derivative) {
    last_alpha = alpha;
    trial.theta = current.theta + alpha * direction;
    if (!objective->Evaluate(trial.theta, value, &trial.gradient)) {
      return false;
    }
    *derivative = trial.gradient.dot(direction);
    return true;
  };
  const LineSearch::Result search =
      line_search_->Search(phi, current.value, current.gradient.dot(direction));
  result->line_search_evaluations = search.num_evaluations;
  if (!search.success) {
    std::ostringstream stream;
    stream << "line search found no point with sufficient decrease in "
           << search.num_evaluations << " evaluations";
    *message = stream.str();
    return false;
  }
  trial.value = search.value;
  if (search.step_size != last_alpha) {
    // Wolfe may accept an earlier trial than the last one evaluated.
    double derivative = 0.0;
    phi(search.step_size, &trial.value, &derivative);
    ++result->line_search_evaluations;
  }
  result->step_size = search.step_size;
  result->damping = newton.shift;
  result->quadratic_form = search.step_size * search.step_size * direction_form;
  return true;
}

}  // namespace fisheropt
