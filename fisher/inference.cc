#include "fisher/inference.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "fisher/distributions.h"

namespace fisheropt {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string FormatDouble(double value) {
  std::ostringstream stream;
  stream << value;
  return stream.str();
}

// The Cholesky visit in θ order (see inference.h): indices of the kept
// parameters, or false with a message when a pivot is clearly negative
// (the matrix is indefinite on the kept parameters).
bool FindIdentifiedParameters(const Eigen::MatrixXd& bread, double tolerance,
                              const std::vector<std::string>& names,
                              std::vector<int>* kept, std::string* error) {
  const int p = static_cast<int>(bread.rows());
  // Columns of the Cholesky factor for the kept parameters: l(k, j) for
  // kept j; the pivot of k is bread(k, k) − Σ_j l(k, j)².
  Eigen::MatrixXd factor = Eigen::MatrixXd::Zero(p, p);
  kept->clear();
  for (int k = 0; k < p; ++k) {
    const double diagonal = bread(k, k);
    double pivot = diagonal;
    for (int column = 0; column < static_cast<int>(kept->size()); ++column) {
      pivot -= factor(k, column) * factor(k, column);
    }
    if (!(diagonal > 0.0) || pivot <= tolerance * diagonal) {
      if (diagonal < 0.0 || pivot < -std::sqrt(tolerance) * diagonal) {
        if (error != nullptr) {
          *error =
              "the curvature is not positive semidefinite at this point "
              "(pivot " +
              FormatDouble(pivot) + " for parameter '" + names[k] +
              "'); is θ the MLE?";
        }
        return false;
      }
      continue;  // Aliased.
    }
    const int column = static_cast<int>(kept->size());
    const double root = std::sqrt(pivot);
    factor(k, column) = root;
    for (int i = k + 1; i < p; ++i) {
      double entry = bread(i, k);
      for (int j = 0; j < column; ++j) entry -= factor(i, j) * factor(k, j);
      factor(i, column) = entry / root;
    }
    kept->push_back(k);
  }
  return true;
}

Eigen::MatrixXd Submatrix(const Eigen::MatrixXd& matrix,
                          const std::vector<int>& indices) {
  const int q = static_cast<int>(indices.size());
  Eigen::MatrixXd sub(q, q);
  for (int i = 0; i < q; ++i) {
    for (int j = 0; j < q; ++j) sub(i, j) = matrix(indices[i], indices[j]);
  }
  return sub;
}

std::string FormatNumber(double value, const char* format) {
  if (std::isnan(value)) return "NA";
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), format, value);
  return buffer;
}

std::string FormatPValue(double p) {
  if (std::isnan(p)) return "NA";
  if (p < 2e-16) return "<2e-16";
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), p < 1e-4 ? "%.2e" : "%.4g", p);
  return buffer;
}

std::string Stars(double p) {
  if (std::isnan(p)) return "";
  if (p < 0.001) return "***";
  if (p < 0.01) return "**";
  if (p < 0.05) return "*";
  if (p < 0.1) return ".";
  return "";
}

}  // namespace

std::string ToString(CovarianceSource source) {
  switch (source) {
    case CovarianceSource::kInverseFisher:
      return "inverse_fisher";
    case CovarianceSource::kInverseObservedInformation:
      return "inverse_observed_information";
    case CovarianceSource::kSandwich:
      return "sandwich";
  }
  return "unknown";
}

bool FromString(const std::string& name, CovarianceSource* source) {
  for (CovarianceSource candidate :
       {CovarianceSource::kInverseFisher,
        CovarianceSource::kInverseObservedInformation,
        CovarianceSource::kSandwich}) {
    if (name == ToString(candidate)) {
      *source = candidate;
      return true;
    }
  }
  return false;
}

bool InferenceOptions::IsValid(std::string* error) const {
  std::string message;
  if (!(confidence_level > 0.0 && confidence_level < 1.0)) {
    message = "InferenceOptions::confidence_level = " +
              FormatDouble(confidence_level) + " must be in (0, 1)";
  } else if (!(dispersion > 0.0) || !std::isfinite(dispersion)) {
    message = "InferenceOptions::dispersion = " + FormatDouble(dispersion) +
              " must be finite and > 0";
  } else if (!(degrees_of_freedom >= 0.0) ||
             !std::isfinite(degrees_of_freedom)) {
    message = "InferenceOptions::degrees_of_freedom = " +
              FormatDouble(degrees_of_freedom) +
              " must be finite and >= 0 (0: normal reference)";
  } else if (!(aliasing_tolerance >= 0.0 && aliasing_tolerance < 1.0)) {
    message = "InferenceOptions::aliasing_tolerance = " +
              FormatDouble(aliasing_tolerance) + " must be in [0, 1)";
  }
  if (message.empty()) return true;
  if (error != nullptr) *error = message;
  return false;
}

