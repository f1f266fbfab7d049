// libFuzzer target: the CSV reader (problems/csv_reader.h) on arbitrary
// bytes. ParseCsv in one piece, then in pieces of a size taken from the input
// and with small limits: the table, or the error, must not depend on the
// pieces, and a parse within small limits must give the default's table.
// Then every way the fit command builds data from the table (a response and
// every other numeric column, with and without the intercept, dropping
// incomplete rows or not; the sample matrix of mvn; the consuming overloads
// must give what the copying ones give), then what `fit` does next on small
// data: the design's QR and orthonormal basis, each GLM family's model (its
// validation of the responses), its objective and expected Fisher at two
// points, the MLE existence check, and the multivariate normal model.
// The same bytes as a regular file (a memfd) read in parallel ranges and in
// parts, with range sizes, thread and part counts taken from the input:
// ReadCsvFile must give ParseCsv's table or its error, and the parts must
// partition its rows with their lines.
// Invariants of a successful parse are checked, and no message may hold a
// control byte; any crash, sanitizer report or failed check is a finding.

#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "problems/csv_reader.h"
#include "problems/design_diagnostics.h"
#include "problems/glm_model.h"
#include "problems/mle_existence.h"
#include "problems/multivariate_normal_model.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

// What `fit` does with a data set (no optimization: that is the optimizer's
// fuzzing, not the reader's): the design's QR, its orthonormal basis, each
// GLM family's model on the basis (its validation of the responses), its
// objective and expected Fisher at two points, and the linear program that
// decides whether the MLE exists.
void ExerciseModels(const fisheropt::Dataset& dataset) {
  const fisheropt::DesignQr qr = fisheropt::AnalyzeDesign(dataset.x);
  Check(static_cast<Eigen::Index>(qr.aliased.size() + qr.kept.size()) ==
        dataset.x.cols());
  if (qr.kept.empty()) return;
  fisheropt::Dataset basis;
  basis.y = dataset.y;
  basis.x = dataset.x(Eigen::all, qr.kept);
  fisheropt::OrthonormalizeDesign(qr, &basis.x);
  std::vector<std::string> names;
  for (const int j : qr.kept) names.push_back(dataset.column_names[j]);
  const fisheropt::GlmFamilyType families[] = {
      fisheropt::GlmFamilyType::kBernoulliLogit,
      fisheropt::GlmFamilyType::kBernoulliProbit,
      fisheropt::GlmFamilyType::kBernoulliCloglog,
      fisheropt::GlmFamilyType::kPoissonLog,
      fisheropt::GlmFamilyType::kGaussianIdentity};
  const Eigen::Index p = basis.x.cols();
  for (const fisheropt::GlmFamilyType family : families) {
    std::string error;
    auto model = fisheropt::GlmModel::Create(basis, family, &error);
    if (model == nullptr) {
      Check(!error.empty());
      continue;
    }
    Check(model->NumParameters() == p);
    for (const double value : {0.0, 0.5}) {
      const Eigen::VectorXd gamma = Eigen::VectorXd::Constant(p, value);
      double nll = 0.0;
      Eigen::VectorXd gradient(p);
      model->Evaluate(gamma, &nll, &gradient);
      Eigen::MatrixXd fisher;
      if (model->ExpectedFisher(gamma, &fisher)) {
        Check(fisher.rows() == p && fisher.cols() == p);
      }
    }
    if (family == fisheropt::GlmFamilyType::kGaussianIdentity) continue;
    fisheropt::MleExistence existence;
    if (!fisheropt::CheckMleExistence(basis.x, basis.y, family, &existence,
                                      &error)) {
      Check(!error.empty());
    } else if (!existence.exists) {
      Check(existence.direction.size() == p);
      fisheropt::DescribeDirection(
          fisheropt::CoefficientsInDesignBasis(qr, existence.direction), names);
    }
  }
}

// A message is one printable line: text from the input is escaped.
void CheckMessage(const std::string& error) {
  Check(!error.empty());
  for (const char c : error) {
    const auto byte = static_cast<unsigned char>(c);
    Check(byte >= 0x20 && byte != 0x7F);
  }
}

// Cells, lines and names, compared bit for bit.
bool SameTable(const fisheropt::CsvTable& a, const fisheropt::CsvTable& b) {
  if (a.column_names() != b.column_names() || a.NumRows() != b.NumRows()) {
    return false;
  }
  for (int j = 0; j < a.NumColumns(); ++j) {
    if (a.IsNumericColumn(j) != b.IsNumericColumn(j)) return false;
  }
  for (int i = 0; i < a.NumRows(); ++i) {
    if (a.LineNumber(i) != b.LineNumber(i)) return false;
    for (int j = 0; j < a.NumColumns(); ++j) {
      const fisheropt::CsvCell x = a.Cell(i, j);
      const fisheropt::CsvCell y = b.Cell(i, j);
      if (x.kind != y.kind || x.text != y.text ||
          std::memcmp(&x.value, &y.value, sizeof(double)) != 0) {
        return false;
      }
    }
  }
  return true;
}

