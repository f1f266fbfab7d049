#ifndef FISHEROPT_STATS_MODEL_FRAME_H_
#define FISHEROPT_STATS_MODEL_FRAME_H_

#include <Eigen/Core>
#include <map>
#include <string>
#include <vector>

#include "linalg/types.h"
#include "problems/dataset.h"
#include "stats/data_frame.h"
#include "stats/formula.h"

namespace fisheropt {

// Columns of the data frame that enter a model besides the formula.
struct ModelFrameOptions {
  // Prior weights (R's glm(weights = )): a numeric column of values ≥ 0;
  // empty for none.
  std::string weights_column;
  // A numeric column added to the offset() terms of the formula (R's
  // glm(offset = )); empty for none.
  std::string offset_column;
  // Drop the rows with a missing value in a used column (R's na.omit) and
  // count them in ModelFrame::rows_dropped; otherwise such a row is an
  // error naming the column and the line.
  bool drop_incomplete_rows = false;
  // Levels, by variable label ("region", "factor(cyl)"), that a factor has
  // besides those among the rows used, sorted in with them: a data-parallel
  // fit (stats/glm_fit.h) passes the union of every process's levels, so
  // that each process codes its part as one process would code all rows.
  // Empty: the levels of the rows used (R's drop.unused.levels).
  std::map<std::string, std::vector<std::string>> extra_factor_levels;
};

// How a factor enters one term's columns.
enum class FactorCoding {
  kNumeric,     // not a factor: the variable's values
  kContrasts,   // treatment contrasts: a dummy for each level but the first
  kIndicators,  // a dummy for every level
};

// A variable of the formula as the fit saw it.
struct ModelVariable {
  std::string label;  // R's label: "wool", "factor(cyl)", "log(x)"
  bool is_factor = false;
  // A factor's levels among the rows used, in R's order: sorted bytewise
  // (the C locale) for a text column, by value for factor() of numbers
  // (labelled as R's as.character: "4", "6", "8").
  std::vector<std::string> levels;
};

// One term's coding: per variable of the term, how it enters (R's
// model.matrix: a factor is coded by contrasts when the term without it is
// the intercept or is contained in an earlier term, else by indicators; in
// a model without intercept the first factor of the first term holding a
// factor is coded by indicators).
struct ModelTermCoding {
  std::vector<int> variables;  // indices into ModelFrame::variables
  std::vector<FactorCoding> codings;
};

// A formula applied to a data frame: the design matrix and response as a
// Dataset, and everything needed to code new data the same way.
struct ModelFrame {
  // X with R's model.matrix columns and names, y, response_name (R's label
  // of the response), prior weights and offset (empty when there are none).
  Dataset data;
  std::string formula_text;
  Formula formula;                            // with `.` expanded
  std::vector<ModelVariable> variables;       // one per formula.variables
  std::vector<ModelTermCoding> term_codings;  // one per formula.terms
  // The data frame's columns that entered the model (response, terms,
  // offsets, weights, offset column), each once, in that order.
  std::vector<std::string> variables_used;
  std::string offset_column;  // ModelFrameOptions::offset_column
  // The rows of the data frame that make the rows of `data`, in order.
  std::vector<int> rows_used;
  int rows_dropped = 0;

  // The factors' levels: "wool: A, B; tension: H, L, M" (empty without
  // factors).
  std::string DescribeFactors() const;
};

// Builds the model frame and design matrix of `formula` on `frame` with
// R's model.frame and model.matrix semantics:
// - an intercept column "(Intercept)" first, unless the formula removes it;
// - text columns and factor(x) are factors, coded as ModelTermCoding says,
//   dummy columns named label + level ("woolB", "factor(cyl)6"), an
//   interaction's columns named "woolB:tensionM" with its first variable
//   varying fastest; a factor coded by contrasts needs two levels;
// - numeric variables are evaluated on each row (log, exp, sqrt, log2,
//   log10, abs, I() arithmetic); a non-finite value is an error naming the
//   variable and the line;
// - `.` is every column except the response's, the weights and the offset
//   column;
// - offset() terms and options.offset_column add up into data.offset;
// - options.weights_column fills data.weights; a negative weight is an
//   error naming the column and the line;
// - cbind(s, f) ~ ... sets y = s/(s + f) (0 where s + f = 0) and weights
//   s + f times the prior weights, as R's binomial family; a negative or
//   fractional count is an error naming the line;
// - a missing value in a used column (the weights and offset columns
//   included) is an error naming the column and the line, unless
//   options.drop_incomplete_rows.
// An unknown column is an error naming it and listing the columns; the
// response as a term of its own (y ~ y + x) is an error.
bool BuildModelFrame(const Formula& formula, const DataFrame& frame,
                     const ModelFrameOptions& options, ModelFrame* model_frame,
                     std::string* error);

// The variables of `formula` on `frame` as BuildModelFrame would code them
// (labels, and each factor's levels among the rows used), without building
// the design: a factor with one level is not an error here. What a
// data-parallel fit gathers before it builds its frame.
bool ModelFrameVariables(const Formula& formula, const DataFrame& frame,
                         const ModelFrameOptions& options,
                         std::vector<ModelVariable>* variables,
                         std::string* error);

// Codes `newdata` as the fit coded its data: the same columns in the same
// order, factors with the fit's levels, and the offset (offset() terms plus
// the offset column, which newdata must hold; empty when the fit has no
// offset). The response is not needed. A missing value, a level the fit
// never saw, or a text column where the fit had numbers is an error naming
// the variable and the line.
bool BuildPredictionDesign(const ModelFrame& fitted, const DataFrame& newdata,
                           RowMatrixXd* x, Eigen::VectorXd* offset,
                           std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_STATS_MODEL_FRAME_H_
