#include "optim/logging_callback.h"

#include <spdlog/spdlog.h>

namespace fisheropt {

CallbackReturnType LoggingCallback::operator()(
    const IterationSummary& summary) {
  if (summary.iteration == 0) {
    logger_->info("{:>4} {:>20} {:>11} {:>10} {:>10} {:>9} {:>9} {:>9} {:>10}",
                  "iter", "cost", "cost_change", "|gradient|", "|step|",
                  "step_size", "damping", "rho", "1/2sCs");
  }
  logger_->info(
      "{:>4} {:>20.12e} {:>11.3e} {:>10.3e} {:>10.3e} {:>9.2e} {:>9.2e} "
      "{:>9.2e} {:>10.3e}",
      summary.iteration, summary.cost, summary.cost_change,
      summary.gradient_max_norm, summary.step_norm, summary.step_size,
      summary.damping, summary.gain_ratio, summary.quadratic_form);
  return CallbackReturnType::kContinue;
}

}  // namespace fisheropt
