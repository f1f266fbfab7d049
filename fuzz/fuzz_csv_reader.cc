// libFuzzer target: the CSV reader (problems/csv_reader.h) on arbitrary
// bytes. ParseCsv, then every way the fit command builds data from the
// table (a response and every other numeric column, with and without the
// intercept, dropping incomplete rows or not; the sample matrix of mvn), then
// the aliasing check on the design. Invariants of a successful parse are
// checked; any crash, sanitizer report or failed check is a finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "problems/csv_reader.h"
#include "problems/design_diagnostics.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
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
    // The aliasing check is O(p^2 N): only on small designs.
    if (dataset.x.cols() <= 32 && dataset.x.rows() <= 256) {
      for (int column : fisheropt::FindAliasedColumns(dataset.x)) {
        Check(column >= 0 && column < dataset.x.cols());
      }
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
  } else {
    Check(!error.empty());
  }
  return 0;
}