bool ComputeInferenceFromCurvatures(
    const InferenceOptions& options, const std::vector<std::string>& names,
    const Eigen::VectorXd& theta, const Eigen::MatrixXd& bread,
    const Eigen::MatrixXd* meat, InferenceResult* result, std::string* error) {
  if (!options.IsValid(error)) return false;
  const int p = static_cast<int>(theta.size());
  const bool sandwich =
      options.covariance_source == CovarianceSource::kSandwich;
  std::ostringstream shape_error;
  if (static_cast<int>(names.size()) != p) {
    shape_error << names.size() << " parameter names for " << p
                << " parameters";
  } else if (bread.rows() != p || bread.cols() != p) {
    shape_error << "the curvature is " << bread.rows() << " x " << bread.cols()
                << ", expected " << p << " x " << p;
  } else if (sandwich &&
             (meat == nullptr || meat->rows() != p || meat->cols() != p)) {
    shape_error << "the sandwich needs a " << p << " x " << p
                << " empirical Fisher";
  } else if (!bread.allFinite() || !theta.allFinite() ||
             (sandwich && !meat->allFinite())) {
    shape_error << "non-finite estimate or curvature";
  }
  if (shape_error.tellp() > 0) {
    if (error != nullptr) *error = shape_error.str();
    return false;
  }

  std::vector<int> kept;
  const Eigen::MatrixXd symmetric_bread = 0.5 * (bread + bread.transpose());
  if (!FindIdentifiedParameters(symmetric_bread, options.aliasing_tolerance,
                                names, &kept, error)) {
    return false;
  }
  const int q = static_cast<int>(kept.size());
  Eigen::MatrixXd covariance_kept;
  if (q > 0) {
    Eigen::LLT<Eigen::MatrixXd> cholesky(Submatrix(symmetric_bread, kept));
    if (cholesky.info() != Eigen::Success) {
      if (error != nullptr) {
        *error =
            "the curvature is not positive definite on the identified "
            "parameters; is θ the MLE?";
      }
      return false;
    }
    if (sandwich) {
      // H⁻¹ M H⁻¹ = H⁻¹ (H⁻¹ M)ᵀ for symmetric H and M: two solves.
      const Eigen::MatrixXd half = cholesky.solve(Submatrix(*meat, kept));
      covariance_kept = cholesky.solve(half.transpose());
    } else {
      // The covariance matrix itself is the requested output: solve against
      // the identity once, then scale by the dispersion.
      covariance_kept =
          options.dispersion * cholesky.solve(Eigen::MatrixXd::Identity(q, q));
    }
    covariance_kept = 0.5 * (covariance_kept + covariance_kept.transpose());
  }

  Eigen::MatrixXd covariance = Eigen::MatrixXd::Constant(p, p, kNaN);
  Eigen::VectorXd identified = Eigen::VectorXd::Constant(p, kNaN);
  for (int i = 0; i < q; ++i) {
    identified[kept[i]] = theta[kept[i]];
    for (int j = 0; j < q; ++j) {
      covariance(kept[i], kept[j]) = covariance_kept(i, j);
    }
  }
  return ComputeInferenceFromCovariance(options, names, identified, covariance,
                                        nullptr, result, error);
}

bool ComputeInferenceFromCovariance(const InferenceOptions& options,
                                    const std::vector<std::string>& names,
                                    const Eigen::VectorXd& theta,
                                    const Eigen::MatrixXd& scaled_covariance,
                                    const Eigen::VectorXd* parameter_scale,
                                    InferenceResult* result,
                                    std::string* error) {
  if (!options.IsValid(error)) return false;
  const int p = static_cast<int>(theta.size());
  const Eigen::MatrixXd& covariance = scaled_covariance;
  if (static_cast<int>(names.size()) != p || covariance.rows() != p ||
      covariance.cols() != p ||
      (parameter_scale != nullptr && parameter_scale->size() != p)) {
    if (error != nullptr) {
      *error = std::to_string(names.size()) + " names and a " +
               std::to_string(covariance.rows()) + " x " +
               std::to_string(covariance.cols()) + " covariance for " +
               std::to_string(p) + " parameters";
    }
    return false;
  }
  result->covariance_source = options.covariance_source;
  result->confidence_level = options.confidence_level;
  result->degrees_of_freedom = options.degrees_of_freedom;
  const Eigen::VectorXd scale =
      parameter_scale != nullptr ? *parameter_scale : Eigen::VectorXd::Ones(p);
  const Eigen::VectorXd inverse_scale = scale.cwiseInverse();
  result->covariance =
      inverse_scale.asDiagonal() * covariance * inverse_scale.asDiagonal();
  const bool student = options.degrees_of_freedom > 0.0;
  const double upper_probability = 0.5 * (1.0 + options.confidence_level);
  const double quantile =
      student ? StudentTQuantile(upper_probability, options.degrees_of_freedom)
              : NormalQuantile(upper_probability);
  result->coefficients.assign(p, CoefficientInference());
  result->aliased.clear();
  for (int k = 0; k < p; ++k) {
    CoefficientInference& row = result->coefficients[k];
    row.name = names[k];
    row.estimate = theta[k];
    if (std::isnan(theta[k])) {
      row.aliased = true;
      result->aliased.push_back(names[k]);
    }
    if (std::isnan(theta[k]) || std::isnan(covariance(k, k))) {
      row.standard_error = row.statistic = row.p_value = row.lower = row.upper =
          kNaN;
      continue;
    }
    const double scaled_error = std::sqrt(covariance(k, k));
    row.standard_error = scaled_error / scale[k];
    row.statistic = (row.estimate * scale[k]) / scaled_error;
    const double magnitude = std::abs(row.statistic);
    row.p_value =
        student ? 2.0 * StudentTUpperTail(magnitude, options.degrees_of_freedom)
                : 2.0 * NormalUpperTail(magnitude);
    row.lower = row.estimate - quantile * row.standard_error;
    row.upper = row.estimate + quantile * row.standard_error;
  }
  return true;
}