void CheckTable(const fisheropt::CsvTable& table) {
  Check(table.NumColumns() > 0);
  Check(table.NumRows() > 0);
  // Rows end on non-decreasing lines (records ended by a lone CR share one).
  int64_t previous_line = 1;
  for (int i = 0; i < table.NumRows(); ++i) {
    Check(table.LineNumber(i) >= previous_line);
    previous_line = table.LineNumber(i);
    for (int j = 0; j < table.NumColumns(); ++j) {
      const fisheropt::CsvCell cell = table.Cell(i, j);
      switch (cell.kind) {
        case fisheropt::CsvCellKind::kNumber:
          Check(std::isfinite(cell.value));
          Check(table.IsNumericColumn(j));
          break;
        case fisheropt::CsvCellKind::kNotFinite:
          Check(table.IsNumericColumn(j));
          Check(!cell.text.empty());
          break;
        case fisheropt::CsvCellKind::kNotNumeric:
          Check(!cell.text.empty());
          break;
        case fisheropt::CsvCellKind::kMissing:
          break;
      }
    }
  }
}

// The text as a regular file without a disk (memfd_create), read by
// ReadCsvFile in parallel ranges and by ReadCsvFilePart.
void CheckFileReaders(const uint8_t* data, size_t size, const std::string& text,
                      bool parsed, const fisheropt::CsvTable& table,
                      const std::string& error) {
  const int fd = memfd_create("fuzz_csv_reader", MFD_CLOEXEC);
  if (fd < 0) return;
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  if (written == text.size()) {
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    fisheropt::CsvReadOptions ranges;
    ranges.range_bytes = 1 + (size > 1 ? data[1] % 7 : 0);
    ranges.threads = 1 + (size > 2 ? data[2] % 3 : 0);
    fisheropt::CsvTable from_file;
    std::string file_error;
    Check(fisheropt::ReadCsvFile(path, ranges, &from_file, &file_error) ==
          parsed);
    Check(parsed ? SameTable(table, from_file)
                 : file_error == path + ": " + error);
    const int parts = 1 + (size > 3 ? data[3] % 5 : 0);
    int64_t next_row = 0;
    for (int k = 0; parsed && k < parts; ++k) {
      fisheropt::CsvTable part;
      int64_t first_row = -1;
      Check(fisheropt::ReadCsvFilePart(path, ranges,
                                       fisheropt::CsvPart{k, parts}, &part,
                                       &first_row, &file_error));
      Check(first_row == next_row);
      Check(part.column_names() == table.column_names());
      for (int i = 0; i < part.NumRows(); ++i) {
        const int64_t row = first_row + i;
        Check(row < table.NumRows());
        Check(part.LineNumber(i) == table.LineNumber(static_cast<int>(row)));
        for (int j = 0; j < part.NumColumns(); ++j) {
          const fisheropt::CsvCell x = part.Cell(i, j);
          const fisheropt::CsvCell y = table.Cell(static_cast<int>(row), j);
          Check(x.kind == y.kind && x.text == y.text &&
                std::memcmp(&x.value, &y.value, sizeof(double)) == 0);
        }
      }
      next_row = first_row + part.NumRows();
    }
    Check(!parsed || next_row == table.NumRows());
  }
  close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  fisheropt::CsvTable table;
  std::string error;
  const bool parsed = fisheropt::ParseCsv(text, &table, &error);
  if (!parsed) CheckMessage(error);

  fisheropt::CsvReadOptions pieces;
  pieces.read_block_bytes = size == 0 ? 1 : 1 + data[0] % 13;
  fisheropt::CsvTable in_pieces;
  std::string pieces_error;
  Check(fisheropt::ParseCsv(text, pieces, &in_pieces, &pieces_error) == parsed);
  Check(parsed ? SameTable(table, in_pieces) : pieces_error == error);

  fisheropt::CsvReadOptions small = pieces;
  small.limits.max_field_bytes = 8;
  small.limits.max_record_bytes = 64;
  fisheropt::CsvTable within_limits;
  if (fisheropt::ParseCsv(text, small, &within_limits, &pieces_error)) {
    Check(parsed && SameTable(table, within_limits));
  } else {
    CheckMessage(pieces_error);
  }
  CheckFileReaders(data, size, text, parsed, table, error);
  if (!parsed) return 0;
  CheckTable(table);

  for (int variant = 0; variant < 4; ++variant) {
    fisheropt::DatasetSpec spec;
    spec.response = table.column_names()[0];
    spec.intercept = (variant & 1) == 0;
    spec.drop_incomplete_rows = (variant & 2) != 0;
    fisheropt::Dataset dataset;
    int dropped = 0;
    error.clear();
    if (!fisheropt::BuildDataset(table, spec, &dataset, &dropped, &error)) {
      CheckMessage(error);
      continue;
    }
    if (variant == 3) {
      // The consuming overload, on a copy of the table (in_pieces).
      fisheropt::Dataset consumed;
      int consumed_dropped = 0;
      Check(fisheropt::BuildDataset(std::move(in_pieces), spec, &consumed,
                                    &consumed_dropped, &error));
      Check(in_pieces.NumRows() == 0);
      Check(consumed_dropped == dropped && consumed.x == dataset.x &&
            consumed.y == dataset.y &&
            consumed.column_names == dataset.column_names);
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
        CheckMessage(error);
      }
    }
  } else {
    CheckMessage(error);
  }
  return 0;
}
