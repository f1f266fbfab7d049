#include "stats/glm_json.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "problems/glm_family.h"
#include "problems/glm_link.h"
#include "stats/formula.h"

namespace fisheropt {
namespace {

using Json = nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Json NumberOrNull(double value) {
  return std::isfinite(value) ? Json(value) : Json();
}

Json MatrixJson(const Eigen::MatrixXd& matrix) {
  Json rows = Json::array();
  for (Eigen::Index i = 0; i < matrix.rows(); ++i) {
    Json row = Json::array();
    for (Eigen::Index j = 0; j < matrix.cols(); ++j) {
      row.push_back(NumberOrNull(matrix(i, j)));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// The command line's names of the covariance sources (fit --covariance).
const char* CovarianceName(CovarianceSource source) {
  switch (source) {
    case CovarianceSource::kInverseObservedInformation:
      return "observed";
    case CovarianceSource::kSandwich:
      return "sandwich";
    case CovarianceSource::kInverseFisher:
      break;
  }
  return "fisher";
}

const char* CodingName(FactorCoding coding) {
  switch (coding) {
    case FactorCoding::kContrasts:
      return "contrasts";
    case FactorCoding::kIndicators:
      return "indicators";
    case FactorCoding::kNumeric:
      break;
  }
  return "numeric";
}

bool CodingFromName(const std::string& name, FactorCoding* coding) {
  if (name == "numeric") {
    *coding = FactorCoding::kNumeric;
  } else if (name == "contrasts") {
    *coding = FactorCoding::kContrasts;
  } else if (name == "indicators") {
    *coding = FactorCoding::kIndicators;
  } else {
    return false;
  }
  return true;
}

Json FrameJson(const ModelFrame& frame) {
  Json variables = Json::array();
  for (const ModelVariable& variable : frame.variables) {
    variables.push_back({{"label", variable.label},
                         {"is_factor", variable.is_factor},
                         {"levels", variable.levels}});
  }
  Json terms = Json::array();
  for (const ModelTermCoding& term : frame.term_codings) {
    Json codings = Json::array();
    for (const FactorCoding coding : term.codings) {
      codings.push_back(CodingName(coding));
    }
    terms.push_back({{"variables", term.variables}, {"codings", codings}});
  }
  return {{"variables", variables},
          {"term_codings", terms},
          {"offset_column", frame.offset_column},
          {"intercept", frame.formula.intercept}};
}

// A number or null (NaN).
double NumberOf(const Json& value) {
  return value.is_number() ? value.get<double>() : kNaN;
}

// The variable whose R label is `label`, parsed alone.
bool ParseVariable(const std::string& label, FormulaExpr* expr,
                   std::string* error) {
  Formula formula;
  if (!ParseFormula("y ~ " + label, &formula, error)) return false;
  if (formula.variables.size() != 1 || formula.variables[0].Label() != label) {
    *error = "variable '" + label + "' does not parse as one variable";
    return false;
  }
  *expr = formula.variables[0];
  return true;
}

// The model frame's coding from the "frame" object, on the formula `text`.
// Throws nlohmann::json's exceptions on fields of the wrong type.
bool FrameFromJson(const std::string& text, const Json& json, ModelFrame* frame,
                   std::string* error) {
  frame->formula_text = text;
  Formula& formula = frame->formula;
  if (!ParseFormula(text, &formula, error)) return false;
  frame->offset_column = json.at("offset_column").get<std::string>();
  formula.intercept = json.at("intercept").get<bool>();
  formula.has_dot = false;
  // The variables and terms are those the fit stored: `.` expanded to the
  // fit's columns, in the fit's order.
  formula.variables.clear();
  frame->variables.clear();
  for (const Json& item : json.at("variables")) {
    ModelVariable variable;
    variable.label = item.at("label").get<std::string>();
    variable.is_factor = item.at("is_factor").get<bool>();
    variable.levels = item.at("levels").get<std::vector<std::string>>();
    FormulaExpr expr;
    if (!ParseVariable(variable.label, &expr, error)) return false;
    formula.variables.push_back(std::move(expr));
    frame->variables.push_back(std::move(variable));
  }
  const int num_variables = static_cast<int>(frame->variables.size());
  formula.terms.clear();
  frame->term_codings.clear();
  for (const Json& item : json.at("term_codings")) {
    ModelTermCoding coding;
    coding.variables = item.at("variables").get<std::vector<int>>();
    FormulaTerm term;
    for (const int v : coding.variables) {
      if (v < 0 || v >= num_variables) {
        *error = "a term refers to variable " + std::to_string(v) + " of " +
                 std::to_string(num_variables);
        return false;
      }
      term.label += (term.label.empty() ? "" : ":") + frame->variables[v].label;
    }
    for (const Json& name : item.at("codings")) {
      FactorCoding factor_coding;
      if (!CodingFromName(name.get<std::string>(), &factor_coding)) {
        *error = "unknown coding '" + name.get<std::string>() + "'";
        return false;
      }
      coding.codings.push_back(factor_coding);
    }
    if (coding.codings.size() != coding.variables.size()) {
      *error = "a term has " + std::to_string(coding.variables.size()) +
               " variables but " + std::to_string(coding.codings.size()) +
               " codings";
      return false;
    }
    term.variables = coding.variables;
    formula.terms.push_back(std::move(term));
    frame->term_codings.push_back(std::move(coding));
  }
  return true;
}

bool Restore(const Json& json, GlmFit* fit, std::string* error) {
  if (!json.is_object()) {
    *error = "not a JSON object";
    return false;
  }
  const auto version = json.find("schema_version");
  const bool has_version = version != json.end();
  if (has_version && (!version->is_number_integer() || *version != 1)) {
    *error = "schema_version " + version->dump() + ", expected 1";
    return false;
  }
  const auto family = json.find("family");
  if (family == json.end()) {
    *error = "not a GLM fit (model " +
             (json.contains("model") ? json["model"].dump() : "unknown") + ")";
    return false;
  }
  if (!has_version) {
    *error = "schema_version missing, expected 1";
    return false;
  }
  if (!json.contains("formula") || !json.contains("frame")) {
    *error = "the fit has no formula";
    return false;
  }
  GlmFit result;
  std::string family_name = family->get<std::string>();
  if (family_name == "quasipoisson" || family_name == "quasibinomial") {
    result.quasi_likelihood = true;
    family_name = family_name.substr(5);
  }
  const std::string link_name = json.at("link").get<std::string>();
  if (!FromString(family_name, &result.distribution) ||
      !FromString(link_name, &result.link)) {
    *error = "unknown family or link '" + family->get<std::string>() + "(" +
             link_name + ")'";
    return false;
  }
  result.response_name = json.value("response", "");
  result.num_observations = json.at("num_observations").get<int>();
  result.df_residual = json.at("df_residual").get<int>();
  result.df_null = json.at("df_null").get<int>();
  result.rank = json.value("rank", 0);
  result.has_intercept = json.value("has_intercept", false);
  result.converged = json.at("converged").get<bool>();
  result.mle_exists = json.at("mle_exists").get<bool>();
  result.deviance = NumberOf(json.at("deviance"));
  result.null_deviance = NumberOf(json.at("null_deviance"));
  result.log_likelihood = NumberOf(json.at("log_likelihood"));
  result.aic = NumberOf(json.at("aic"));
  result.bic = NumberOf(json.at("bic"));
  result.dispersion = NumberOf(json.at("dispersion"));
  result.pearson_chi2 = NumberOf(json.at("pearson_chi2"));
  if (json.contains("rows_per_process")) {
    result.rows_per_process =
        json.at("rows_per_process").get<std::vector<long>>();
  }
  if (json.contains("sigma2_mle")) {
    result.sigma2_mle = NumberOf(json["sigma2_mle"]);
  }
  result.warnings = json.value("warnings", std::vector<std::string>());

  const Json& coefficients = json.at("coefficients");
  const int p = static_cast<int>(coefficients.size());
  const std::string statistic = json.value("statistic", "z");
  InferenceResult& inference = result.inference;
  inference.degrees_of_freedom =
      statistic == "t" ? static_cast<double>(result.df_residual) : 0.0;
  result.estimates.resize(p);
  for (int k = 0; k < p; ++k) {
    const Json& c = coefficients[k];
    CoefficientInference row;
    row.name = c.at("name").get<std::string>();
    row.estimate = NumberOf(c.at("estimate"));
    row.standard_error = NumberOf(c.at("std_error"));
    row.statistic = c.contains(statistic) ? NumberOf(c[statistic]) : kNaN;
    row.p_value = NumberOf(c.at("p_value"));
    row.aliased = c.at("aliased").get<bool>();
    result.names.push_back(row.name);
    result.aliased.push_back(row.aliased);
    result.estimates[k] = row.estimate;
    if (row.aliased) inference.aliased.push_back(row.name);
    inference.coefficients.push_back(std::move(row));
  }
  const Json& covariance = json.at("covariance");
  if (static_cast<int>(covariance.size()) != p) {
    *error = "the covariance has " + std::to_string(covariance.size()) +
             " rows for " + std::to_string(p) + " coefficients";
    return false;
  }
  inference.covariance.resize(p, p);
  for (int i = 0; i < p; ++i) {
    if (static_cast<int>(covariance[i].size()) != p) {
      *error = "row " + std::to_string(i + 1) + " of the covariance has " +
               std::to_string(covariance[i].size()) + " entries for " +
               std::to_string(p) + " coefficients";
      return false;
    }
    for (int j = 0; j < p; ++j) {
      inference.covariance(i, j) = NumberOf(covariance[i][j]);
    }
  }
  for (int k = 0; k < p; ++k) {
    if (!result.aliased[k] && !std::isfinite(result.estimates[k])) {
      *error = "coefficient '" + result.names[k] +
               "' has no estimate but is not aliased";
      return false;
    }
  }
  if (!FrameFromJson(json.at("formula").get<std::string>(), json.at("frame"),
                     &result.frame, error)) {
    *error = "formula: " + *error;
    return false;
  }
  result.frame.variables_used =
      json.value("variables_used", std::vector<std::string>());
  *fit = std::move(result);
  return true;
}

}  // namespace

std::string GlmFitToJson(const GlmFit& fit, const std::string& model,
                         const std::string& optimizer) {
  const InferenceResult& inference = fit.inference;
  Json json;
  json["schema_version"] = 1;
  if (!model.empty()) json["model"] = model;
  json["family"] = fit.FamilyName();
  json["link"] = fit.LinkName();
  json["response"] = fit.response_name;
  if (!fit.frame.formula_text.empty()) {
    json["formula"] = fit.frame.formula_text;
    json["variables_used"] = fit.frame.variables_used;
    json["frame"] = FrameJson(fit.frame);
  }
  if (!optimizer.empty()) json["optimizer"] = optimizer;
  json["converged"] = fit.converged;
  json["mle_exists"] = fit.mle_exists;
  json["num_observations"] = fit.num_observations;
  json["rank"] = fit.rank;
  json["has_intercept"] = fit.has_intercept;
  json["df_residual"] = fit.df_residual;
  json["df_null"] = fit.df_null;
  json["bic"] = NumberOrNull(fit.bic);
  json["pearson_chi2"] = fit.pearson_chi2;
  json["iterations"] = fit.summary.num_iterations();
  // The processes that held the rows (one outside mpirun) and their rows.
  json["processes"] = std::max<size_t>(1, fit.rows_per_process.size());
  json["rows_per_process"] = fit.rows_per_process;
  json["log_likelihood"] = NumberOrNull(fit.log_likelihood);
  json["deviance"] = fit.deviance;
  json["null_deviance"] = fit.null_deviance;
  json["aic"] = NumberOrNull(fit.aic);
  // The command line's --covariance name: fisher, observed, sandwich, or
  // R's HC0 ... HC3 (with the number of clusters of a cluster-robust one).
  json["covariance_source"] = fit.robust != RobustCovariance::kNone
                                  ? ToString(fit.robust)
                                  : CovarianceName(inference.covariance_source);
  if (fit.num_clusters > 0) json["clusters"] = fit.num_clusters;
  const std::string statistic = inference.StatisticName();
  json["statistic"] = statistic;
  Json coefficients = Json::array();
  for (const CoefficientInference& c : inference.coefficients) {
    coefficients.push_back({{"name", c.name},
                            {"estimate", NumberOrNull(c.estimate)},
                            {"std_error", NumberOrNull(c.standard_error)},
                            {statistic, NumberOrNull(c.statistic)},
                            {"p_value", NumberOrNull(c.p_value)},
                            {"aliased", c.aliased}});
  }
  json["coefficients"] = coefficients;
  json["covariance"] = MatrixJson(inference.covariance);
  json["dispersion"] = NumberOrNull(fit.dispersion);
  if (fit.distribution == GlmDistribution::kGaussian) {
    json["sigma2_mle"] = NumberOrNull(fit.sigma2_mle);
  }
  json["warnings"] = fit.warnings;
  return json.dump(2, ' ', /*ensure_ascii=*/false,
                   Json::error_handler_t::replace) +
         "\n";
}

bool GlmFitFromJson(const std::string& text, GlmFit* fit, std::string* error) {
  try {
    const Json json = Json::parse(text);
    return Restore(json, fit, error);
  } catch (const std::exception& e) {
    // nlohmann's messages are one line: "[json.exception.parse_error.101]
    // parse error at line 1, column 1: ...".
    *error = e.what();
    return false;
  }
}

bool NumericModelFrame(const std::string& formula_text, ModelFrame* frame,
                       std::string* error) {
  ModelFrame result;
  result.formula_text = formula_text;
  if (!ParseFormula(formula_text, &result.formula, error)) return false;
  for (const FormulaExpr& expr : result.formula.variables) {
    ModelVariable variable;
    variable.label = expr.Label();
    result.variables.push_back(std::move(variable));
  }
  for (const FormulaTerm& term : result.formula.terms) {
    ModelTermCoding coding;
    coding.variables = term.variables;
    coding.codings.assign(term.variables.size(), FactorCoding::kNumeric);
    result.term_codings.push_back(std::move(coding));
  }
  *frame = std::move(result);
  return true;
}

bool AttachNumericModelFrame(GlmFit* fit, std::string* error) {
  if (!fit->frame.formula_text.empty()) return true;
  std::string formula = FormulaTermName(fit->response_name) + " ~ ";
  int terms = 0;
  for (const std::string& name : fit->names) {
    if (name == "(Intercept)") continue;
    formula += (terms++ > 0 ? " + " : "") + FormulaTermName(name);
  }
  if (terms == 0) formula += "1";
  if (!fit->has_intercept) formula += " - 1";
  return NumericModelFrame(formula, &fit->frame, error);
}

}  // namespace fisheropt
