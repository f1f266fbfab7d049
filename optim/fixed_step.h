#ifndef FISHEROPT_OPTIM_FIXED_STEP_H_
#define FISHEROPT_OPTIM_FIXED_STEP_H_

#include "optim/step_control.h"

namespace fisheropt {

// The plain natural gradient: θ ← θ + η d with d = −(C + τI)⁻¹ g and a fixed
// learning rate η. With C the Fisher, d is the steepest descent direction in
// distribution space (KL(p_θ ‖ p_θ+d) ≈ ½ dᵀFd; Martens 2014). There is no
// globalization: a step that increases L is accepted as it is. The one guard
// is for points outside the domain: a non-finite L at the trial point halves
// η for that step (max_halvings times) and the step fails after that.
class FixedStep final : public StepControl {
 public:
  FixedStep(const FixedStepOptions& fixed_step,
            const LinearSolverOptions& linear_solver)
      : fixed_step_(fixed_step), linear_solver_(linear_solver) {}

  bool ComputeStep(const SolverPoint& current,
                   const CurvatureOperator& curvature,
                   CountedObjective* objective, StepResult* result,
                   std::string* message) override;
  StepControlType type() const override { return StepControlType::kFixedStep; }

 private:
  FixedStepOptions fixed_step_;
  LinearSolverOptions linear_solver_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_FIXED_STEP_H_
