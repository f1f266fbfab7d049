// libFuzzer target: the NIST StRD .dat reader (problems/nist_dataset.h,
// ParseNistDataset on arbitrary bytes). A successful parse must be
// self-consistent; when the name is one of the 27 NIST models, the model is
// built from the parsed file and evaluated once at both starts.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "problems/nist_dataset.h"
#include "problems/nist_models.h"
#include "problems/nonlinear_regression_model.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  fisheropt::NistDataset dataset;
  std::string error;
  if (!fisheropt::ParseNistDataset(text, "fuzz.dat", &dataset, &error)) {
    Check(!error.empty());
    return 0;
  }
  const int p = dataset.num_parameters;
  Check(p >= 1);
  Check(dataset.starts.size() == 2);
  Check(dataset.starts[0].size() == p && dataset.starts[1].size() == p);
  Check(dataset.certified_values.size() == p);
  Check(dataset.certified_standard_deviations.size() == p);
  Check(dataset.predictors.rows() == dataset.NumObservations());
  Check(static_cast<size_t>(dataset.predictors.cols()) ==
        dataset.predictor_names.size());
  Check(dataset.responses.allFinite() && dataset.predictors.allFinite());

  std::unique_ptr<fisheropt::NonlinearRegressionModel> model =
      fisheropt::CreateNistModel(dataset, &error);
  if (model == nullptr) {
    Check(!error.empty());
    return 0;
  }
  Check(model->NumParameters() == p);
  for (const Eigen::VectorXd& start : dataset.starts) {
    double value = 0.0;
    Eigen::VectorXd gradient(p);
    model->Evaluate(start, &value, &gradient);
  }
  return 0;
}
