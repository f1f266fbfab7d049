#ifndef FISHEROPT_OPTIM_WALL_TIMER_H_
#define FISHEROPT_OPTIM_WALL_TIMER_H_

#include <chrono>

namespace fisheropt {

// Seconds of wall time since construction (steady clock).
class WallTimer {
 public:
  WallTimer() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_WALL_TIMER_H_
