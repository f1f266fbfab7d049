#ifndef FISHEROPT_OPTIM_NEWTON_SOLVER_H_
#define FISHEROPT_OPTIM_NEWTON_SOLVER_H_

#include <Eigen/Core>
#include <string>

#include "fisher/curvature.h"
#include "optim/solver_options.h"
#include "optim/solver_summary.h"
#include "problems/likelihood_model.h"

namespace fisheropt {

// The Newton-like minimizer: one loop for every curvature and step control.
// Per iteration:
//
//   the curvature schedule prepares C at θ (optim/curvature_schedule.h:
//     a new or reused dense C, with its secant correction or least-squares
//     factor, or matrix-free products);
//   the step control turns it into an accepted step θ ← θ + s
//     (optim/step_control.h: line search, fixed rate, or a trust region:
//     Levenberg–Marquardt, Steihaug-CG, KL);
//   stop on the rules of StoppingOptions (defined as Ceres defines them).
//
// Newton = Hessian + line search; Fisher scoring = expected Fisher + line
// search; natural gradient = a Fisher + fixed step. The solver never asks
// which curvature it holds. A step control that finds no acceptable step
// ends the solve: as convergence when its model predicts no decrease above
// the function tolerance or the rounding floor of L, or its region shrank
// below the parameter tolerance; as a failure otherwise — after one retry
// with a fresh C when the step used a reused one. Errors by tier: invalid
// options end the solve before it starts (kFailure, message from IsValid); a
// numerical failure ends it with kFailure and θ at the last good point.
//
// On entry *theta is the start; on exit the final (last good) point. The
// curvature is not owned and may keep state between calls (Monte Carlo).
void Solve(const SolverOptions& options, const Objective& objective,
           Curvature* curvature, Eigen::VectorXd* theta,
           SolverSummary* summary);

// Convenience: creates the curvature that options.curvature names for
// `model` and solves. A model that lacks the curvature (no closed form) ends
// with kFailure and the factory's message, before any iteration.
void Solve(const SolverOptions& options, const LikelihoodModel& model,
           Eigen::VectorXd* theta, SolverSummary* summary);

// The usual name of a curvature × step control combination: "newton",
// "fisher-scoring", "natural-gradient", "empirical-fisher-newton", ...;
// combinations without one are named after their parts.
std::string MethodName(CurvatureType curvature, StepControlType step_control);

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_NEWTON_SOLVER_H_
