#ifndef FISHEROPT_OPTIM_ITERATION_CALLBACK_H_
#define FISHEROPT_OPTIM_ITERATION_CALLBACK_H_

#include "optim/solver_summary.h"

namespace fisheropt {

enum class CallbackReturnType {
  kContinue,
  // Stop now; the summary reports kUserSuccess.
  kTerminateSuccessfully,
  // Stop now; the summary reports kUserFailure.
  kAbort,
};

// Called by a solver after every iteration (iteration 0 is the start point),
// with the record that is also appended to SolverSummary::iterations.
// Callbacks decide; logging is one (see optim/logging_callback.h).
class IterationCallback {
 public:
  virtual ~IterationCallback() = default;
  virtual CallbackReturnType operator()(const IterationSummary& summary) = 0;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_ITERATION_CALLBACK_H_
