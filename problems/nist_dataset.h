#ifndef FISHEROPT_PROBLEMS_NIST_DATASET_H_
#define FISHEROPT_PROBLEMS_NIST_DATASET_H_

#include <Eigen/Core>
#include <string>
#include <vector>

#include "linalg/types.h"

namespace fisheropt {

// One NIST StRD nonlinear-regression problem, as its .dat file states it
// (https://www.itl.nist.gov/div898/strd/nls/nls_main.shtml; public domain).
//
// The file is read by its labels, not by fixed line numbers:
//   "Dataset Name:  Misra1a ..."            → name
//   "Model: ... N Parameters (b1 ...)"      → num_parameters (cross-checked
//                                             against the bK = lines)
//   the model's equation lines              → model_text ("y = ... + e")
//   "  bK = start1 start2 certified sd"     → starts, certified values and
//                                             their certified standard
//                                             deviations (K = 1..p in order)
//   "Residual Sum of Squares:"              → certified RSS (Σ r², not ½Σr²)
//   "Residual Standard Deviation:", "Degrees of Freedom:",
//   "Number of Observations:"
//   "Data:   y   x"  (a header of names)    → column order; every later
//                                             non-blank line is one row
// The response is the column named "y"; every other column is a predictor,
// in file order (Nelson has x1, x2). Every file in StRD puts y first, but
// the header decides.
struct NistDataset {
  std::string name;        // "Misra1a"
  std::string model_text;  // "y = b1*(1-exp[-b2*x])  +  e" (lines joined)
  int num_parameters = 0;
  // starts[0] and starts[1]: "Start 1" (far) and "Start 2" (closer).
  std::vector<Eigen::VectorXd> starts;
  Eigen::VectorXd certified_values;
  Eigen::VectorXd certified_standard_deviations;
  double certified_residual_sum_of_squares = 0.0;
  double certified_residual_standard_deviation = 0.0;
  int degrees_of_freedom = 0;
  std::string response_name;                 // "y"
  std::vector<std::string> predictor_names;  // {"x"} or {"x1", "x2"}
  Eigen::VectorXd responses;                 // N
  RowMatrixXd predictors;                    // N × predictor_names.size()

  int NumObservations() const { return static_cast<int>(responses.size()); }
};

// Parses the text of a .dat file (LF or CRLF line ends). `source` names the
// file in error messages, which have the form "source:LINE: what is wrong"
// (a missing section: "source: no '...' line"). Malformed: a parameter line
// without exactly four numbers, parameters out of order or fewer than the
// stated count, a data row with a different number of numbers than the
// header's columns, a non-numeric or non-finite cell, a row count different
// from "Number of Observations", a header without a "y" column.
bool ParseNistDataset(const std::string& text, const std::string& source,
                      NistDataset* dataset, std::string* error);

// Reads and parses a file; an unreadable file is an error naming the path.
bool ReadNistDataset(const std::string& path, NistDataset* dataset,
                     std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_NIST_DATASET_H_
