#ifndef FISHEROPT_OPTIM_SECANT_UPDATE_H_
#define FISHEROPT_OPTIM_SECANT_UPDATE_H_

#include <Eigen/Core>

namespace fisheropt {

// The BFGS update of a curvature matrix C (positive definite, symmetric)
// from a step s and the gradient change y along it:
//
//   C ← C − (Cs)(Cs)ᵀ / (sᵀCs) + y yᵀ / (yᵀs),
//
// after which C s = y (the secant equation) and C stays positive definite.
// Skipped — C unchanged, false returned — unless yᵀs > 1e-10·‖s‖‖y‖ (the
// curvature condition; a convex NLL meets it along any step) and sᵀCs > 0.
// O(p²). Used by SecantCorrection::kDenseBfgs.
inline bool BfgsUpdate(const Eigen::VectorXd& s, const Eigen::VectorXd& y,
                       Eigen::MatrixXd* curvature) {
  const double sy = s.dot(y);
  if (!(sy > 1e-10 * s.norm() * y.norm())) return false;
  const Eigen::VectorXd cs = *curvature * s;
  const double scs = s.dot(cs);
  if (!(scs > 0.0)) return false;
  curvature->noalias() -= cs * (cs.transpose() / scs);
  curvature->noalias() += y * (y.transpose() / sy);
  return true;
}

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_SECANT_UPDATE_H_
