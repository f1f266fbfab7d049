#include "problems/dataset.h"

#include <cmath>
#include <sstream>

namespace fisheropt {

bool Dataset::IsValid(std::string* error) const {
  std::ostringstream message;
  if (x.rows() == 0 || x.cols() == 0) {
    message << "dataset is empty: X is " << x.rows() << " x " << x.cols();
  } else if (y.size() != x.rows()) {
    message << "dimension mismatch: X has " << x.rows() << " rows but y has "
            << y.size() << " entries";
  } else if (!column_names.empty() &&
             column_names.size() != static_cast<size_t>(x.cols())) {
    message << "dimension mismatch: X has " << x.cols() << " columns but "
            << column_names.size() << " column names were given";
  } else if (HasWeights() && weights.size() != x.rows()) {
    message << "dimension mismatch: X has " << x.rows()
            << " rows but weights has " << weights.size() << " entries";
  } else if (HasOffset() && offset.size() != x.rows()) {
    message << "dimension mismatch: X has " << x.rows()
            << " rows but offset has " << offset.size() << " entries";
  } else {
    const std::vector<std::string> names = ColumnNamesOrDefault(*this);
    for (Eigen::Index i = 0; i < x.rows() && message.tellp() == 0; ++i) {
      for (Eigen::Index j = 0; j < x.cols(); ++j) {
        if (!std::isfinite(x(i, j))) {
          message << "non-finite value " << x(i, j) << " in row " << i
                  << ", column '" << names[j] << "'";
          break;
        }
      }
      if (message.tellp() == 0 && !std::isfinite(y[i])) {
        message << "non-finite response " << y[i] << " in row " << i;
      } else if (message.tellp() == 0 && HasWeights() &&
                 !(std::isfinite(weights[i]) && weights[i] >= 0.0)) {
        message << "weight " << weights[i] << " in row " << i
                << " must be finite and >= 0";
      } else if (message.tellp() == 0 && HasOffset() &&
                 !std::isfinite(offset[i])) {
        message << "non-finite offset " << offset[i] << " in row " << i;
      }
    }
  }
  if (message.tellp() == 0) return true;
  if (error != nullptr) *error = message.str();
  return false;
}

std::vector<std::string> ColumnNamesOrDefault(const Dataset& data) {
  if (!data.column_names.empty()) return data.column_names;
  std::vector<std::string> names;
  for (int j = 0; j < data.NumFeatures(); ++j) {
    names.push_back("x" + std::to_string(j));
  }
  return names;
}

}  // namespace fisheropt
