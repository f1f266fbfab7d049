#ifndef FISHEROPT_OPTIM_LOGGING_CALLBACK_H_
#define FISHEROPT_OPTIM_LOGGING_CALLBACK_H_

#include <spdlog/logger.h>

#include <memory>

#include "optim/iteration_callback.h"

namespace fisheropt {

// Logs one row of the iteration table per iteration (a header before
// iteration 0) at info level to the given spdlog logger. The library never
// prints by itself: the application creates the logger and adds this
// callback when it wants the table.
class LoggingCallback final : public IterationCallback {
 public:
  explicit LoggingCallback(std::shared_ptr<spdlog::logger> logger)
      : logger_(std::move(logger)) {}
  CallbackReturnType operator()(const IterationSummary& summary) override;

 private:
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_LOGGING_CALLBACK_H_
