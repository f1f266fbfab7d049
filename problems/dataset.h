#ifndef FISHEROPT_PROBLEMS_DATASET_H_
#define FISHEROPT_PROBLEMS_DATASET_H_

#include <Eigen/Core>
#include <string>
#include <vector>

#include "linalg/types.h"

namespace fisheropt {

// Regression data: a design matrix X (N × p, one sample per row) and a
// response vector y (N). Column names label the columns of X in reports.
// Optional per-sample prior weights w and offset o (each empty, or N entries)
// enter a GLM as R's glm(weights =, offset =) do: η = Xβ + o and
// L = −Σ w_i ℓ_i (see glm_model.h).
struct Dataset {
  RowMatrixXd x;
  Eigen::VectorXd y;
  std::vector<std::string> column_names;  // Empty, or one per column of X.
  std::string response_name = "y";
  Eigen::VectorXd weights;  // Empty (all 1), or N finite values ≥ 0.
  Eigen::VectorXd offset;   // Empty (all 0), or N finite values.

  bool HasWeights() const { return weights.size() > 0; }
  bool HasOffset() const { return offset.size() > 0; }

  int NumSamples() const { return static_cast<int>(x.rows()); }
  int NumFeatures() const { return static_cast<int>(x.cols()); }

  // Shapes agree, at least one row and column, every value finite, weights
  // ≥ 0. On failure the message names the first offending row and column.
  bool IsValid(std::string* error) const;
};

// Returns the column names, or "x0", "x1", ... when the dataset has none.
std::vector<std::string> ColumnNamesOrDefault(const Dataset& data);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_DATASET_H_
