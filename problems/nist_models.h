#ifndef FISHEROPT_PROBLEMS_NIST_MODELS_H_
#define FISHEROPT_PROBLEMS_NIST_MODELS_H_

#include <memory>
#include <string>
#include <vector>

#include "problems/nist_dataset.h"
#include "problems/nonlinear_regression_model.h"

namespace fisheropt {

// The 27 model functions of the NIST StRD nonlinear-regression problems,
// written once as templated functors (problems/nist_models.cc) and
// differentiated with ceres::Jet. The formulas are NIST's (each file's
// "Model:" text); Ceres' examples/nist.cc is a second reference. Two points
// where the text needs reading:
//   Roszman1's arctan[b3/(x − b4)] is atan2(b3, x − b4) (as in Ceres): the
//   one-argument atan differs by π at every data point (x − b4 < 0) and does
//   not reproduce the certified residual sum of squares;
//   Nelson is log[y] = b1 − b2·x1·exp[−b3·x2]: the regression is on log y
//   (the model's responses are log y; y ≤ 0 is an error).

// The 27 names in NIST's order of difficulty: lower (Misra1a ... Misra1b),
// average (Kirby2 ... ENSO), higher (MGH09 ... Bennett5).
const std::vector<std::string>& NistModelNames();

// The model function of a NIST problem by name (as in "Dataset Name:"),
// or null with a message listing the names.
std::unique_ptr<RegressionFunction> CreateNistRegressionFunction(
    const std::string& name, std::string* error);

// True for the problems whose response is transformed (Nelson: log y).
bool NistModelUsesLogResponse(const std::string& name);

// The likelihood model of a parsed .dat file: its model function (by the
// dataset's name), predictors and responses (log y for Nelson). Errors: an
// unknown name, a parameter or predictor count that does not match the
// function, a non-positive y for Nelson.
std::unique_ptr<NonlinearRegressionModel> CreateNistModel(
    const NistDataset& dataset, std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_NIST_MODELS_H_
