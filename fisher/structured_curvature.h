#ifndef FISHEROPT_FISHER_STRUCTURED_CURVATURE_H_
#define FISHEROPT_FISHER_STRUCTURED_CURVATURE_H_

#include <memory>
#include <string>
#include <vector>

#include "fisher/curvature.h"
#include "problems/likelihood_model.h"

namespace fisheropt {

// A structured approximation of any other curvature C (owned):
//
//   kDiagonal:       diag(C_11, ..., C_pp)
//   kBlockDiagonal:  blockdiag(C_gg) over the parameter groups g of the model
//                    (e.g. MVN: mean | precision factor); zero between groups.
//
// A principal submatrix of a PSD matrix is PSD, so structured Fisher
// curvatures stay PSD and their solves stay cheap (p scalars, or one small
// factorization per group). The inner curvature is computed in full and then
// masked: the structure saves solve time and conditioning, not the cost of
// C itself. type() is the inner curvature's type.
class StructuredCurvature final : public Curvature {
 public:
  // `groups` must partition [0, p) in order (see ValidateParameterGroups);
  // they are ignored for kDiagonal. `structure` must not be kFull.
  StructuredCurvature(std::unique_ptr<Curvature> inner,
                      CurvatureStructure structure,
                      std::vector<ParameterGroup> groups);

  CurvatureType type() const override { return inner_->type(); }
  int MonteCarloSamples() const override { return inner_->MonteCarloSamples(); }
  CurvatureStructure structure() const { return structure_; }
  const std::vector<ParameterGroup>& groups() const { return groups_; }

 private:
  bool DoCompute(const Eigen::VectorXd& theta,
                 Eigen::MatrixXd* curvature) override;

  std::unique_ptr<Curvature> inner_;
  CurvatureStructure structure_;
  std::vector<ParameterGroup> groups_;
};

// True when `groups` are non-empty, in order and cover [0, num_parameters)
// exactly; otherwise false with a message naming the offending group.
bool ValidateParameterGroups(const std::vector<ParameterGroup>& groups,
                             int num_parameters, std::string* error);

// Keeps the diagonal (kDiagonal) or the group blocks (kBlockDiagonal) of
// `matrix` in place and zeroes the rest; kFull leaves it unchanged.
void ApplyCurvatureStructure(CurvatureStructure structure,
                             const std::vector<ParameterGroup>& groups,
                             Eigen::MatrixXd* matrix);

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_STRUCTURED_CURVATURE_H_
