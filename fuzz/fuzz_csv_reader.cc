// libFuzzer target: the CSV reader (problems/csv_reader.h) on arbitrary
// bytes. ParseCsv, then every way the fit command builds data from the
// table (a response and every other numeric column, with and without the
// intercept, dropping incomplete rows or not; the sample matrix of mvn), then
// what `fit` does next on small data: the aliasing check, each GLM family's
// model (its validation of the responses), its objective and expected Fisher
// at two points, the separation check, and the multivariate normal model.
// Invariants of a successful parse are checked; any crash, sanitizer report
// or failed check is a finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "problems/csv_reader.h"
#include "problems/design_diagnostics.h"
#include "problems/glm_model.h"
#include "problems/multivariate_normal_model.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

// The models `fit` builds from a data set (no optimization: that is the
// optimizer's fuzzing, not the reader's).
void ExerciseModels(const fisheropt::Dataset& dataset) {
  const fisheropt::GlmFamilyType families[] = {
      fisheropt::GlmFamilyType::kBernoulliLogit,
      fisheropt::GlmFamilyType::kBernoulliProbit,
      fisheropt::GlmFamilyType::kBernoulliCloglog,
      fisheropt::GlmFamilyType::kPoissonLog,
      fisheropt::GlmFamilyType::kGaussianIdentity};
  const Eigen::Index p = dataset.x.cols();
  for (const fisheropt::GlmFamilyType family : families) {
    std::string error;
    auto model = fisheropt::GlmModel::Create(dataset, family, &error);
    if (model == nullptr) {
      Check(!error.empty());
      continue;
    }
    Check(model->NumParameters() == p);
    for (const double value : {0.0, 0.5}) {
      const Eigen::VectorXd beta = Eigen::VectorXd::Constant(p, value);
      double nll = 0.0;
      Eigen::VectorXd gradient(p);
      model->Evaluate(beta, &nll, &gradient);
      Eigen::MatrixXd fisher;
      if (model->ExpectedFisher(beta, &fisher)) {
        Check(fisher.rows() == p && fisher.cols() == p);
      }
    }
    const fisheropt::SeparationCheck separation = fisheropt::CheckSeparation(
        dataset.x, dataset.y, Eigen::VectorXd::Constant(p, 0.5));
    if (separation.separated) {
      fisheropt::DescribeDirection(separation.direction,
                                   model->ParameterNames());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  fisheropt::CsvTable table;
  std::string error;
  if (!fisheropt::ParseCsv(text, &table, &error)) {
    Check(!error.empty());
    return 0;
  }
  Check(!table.column_names.empty());
  Check(table.NumRows() > 0);
  Check(table.line_numbers.size() == table.rows.size());
  for (const auto& row : table.rows) {
    Check(row.size() == table.column_names.size());
  }

  for (int variant = 0; variant < 4; ++variant) {
    fisheropt::DatasetSpec spec;
    spec.response = table.column_names[0];
    spec.intercept = (variant & 1) == 0;
    spec.drop_incomplete_rows = (variant & 2) != 0;
    fisheropt::Dataset dataset;
    int dropped = 0;
    error.clear();
    if (!fisheropt::BuildDataset(table, spec, &dataset, &dropped, &error)) {
      Check(!error.empty());
      continue;
    }
    Check(dataset.x.rows() == dataset.y.size());
    Check(dataset.x.rows() + dropped == table.NumRows());
    Check(static_cast<size_t>(dataset.x.cols()) == dataset.column_names.size());
    Check(dataset.x.allFinite() && dataset.y.allFinite());
    // The aliasing check and the models cost O(p^2 N): small designs only.
    if (dataset.x.cols() <= 16 && dataset.x.rows() <= 256) {
      for (int column : fisheropt::FindAliasedColumns(dataset.x)) {
        Check(column >= 0 && column < dataset.x.cols());
      }
      if (variant == 0) ExerciseModels(dataset);
    }
  }

  fisheropt::RowMatrixXd samples;
  std::vector<std::string> names;
  int dropped = 0;
  error.clear();
  if (fisheropt::BuildSampleMatrix(table, {}, /*drop_incomplete_rows=*/true,
                                   &samples, &names, &dropped, &error)) {
    Check(samples.rows() + dropped == table.NumRows());
    Check(static_cast<size_t>(samples.cols()) == names.size());
    Check(samples.allFinite());
    if (samples.cols() <= 16 && samples.rows() <= 256) {
      auto model = fisheropt::MultivariateNormalModel::Create(samples, &error);
      if (model != nullptr) {
        double nll = 0.0;
        Eigen::VectorXd theta = Eigen::VectorXd::Zero(model->NumParameters());
        Eigen::VectorXd gradient(model->NumParameters());
        model->Evaluate(theta, &nll, &gradient);
      } else {
        Check(!error.empty());
      }
    }
  } else {
    Check(!error.empty());
  }
  return 0;
}