bool ComputeInference(const InferenceOptions& options,
                      const LikelihoodModel& model,
                      const Eigen::VectorXd& theta, InferenceResult* result,
                      std::string* error) {
  if (!options.IsValid(error)) return false;
  if (theta.size() != model.NumParameters()) {
    if (error != nullptr) {
      *error = "θ has " + std::to_string(theta.size()) + " entries; model '" +
               model.Name() + "' has " + std::to_string(model.NumParameters()) +
               " parameters";
    }
    return false;
  }
  Eigen::MatrixXd bread, meat;
  bool available = false;
  std::string missing;
  switch (options.covariance_source) {
    case CovarianceSource::kInverseFisher:
      available = model.ExpectedFisher(theta, &bread);
      missing = "closed-form expected Fisher";
      break;
    case CovarianceSource::kInverseObservedInformation:
    case CovarianceSource::kSandwich:
      available = model.Hessian(theta, &bread);
      missing = "closed-form Hessian";
      break;
  }
  if (!available) {
    if (error != nullptr) {
      *error = "model '" + model.Name() + "' has no " + missing +
               ", which the " + ToString(options.covariance_source) +
               " covariance needs";
    }
    return false;
  }
  const bool sandwich =
      options.covariance_source == CovarianceSource::kSandwich;
  if (sandwich) {
    model.ScoreOuterProductSum(theta, model.ObservedResponses(), &meat);
  }
  return ComputeInferenceFromCurvatures(options, model.ParameterNames(), theta,
                                        bread, sandwich ? &meat : nullptr,
                                        result, error);
}

std::string FormatCoefficientTable(const InferenceResult& result, bool stars,
                                   bool intervals) {
  const std::string stat = result.StatisticName();
  std::vector<std::string> header = {"", "Estimate", "Std. Error",
                                     stat + " value", "Pr(>|" + stat + "|)"};
  char level[64];
  if (intervals) {
    const double tail = 50.0 * (1.0 - result.confidence_level);
    std::snprintf(level, sizeof(level), "%.4g %%", tail);
    header.push_back(level);
    std::snprintf(level, sizeof(level), "%.4g %%", 100.0 - tail);
    header.push_back(level);
  }
  std::vector<std::vector<std::string>> rows;
  for (const CoefficientInference& c : result.coefficients) {
    std::vector<std::string> row = {c.name, FormatNumber(c.estimate, "%.6g"),
                                    FormatNumber(c.standard_error, "%.6g"),
                                    FormatNumber(c.statistic, "%.3f"),
                                    FormatPValue(c.p_value)};
    if (intervals) {
      row.push_back(FormatNumber(c.lower, "%.6g"));
      row.push_back(FormatNumber(c.upper, "%.6g"));
    }
    rows.push_back(row);
  }
  std::vector<size_t> widths(header.size());
  for (size_t j = 0; j < header.size(); ++j) {
    widths[j] = header[j].size();
    for (const auto& row : rows) widths[j] = std::max(widths[j], row[j].size());
  }
  std::ostringstream out;
  auto emit = [&](const std::vector<std::string>& cells,
                  const std::string& suffix) {
    for (size_t j = 0; j < cells.size(); ++j) {
      const std::string padding(widths[j] - cells[j].size(), ' ');
      if (j == 0) {
        out << cells[j] << padding;  // names left-aligned
      } else {
        out << ' ' << padding << cells[j];
      }
    }
    if (!suffix.empty()) out << ' ' << suffix;
    out << '\n';
  };
  emit(header, "");
  for (size_t i = 0; i < rows.size(); ++i) {
    emit(rows[i], stars ? Stars(result.coefficients[i].p_value) : "");
  }
  if (stars) {
    out << "---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' "
           "1\n";
  }
  if (!result.aliased.empty()) {
    out << "(" << result.aliased.size()
        << " not defined because of singularities:";
    for (const std::string& name : result.aliased) out << ' ' << name;
    out << ")\n";
  }
  return out.str();
}

}  // namespace fisheropt
