#ifndef FISHEROPT_PROBLEMS_JET_REGRESSION_FUNCTION_H_
#define FISHEROPT_PROBLEMS_JET_REGRESSION_FUNCTION_H_

#include <ceres/jet.h>

#include <array>

#include "problems/nonlinear_regression_model.h"

namespace fisheropt {

// A RegressionFunction from a functor written once for any scalar type T:
//
//   struct Misra1a {
//     template <typename T>
//     T operator()(const double* x, const T* b) const {
//       using std::exp;  // ceres::exp is found by argument lookup for Jets
//       return b[0] * (1.0 - exp(-b[1] * x[0]));
//     }
//   };
//   auto f = std::make_unique<JetRegressionFunction<Misra1a, 2>>(1);
//
// x points at one row of predictors. Values use T = double; the Jacobian uses
// forward-mode automatic differentiation with ceres::Jet<double,
// kNumParameters> (exact to rounding, one pass per sample). This header needs
// Ceres' include directory (it is header-only use of Ceres; no Ceres library is
// linked).
template <typename Functor, int kNumParameters>
class JetRegressionFunction final : public RegressionFunction {
 public:
  explicit JetRegressionFunction(int num_predictors,
                                 Functor functor = Functor())
      : num_predictors_(num_predictors), functor_(functor) {}

  int NumParameters() const override { return kNumParameters; }
  int NumPredictors() const override { return num_predictors_; }

  bool Evaluate(const Eigen::Ref<const RowMatrixXd>& x,
                const Eigen::VectorXd& b, Eigen::VectorXd* values,
                Eigen::MatrixXd* jacobian) const override {
    const Eigen::Index n = x.rows();
    values->resize(n);
    if (jacobian == nullptr) {
      for (Eigen::Index i = 0; i < n; ++i) {
        (*values)[i] = functor_(x.row(i).data(), b.data());
      }
      return values->allFinite();
    }
    using Jet = ceres::Jet<double, kNumParameters>;
    std::array<Jet, kNumParameters> b_jet;
    for (int j = 0; j < kNumParameters; ++j) b_jet[j] = Jet(b[j], j);
    jacobian->resize(n, kNumParameters);
    for (Eigen::Index i = 0; i < n; ++i) {
      const Jet value = functor_(x.row(i).data(), b_jet.data());
      (*values)[i] = value.a;
      jacobian->row(i) = value.v.transpose();
    }
    return values->allFinite() && jacobian->allFinite();
  }

 private:
  int num_predictors_;
  Functor functor_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_JET_REGRESSION_FUNCTION_H_
