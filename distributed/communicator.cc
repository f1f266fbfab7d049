#include "distributed/communicator.h"

#include <algorithm>
#include <cmath>

namespace fisheropt {

void Communicator::SumInPlace(double* values, std::int64_t n) const {
  values_summed_ += n;
  ReduceInPlace(values, n,
                [](double* left, const double* right, std::int64_t count) {
                  for (std::int64_t i = 0; i < count; ++i) left[i] += right[i];
                });
}

void Communicator::MaxInPlace(double* values, std::int64_t n) const {
  ReduceInPlace(values, n,
                [](double* left, const double* right, std::int64_t count) {
                  for (std::int64_t i = 0; i < count; ++i) {
                    left[i] = std::max(left[i], right[i]);
                  }
                });
}

void Communicator::SumSymmetricInPlace(Eigen::MatrixXd* matrix) const {
  const Eigen::Index p = matrix->rows();
  std::vector<double> packed;
  packed.reserve(static_cast<size_t>(p * (p + 1) / 2));
  for (Eigen::Index j = 0; j < p; ++j) {
    for (Eigen::Index i = j; i < p; ++i) packed.push_back((*matrix)(i, j));
  }
  SumInPlace(packed.data(), static_cast<std::int64_t>(packed.size()));
  size_t k = 0;
  for (Eigen::Index j = 0; j < p; ++j) {
    for (Eigen::Index i = j; i < p; ++i) {
      (*matrix)(i, j) = (*matrix)(j, i) = packed[k++];
    }
  }
}

std::int64_t Communicator::Sum(std::int64_t value) const {
  double total = static_cast<double>(value);
  SumInPlace(&total, 1);
  return static_cast<std::int64_t>(std::llround(total));
}

bool Communicator::AgreeOk(bool ok, std::string* message) const {
  // "1" for ok, "0" + the message otherwise.
  const std::vector<std::string> all =
      AllGather(ok ? std::string("1")
                   : "0" + (message != nullptr ? *message : std::string()));
  for (const std::string& text : all) {
    if (!text.empty() && text[0] == '1') continue;
    if (message != nullptr) *message = text.substr(1);
    return false;
  }
  return true;
}

RowRange PartOfRows(std::int64_t num_rows, int part, int parts) {
  const std::int64_t base = num_rows / parts;
  const std::int64_t extra = num_rows % parts;
  RowRange range;
  range.begin = part * base + std::min<std::int64_t>(part, extra);
  range.count = base + (part < extra ? 1 : 0);
  return range;
}

}  // namespace fisheropt
