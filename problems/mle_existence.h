#ifndef FISHEROPT_PROBLEMS_MLE_EXISTENCE_H_
#define FISHEROPT_PROBLEMS_MLE_EXISTENCE_H_

#include <Eigen/Core>
#include <string>

#include "linalg/types.h"
#include "problems/glm_family.h"

namespace fisheropt {

// Whether a GLM's maximum likelihood estimate exists (is finite), decided by
// a linear program on the design, not by fitted values. For a full-rank X:
//
// - Binary responses, any link whose inverse tends to 0 and 1 (logit,
//   probit, cloglog): the MLE does not exist iff the data are completely or
//   quasi-completely separated (Albert & Anderson 1984), i.e. iff some d
//   has s_i x_iᵀd ≥ 0 for every i (s_i = 2y_i − 1) with at least one strict
//   inequality. The LP (Konis 2007) maximizes Σ s_i x_iᵀd/‖x_i‖ subject to
//   s_i x_iᵀd ≥ 0 and −1 ≤ d_j ≤ 1; a positive optimum is such a d. A
//   proportion 0 < y_i < 1 has both outcomes, so its row needs x_iᵀd = 0.
// - Poisson with the log link: the MLE does not exist iff some d has
//   x_iᵀd = 0 where y_i > 0 and x_iᵀd ≤ 0 where y_i = 0, strictly for at
//   least one (Haberman 1974): e.g. a factor level whose counts are all
//   zero. The LP maximizes Σ_{y_i = 0} −x_iᵀd/‖x_i‖ likewise.
// - Gaussian: the MLE of a full-rank design always exists.
//
// Along such a d the likelihood increases without bound, so an optimizer
// drives ‖β‖ to infinity and every "estimate" it stops at is an artefact of
// its stopping rule. The LP is solved by COIN-OR Clp. X should be well
// scaled (the fit passes the orthonormal basis of its QR, so that Clp's
// absolute tolerances mean the same on every data set); the direction is
// in X's coordinates.
struct MleExistence {
  bool exists = true;
  // A direction of unbounded increase (unit 2-norm) when !exists.
  Eigen::VectorXd direction;
  // Rows with s_i x_iᵀd > 0 (binary) or x_iᵀd < 0 (Poisson) along
  // `direction`: the fitted values that go to the boundary.
  int num_separated_rows = 0;
};

// Returns false with a message when the LP could not be solved.
bool CheckMleExistence(const RowMatrixXd& x, const Eigen::VectorXd& y,
                       GlmFamilyType family, MleExistence* result,
                       std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_MLE_EXISTENCE_H_
