#include "fisher/structured_curvature.h"

#include <utility>

namespace fisheropt {

StructuredCurvature::StructuredCurvature(std::unique_ptr<Curvature> inner,
                                         CurvatureStructure structure,
                                         std::vector<ParameterGroup> groups)
    : inner_(std::move(inner)),
      structure_(structure),
      groups_(std::move(groups)) {}

bool StructuredCurvature::DoCompute(const Eigen::VectorXd& theta,
                                    Eigen::MatrixXd* curvature) {
  std::string ignored;
  if (!inner_->Compute(theta, curvature, &ignored)) return false;
  ApplyCurvatureStructure(structure_, groups_, curvature);
  return true;
}

bool ValidateParameterGroups(const std::vector<ParameterGroup>& groups,
                             int num_parameters, std::string* error) {
  int next = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    const ParameterGroup& group = groups[g];
    if (group.size < 1 || group.begin != next) {
      if (error != nullptr) {
        *error = "parameter group " + std::to_string(g) + " ('" + group.name +
                 "', begin " + std::to_string(group.begin) + ", size " +
                 std::to_string(group.size) +
                 ") must be non-empty and begin at " + std::to_string(next);
      }
      return false;
    }
    next += group.size;
  }
  if (next != num_parameters) {
    if (error != nullptr) {
      *error = "parameter groups cover " + std::to_string(next) + " of " +
               std::to_string(num_parameters) + " parameters";
    }
    return false;
  }
  return true;
}

void ApplyCurvatureStructure(CurvatureStructure structure,
                             const std::vector<ParameterGroup>& groups,
                             Eigen::MatrixXd* matrix) {
  switch (structure) {
    case CurvatureStructure::kFull:
      return;
    case CurvatureStructure::kDiagonal: {
      const Eigen::VectorXd diagonal = matrix->diagonal();
      *matrix = diagonal.asDiagonal();
      return;
    }
    case CurvatureStructure::kBlockDiagonal: {
      Eigen::MatrixXd blocks =
          Eigen::MatrixXd::Zero(matrix->rows(), matrix->cols());
      for (const ParameterGroup& group : groups) {
        blocks.block(group.begin, group.begin, group.size, group.size) =
            matrix->block(group.begin, group.begin, group.size, group.size);
      }
      *matrix = std::move(blocks);
      return;
    }
  }
}

}  // namespace fisheropt
