#ifndef FISHEROPT_TESTS_STATS_R_REFERENCE_H_
#define FISHEROPT_TESTS_STATS_R_REFERENCE_H_

// R's reference numbers for the statistical layer's tests: the files
// tests/data/r/reference/<case>.json and the CSV data sets beside them,
// written by tests/data/r/make_reference.R (tests/data/r/README.md describes
// every field). A number R reports as NA is null in the file and NaN here;
// a missing integer is -1 and a missing text is empty.

#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#ifndef FISHEROPT_TEST_DATA_DIR
#error "FISHEROPT_TEST_DATA_DIR (tests/data) must be defined"
#endif

namespace fisheropt {
namespace testing {

// tests/data/r/<file>.
inline std::string RDataPath(const std::string& file) {
  return std::string(FISHEROPT_TEST_DATA_DIR) + "/r/" + file;
}

// tests/data/r/reference/<case_name>.json.
// R's Insurance$District is a factor of labels "1".."4"; in the CSV file
// they are numbers, so a fit of the CSV says factor(District) where R's
// formula says District, and names the coefficients "factor(District)2",
// ... where R has "District2", .... These two map between the spellings
// (every other formula and name is the same on both sides).
inline std::string FormulaForCsv(const std::string& data_file,
                                 std::string formula) {
  if (data_file == "insurance.csv") {
    formula.replace(formula.find("District"), 8, "factor(District)");
  }
  return formula;
}
inline std::string RNameOfCsvName(std::string name) {
  const std::string from = "factor(District)";
  if (name.rfind(from, 0) == 0) name.replace(0, from.size(), "District");
  return name;
}

inline std::string RReferencePath(const std::string& case_name) {
  return RDataPath("reference/" + case_name + ".json");
}

// The case names of every file in tests/data/r/reference/, sorted.
inline std::vector<std::string> RReferenceCaseNames() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(RDataPath("reference"), error)) {
    if (entry.path().extension() == ".json") {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// One column of a reference's new data (in the file's order): numbers, or
// level labels (text).
struct RColumn {
  std::string name;
  bool is_text = false;
  std::vector<double> numbers;
  std::vector<std::string> labels;

  std::size_t size() const { return is_text ? labels.size() : numbers.size(); }
};

// A fitted model: glm (families poisson, quasipoisson, binomial, Gamma,
// inverse.gaussian), MASS::glm.nb (family "negative.binomial") or
// nnet::multinom (family "multinomial").
struct RReference {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

  std::string case_name;
  std::string call;        // the plain call (iterations are its)
  std::string refit_call;  // the tight call whose numbers are stored
  std::string data_file;   // the CSV in tests/data/r/
  std::string formula, family, link;
  std::string response;  // "cbind(successes, failures)", else empty
  std::string weights;   // prior weight column, else empty
  std::string offset;    // offset expression ("log(Holders)"), else empty
  std::string note;
  // R's coefficient names and numbers; class-major ("class:column") for a
  // multinomial fit.
  std::vector<std::string> names;
  Eigen::VectorXd estimates, std_errors;
  // summary's coefficient table: "z" (fixed dispersion) or "t" (estimated,
  // on df_residual degrees of freedom), the statistics and two-sided
  // p-values; empty for multinomial.
  std::string statistic;
  Eigen::VectorXd statistics, p_values;
  double deviance = kNaN;
  double null_deviance = kNaN;  // NaN for multinomial
  double loglik = kNaN;         // NaN for quasipoisson
  double aic = kNaN, bic = kNaN;
  double dispersion = kNaN;    // summary's; NaN for multinomial
  double pearson_chi2 = kNaN;  // NaN for multinomial
  int df_residual = -1, df_null = -1, rank = -1;
  int nobs = -1;        // the n of BIC (logLik's "nobs")
  int loglik_df = -1;   // the k of AIC and BIC (logLik's "df")
  int iterations = -1;  // fit$iter of the plain call; -1 for multinomial
  int refits = -1;      // glm: how often the tight refit ran
  // glm: heteroskedasticity-consistent standard errors
  // (sandwich::vcovHC(fit2, type = "HC0" ... "HC3")); empty for glm.nb and
  // multinomial. With a cluster column: sandwich::vcovCL(fit2, cluster =,
  // type = "HC0" / "HC1"), else empty.
  Eigen::VectorXd std_errors_hc[4];
  std::string cluster;
  Eigen::VectorXd std_errors_cluster_hc0, std_errors_cluster_hc1;
  // Negative binomial: θ, its standard error and 2·loglik.
  double theta = kNaN, theta_se = kNaN, twologlik = kNaN;
  // predict() at the inline new data; the glm ones with se.fit = TRUE.
  std::vector<RColumn> newdata;
  Eigen::VectorXd predict_link, predict_link_se;
  Eigen::VectorXd predict_response, predict_response_se;
  // Multinomial: classes (the first is the baseline), the coefficient
  // matrix's row (class) and column names, edf, predicted probabilities (one
  // vector per class, in class order), and multinom's own reltol optimum.
  std::vector<std::string> classes, coefficient_rows, coefficient_cols;
  int edf = -1;
  std::vector<Eigen::VectorXd> predict_probs;
  Eigen::VectorXd reltol_estimates, reltol_std_errors;
  double reltol_deviance = kNaN;

  bool IsMultinomial() const { return family == "multinomial"; }
  bool IsNegativeBinomial() const { return family == "negative.binomial"; }
  // Rows of the new data.
  std::size_t NewdataRows() const {
    return newdata.empty() ? 0 : newdata.front().size();
  }
  // The new-data column called `name`, or nullptr.
  const RColumn* NewdataColumn(const std::string& name) const {
    for (const RColumn& column : newdata) {
      if (column.name == name) return &column;
    }
    return nullptr;
  }
};

// anova(m_small, m_big, test = "LRT" or "F") of two nested glm fits.
struct RAnovaReference {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

  std::string case_name, call, small_call, big_call, test, data_file, family;
  std::vector<std::string> formulas;  // small, big
  std::vector<int> resid_df;          // small, big
  std::vector<double> resid_dev;      // small, big
  int df = -1;                        // resid_df[0] − resid_df[1]
  double deviance = kNaN;             // resid_dev[0] − resid_dev[1]
  double p_value = kNaN;
  // test = "F": the bigger model's dispersion and its degrees of freedom,
  // and F = deviance / df / dispersion.
  double dispersion = kNaN;
  int dispersion_df = -1;
  double f_statistic = kNaN;
};

namespace r_reference_internal {

// Keeps the file's order of keys (the new data's columns).
using Json = nlohmann::ordered_json;

// Reads a JSON file; false with a message when it cannot.
inline bool ReadJson(const std::string& path, Json* json, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot open " + path;
    return false;
  }
  try {
    in >> *json;
  } catch (const std::exception& e) {
    *error = path + ": " + e.what();
    return false;
  }
  if (!json->is_object()) {
    *error = path + ": not a JSON object";
    return false;
  }
  return true;
}

// Field accessors: a required field that is missing throws; null is NaN,
// -1 or empty.
inline const Json* Find(const Json& json, const std::string& key,
                        bool required) {
  const auto it = json.find(key);
  if (it == json.end()) {
    if (required) throw std::runtime_error("no field \"" + key + "\"");
    return nullptr;
  }
  return &*it;
}

inline double Number(const Json& json, const std::string& key,
                     bool required = true) {
  const Json* value = Find(json, key, required);
  if (value == nullptr || value->is_null()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (!value->is_number()) {
    throw std::runtime_error("\"" + key + "\" is not a number");
  }
  return value->get<double>();
}

inline int Integer(const Json& json, const std::string& key,
                   bool required = true) {
  const Json* value = Find(json, key, required);
  if (value == nullptr || value->is_null()) return -1;
  if (!value->is_number_integer()) {
    throw std::runtime_error("\"" + key + "\" is not an integer");
  }
  return value->get<int>();
}

inline std::string Text(const Json& json, const std::string& key,
                        bool required = true) {
  const Json* value = Find(json, key, required);
  if (value == nullptr || value->is_null()) return "";
  if (!value->is_string()) {
    throw std::runtime_error("\"" + key + "\" is not a string");
  }
  return value->get<std::string>();
}

inline std::vector<std::string> Texts(const Json& json, const std::string& key,
                                      bool required = true) {
  const Json* value = Find(json, key, required);
  if (value == nullptr) return {};
  if (!value->is_array()) {
    throw std::runtime_error("\"" + key + "\" is not an array");
  }
  std::vector<std::string> texts;
  for (const Json& item : *value) {
    if (!item.is_string()) {
      throw std::runtime_error("\"" + key + "\" has an item not a string");
    }
    texts.push_back(item.get<std::string>());
  }
  return texts;
}

inline Eigen::VectorXd NumberArray(const Json& value, const std::string& key) {
  if (!value.is_array()) {
    throw std::runtime_error("\"" + key + "\" is not an array");
  }
  Eigen::VectorXd numbers(static_cast<Eigen::Index>(value.size()));
  for (std::size_t i = 0; i < value.size(); ++i) {
    const Json& item = value[i];
    if (item.is_null()) {
      numbers[static_cast<Eigen::Index>(i)] =
          std::numeric_limits<double>::quiet_NaN();
    } else if (item.is_number()) {
      numbers[static_cast<Eigen::Index>(i)] = item.get<double>();
    } else {
      throw std::runtime_error("\"" + key + "\" has an item not a number");
    }
  }
  return numbers;
}

inline Eigen::VectorXd Numbers(const Json& json, const std::string& key,
                               bool required = true) {
  const Json* value = Find(json, key, required);
  if (value == nullptr) return Eigen::VectorXd();
  return NumberArray(*value, key);
}

inline std::vector<int> Integers(const Json& json, const std::string& key) {
  const Json* value = Find(json, key, true);
  if (!value->is_array()) {
    throw std::runtime_error("\"" + key + "\" is not an array");
  }
  std::vector<int> integers;
  for (const Json& item : *value) {
    if (!item.is_number_integer()) {
      throw std::runtime_error("\"" + key + "\" has an item not an integer");
    }
    integers.push_back(item.get<int>());
  }
  return integers;
}

inline std::vector<RColumn> Columns(const Json& json, const std::string& key) {
  const Json* value = Find(json, key, false);
  if (value == nullptr) return {};
  if (!value->is_object()) {
    throw std::runtime_error("\"" + key + "\" is not an object");
  }
  std::vector<RColumn> columns;
  for (const auto& [name, items] : value->items()) {
    RColumn column;
    column.name = name;
    column.is_text =
        items.is_array() && !items.empty() && items.front().is_string();
    if (column.is_text) {
      column.labels = Texts(*value, name);
    } else {
      const Eigen::VectorXd numbers = NumberArray(items, key + "." + name);
      column.numbers.assign(numbers.data(), numbers.data() + numbers.size());
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

}  // namespace r_reference_internal

// Loads tests/data/r/reference/<case_name>.json, a fitted model's file.
// Returns false with a one-line message when the file is missing, is not
// JSON, lacks a required field or has one of the wrong type, or is an
// analysis-of-deviance file.
inline bool LoadRReference(const std::string& case_name, RReference* reference,
                           std::string* error) {
  namespace in = r_reference_internal;
  const std::string path = RReferencePath(case_name);
  in::Json json;
  if (!in::ReadJson(path, &json, error)) return false;
  if (json.contains("test")) {
    *error = path + ": an analysis of deviance (LoadRAnovaReference)";
    return false;
  }
  RReference r;
  try {
    r.case_name = in::Text(json, "case");
    r.call = in::Text(json, "call");
    r.refit_call = in::Text(json, "refit_call");
    r.data_file = in::Text(json, "data");
    r.formula = in::Text(json, "formula");
    r.family = in::Text(json, "family");
    r.link = in::Text(json, "link");
    r.response = in::Text(json, "response", false);
    r.weights = in::Text(json, "weights", false);
    r.offset = in::Text(json, "offset", false);
    r.note = in::Text(json, "note", false);
    r.names = in::Texts(json, "names");
    r.estimates = in::Numbers(json, "estimates");
    r.std_errors = in::Numbers(json, "std_errors");
    r.deviance = in::Number(json, "deviance");
    r.loglik = in::Number(json, "loglik");
    r.aic = in::Number(json, "aic");
    r.bic = in::Number(json, "bic");
    r.nobs = in::Integer(json, "nobs");
    r.loglik_df = in::Integer(json, "loglik_df");
    r.newdata = in::Columns(json, "newdata");
    const bool multinomial = r.IsMultinomial();
    // glm and glm.nb only.
    r.statistic = in::Text(json, "statistic", !multinomial);
    r.statistics = in::Numbers(json, "statistics", !multinomial);
    r.p_values = in::Numbers(json, "p_values", !multinomial);
    r.null_deviance = in::Number(json, "null_deviance", !multinomial);
    r.dispersion = in::Number(json, "dispersion", !multinomial);
    r.pearson_chi2 = in::Number(json, "pearson_chi2", !multinomial);
    r.df_residual = in::Integer(json, "df_residual", !multinomial);
    r.df_null = in::Integer(json, "df_null", !multinomial);
    r.rank = in::Integer(json, "rank", !multinomial);
    r.iterations = in::Integer(json, "iterations", !multinomial);
    r.refits = in::Integer(json, "refits", !multinomial);
    r.predict_link = in::Numbers(json, "predict_link", !multinomial);
    r.predict_link_se = in::Numbers(json, "predict_link_se", !multinomial);
    r.predict_response = in::Numbers(json, "predict_response", !multinomial);
    r.predict_response_se =
        in::Numbers(json, "predict_response_se", !multinomial);
    // glm only.
    const bool negbin = r.IsNegativeBinomial();
    for (int type = 0; type < 4; ++type) {
      r.std_errors_hc[type] =
          in::Numbers(json, "std_errors_hc" + std::to_string(type),
                      !multinomial && !negbin);
    }
    r.cluster = in::Text(json, "cluster", false);
    r.std_errors_cluster_hc0 =
        in::Numbers(json, "std_errors_cluster_hc0", !r.cluster.empty());
    r.std_errors_cluster_hc1 =
        in::Numbers(json, "std_errors_cluster_hc1", !r.cluster.empty());
    // glm.nb only.
    r.theta = in::Number(json, "theta", negbin);
    r.theta_se = in::Number(json, "theta_se", negbin);
    r.twologlik = in::Number(json, "twologlik", negbin);
    // multinom only.
    r.classes = in::Texts(json, "classes", multinomial);
    r.coefficient_rows = in::Texts(json, "coefficient_rows", multinomial);
    r.coefficient_cols = in::Texts(json, "coefficient_cols", multinomial);
    r.edf = in::Integer(json, "edf", multinomial);
    r.reltol_estimates = in::Numbers(json, "reltol_estimates", multinomial);
    r.reltol_std_errors = in::Numbers(json, "reltol_std_errors", multinomial);
    r.reltol_deviance = in::Number(json, "reltol_deviance", multinomial);
    if (multinomial) {
      const in::Json& probs = json.at("predict_probs");
      for (const std::string& name : r.classes) {
        if (!probs.contains(name)) {
          throw std::runtime_error("\"predict_probs\" has no class \"" + name +
                                   "\"");
        }
        r.predict_probs.push_back(
            in::NumberArray(probs.at(name), "predict_probs." + name));
      }
    }
  } catch (const std::exception& e) {
    *error = path + ": " + e.what();
    return false;
  }
  if (r.case_name != case_name) {
    *error = path + ": \"case\" is \"" + r.case_name + "\"";
    return false;
  }
  *reference = std::move(r);
  return true;
}

// Loads tests/data/r/reference/<case_name>.json, an analysis of deviance
// (anova of two glm fits). Returns false with a one-line message as
// LoadRReference does.
inline bool LoadRAnovaReference(const std::string& case_name,
                                RAnovaReference* reference,
                                std::string* error) {
  namespace in = r_reference_internal;
  const std::string path = RReferencePath(case_name);
  in::Json json;
  if (!in::ReadJson(path, &json, error)) return false;
  RAnovaReference r;
  try {
    r.case_name = in::Text(json, "case");
    r.call = in::Text(json, "call");
    r.small_call = in::Text(json, "small_call");
    r.big_call = in::Text(json, "big_call");
    r.test = in::Text(json, "test");
    r.data_file = in::Text(json, "data");
    r.family = in::Text(json, "family");
    r.formulas = in::Texts(json, "formulas");
    r.resid_df = in::Integers(json, "resid_df");
    const Eigen::VectorXd resid_dev = in::Numbers(json, "resid_dev");
    r.resid_dev.assign(resid_dev.data(), resid_dev.data() + resid_dev.size());
    r.df = in::Integer(json, "df");
    r.deviance = in::Number(json, "deviance");
    r.p_value = in::Number(json, "p_value");
    const bool f_test = r.test == "F";
    r.dispersion = in::Number(json, "dispersion", f_test);
    r.dispersion_df = in::Integer(json, "dispersion_df", f_test);
    r.f_statistic = in::Number(json, "f_statistic", f_test);
  } catch (const std::exception& e) {
    *error = path + ": " + e.what();
    return false;
  }
  if (r.case_name != case_name) {
    *error = path + ": \"case\" is \"" + r.case_name + "\"";
    return false;
  }
  if (r.formulas.size() != 2 || r.resid_df.size() != 2 ||
      r.resid_dev.size() != 2) {
    *error = path + ": formulas, resid_df and resid_dev need two entries";
    return false;
  }
  *reference = std::move(r);
  return true;
}

// A CSV data set of tests/data/r/ as text cells: the header's names and one
// vector of cells per column (quotes removed, "" unescaped); quoted[c] says
// whether column c's cells are quoted (the data sets quote exactly their
// text columns).
struct RCsvTable {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> cells;
  std::vector<bool> quoted;

  // The index of column `name`, or -1.
  int Column(const std::string& name) const {
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
  }
  std::size_t Rows() const { return cells.empty() ? 0 : cells[0].size(); }
};

// Reads tests/data/r/<file> (one record per line, as make_reference.R
// writes them). Returns false with a message on a ragged row.
inline bool ReadRCsv(const std::string& file, RCsvTable* table,
                     std::string* error) {
  const std::string path = RDataPath(file);
  std::ifstream in(path);
  if (!in) {
    *error = "cannot open " + path;
    return false;
  }
  const auto split = [](const std::string& line, std::vector<bool>* quoted) {
    std::vector<std::string> fields(1);
    quoted->assign(1, false);
    bool in_quotes = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (in_quotes) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          fields.back() += '"';
          ++i;
        } else if (c == '"') {
          in_quotes = false;
        } else {
          fields.back() += c;
        }
      } else if (c == '"') {
        in_quotes = true;
        quoted->back() = true;
      } else if (c == ',') {
        fields.emplace_back();
        quoted->push_back(false);
      } else if (c != '\r') {
        fields.back() += c;
      }
    }
    return fields;
  };
  RCsvTable t;
  std::string line;
  std::vector<bool> quoted;
  if (!std::getline(in, line)) {
    *error = path + ": empty";
    return false;
  }
  t.names = split(line, &quoted);
  t.cells.resize(t.names.size());
  t.quoted.assign(t.names.size(), false);
  int row = 0;
  while (std::getline(in, line)) {
    ++row;
    const std::vector<std::string> fields = split(line, &quoted);
    if (fields.size() != t.names.size()) {
      std::ostringstream message;
      message << path << ": row " << row << " has " << fields.size()
              << " fields, the header " << t.names.size();
      *error = message.str();
      return false;
    }
    for (std::size_t c = 0; c < fields.size(); ++c) {
      t.cells[c].push_back(fields[c]);
      if (quoted[c]) t.quoted[c] = true;
    }
  }
  *table = std::move(t);
  return true;
}

}  // namespace testing
}  // namespace fisheropt

#endif  // FISHEROPT_TESTS_STATS_R_REFERENCE_H_
