#ifndef FISHEROPT_TESTS_OPTIM_DOUBLE_WELL_H_
#define FISHEROPT_TESTS_OPTIM_DOUBLE_WELL_H_

#include <Eigen/Core>
#include <cmath>

#include "fisher/curvature.h"
#include "problems/objective.h"

namespace fisheropt {
namespace testing {

// A non-convex objective with a closed-form Hessian, to exercise the
// indefinite-curvature fallbacks: f(x, y) = x⁴/4 − x²/2 + y²/2 has a saddle
// at the origin and minima at (±1, 0).
class DoubleWell final : public Objective {
 public:
  int NumParameters() const override { return 2; }
  bool Evaluate(const Eigen::VectorXd& t, double* value,
                Eigen::VectorXd* gradient) const override {
    *value = std::pow(t[0], 4) / 4 - t[0] * t[0] / 2 + t[1] * t[1] / 2;
    if (gradient != nullptr) {
      *gradient = Eigen::Vector2d(std::pow(t[0], 3) - t[0], t[1]);
    }
    return true;
  }
};

// Its Hessian diag(3x² − 1, 1): indefinite for |x| < 1/√3.
class DoubleWellHessian final : public Curvature {
 public:
  CurvatureType type() const override { return CurvatureType::kHessian; }

 private:
  bool DoCompute(const Eigen::VectorXd& t, Eigen::MatrixXd* c) override {
    *c = Eigen::Vector2d(3 * t[0] * t[0] - 1, 1.0).asDiagonal();
    return true;
  }
};

}  // namespace testing
}  // namespace fisheropt

#endif  // FISHEROPT_TESTS_OPTIM_DOUBLE_WELL_H_
