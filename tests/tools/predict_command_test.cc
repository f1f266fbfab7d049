// End-to-end tests of `fisheropt predict` and of the fit's JSON
// (stats/glm_json.h): fits written by `fit --json`, new data written by the
// tests, predictions compared with R's predict.glm (tests/data/r/).

#include "tools/predict_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "problems/csv_reader.h"
#include "stats/data_frame.h"
#include "stats/glm_fit.h"
#include "stats/glm_json.h"
#include "tests/stats/r_reference.h"
#include "tests/tools/fit_json_fixture.h"
#include "tools/fit_command.h"

namespace fisheropt {
namespace {

using testing::LoadRReference;
using testing::RColumn;
using testing::RDataPath;
using testing::RReference;

class PredictCommandTest : public FitJsonTest {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(Path(name)) << text;
    return Path(name);
  }

  // The reference's new data as a CSV file.
  std::string NewdataCsv(const RReference& r) {
    std::string text;
    for (const RColumn& column : r.newdata) {
      text += (text.empty() ? "" : ",") + column.name;
    }
    text += "\n";
    char number[32];
    for (size_t i = 0; i < r.NewdataRows(); ++i) {
      for (size_t c = 0; c < r.newdata.size(); ++c) {
        const RColumn& column = r.newdata[c];
        if (c > 0) text += ",";
        if (column.is_text) {
          text += column.labels[i];
        } else {
          std::snprintf(number, sizeof(number), "%.17g", column.numbers[i]);
          text += number;
        }
      }
      text += "\n";
    }
    return Write("newdata.csv", text);
  }

  // Runs predict; keeps the streams.
  int Run(const PredictOptions& options) {
    out_.str("");
    err_.str("");
    return RunPredict(options, out_, err_);
  }

  // The columns fit and se_fit of predict's CSV output.
  static void ParseOutput(const std::string& csv, std::vector<double>* fit,
                          std::vector<double>* se) {
    std::istringstream in(csv);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      const size_t comma = line.find(',');
      fit->push_back(std::stod(line.substr(0, comma)));
      if (comma != std::string::npos) {
        se->push_back(std::stod(line.substr(comma + 1)));
      }
    }
  }

  // Runs predict on the reference's new data on both scales and compares
  // with R's predict.glm(se.fit = TRUE) to 1e-8.
  void ExpectPredictionsMatchR(const RReference& r, const std::string& json) {
    const std::string newdata = NewdataCsv(r);
    for (const std::string type : {"link", "response"}) {
      PredictOptions options;
      options.fit_path = json;
      options.data_path = newdata;
      options.type = type;
      options.se = true;
      ASSERT_EQ(Run(options), 0) << err_.str();
      EXPECT_EQ(out_.str().substr(0, out_.str().find('\n')), "fit,se_fit");
      std::vector<double> fit, se;
      ParseOutput(out_.str(), &fit, &se);
      const bool link = type == std::string("link");
      const Eigen::VectorXd& r_fit = link ? r.predict_link : r.predict_response;
      const Eigen::VectorXd& r_se =
          link ? r.predict_link_se : r.predict_response_se;
      ASSERT_EQ(fit.size(), static_cast<size_t>(r_fit.size()));
      ASSERT_EQ(se.size(), static_cast<size_t>(r_se.size()));
      for (size_t i = 0; i < fit.size(); ++i) {
        EXPECT_NEAR(fit[i], r_fit[i], 1e-8 * std::abs(r_fit[i])) << type << i;
        EXPECT_NEAR(se[i], r_se[i], 1e-8 * std::abs(r_se[i])) << type << i;
      }
    }
  }

  // A bad input's one-line message.
  std::string Error(const PredictOptions& options, int status = 1) {
    EXPECT_EQ(Run(options), status) << out_.str();
    const std::string message = err_.str();
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << message;
    EXPECT_TRUE(out_.str().empty());
    return message;
  }

  std::ostringstream out_, err_;
};

TEST_F(PredictCommandTest, WarpbreaksPoissonMatchesR) {
  RReference r;
  std::string error;
  ASSERT_TRUE(LoadRReference("warpbreaks_poisson", &r, &error)) << error;
  ExpectPredictionsMatchR(
      r, Fit("warpbreaks.csv", "poisson", r.formula, "warpbreaks.json"));
}

TEST_F(PredictCommandTest, WarpbreaksQuasiPoissonMatchesR) {
  RReference r;
  std::string error;
  ASSERT_TRUE(LoadRReference("warpbreaks_quasipoisson", &r, &error)) << error;
  ExpectPredictionsMatchR(
      r, Fit("warpbreaks.csv", "quasipoisson", r.formula, "warpbreaks.json"));
}

// The offset term log(Holders) is evaluated on the new data (District as
// factor(District): testing::FormulaForCsv).
TEST_F(PredictCommandTest, InsuranceWithOffsetMatchesR) {
  RReference r;
  std::string error;
  ASSERT_TRUE(LoadRReference("insurance_poisson_offset", &r, &error)) << error;
  ExpectPredictionsMatchR(
      r, Fit("insurance.csv", "poisson",
             testing::FormulaForCsv("insurance.csv", r.formula),
             "insurance.json"));
}

TEST_F(PredictCommandTest, WritesTheOutFileWithoutSe) {
  PredictOptions options;
  options.fit_path =
      Fit("warpbreaks.csv", "poisson", "breaks ~ wool + tension", "fit.json");
  options.data_path = Write("new.csv", "wool,tension\nA,L\nB,H\n");
  options.type = "response";
  options.out_path = Path("predictions.csv");
  ASSERT_EQ(Run(options), 0) << err_.str();
  EXPECT_TRUE(out_.str().empty());
  std::ifstream in(options.out_path);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<double> fit, se;
  ParseOutput(text.str(), &fit, &se);
  EXPECT_EQ(text.str().substr(0, 4), "fit\n");
  EXPECT_EQ(fit.size(), 2u);
  EXPECT_TRUE(se.empty());
  EXPECT_GT(fit[0], fit[1]);  // low tension breaks more
}

// A fit of numeric columns (no frame) records "y ~ x1 + x2" and predicts
// as the same formula fitted through the frame.
TEST_F(PredictCommandTest, NumericFitRecordsItsFormula) {
  std::string data = "y,x1,x2\n";
  const int y[12] = {0, 1, 0, 0, 1, 1, 0, 1, 1, 1, 0, 1};
  char line[128];
  for (int i = 0; i < 12; ++i) {
    std::snprintf(line, sizeof(line), "%d,%.17g,%.17g\n", y[i], i / 4.0,
                  std::cos(i));
    data += line;
  }
  FitOptions options;
  options.data_path = Write("data.csv", data);
  options.model = "logistic";
  options.response = "y";
  options.predictors = {"x1", "x2"};
  options.json_path = Path("numeric.json");
  std::ostringstream out, err;
  ASSERT_EQ(RunFit(options, out, err), 0) << err.str();
  std::ifstream json_file(options.json_path);
  nlohmann::json json;
  json_file >> json;
  EXPECT_EQ(json["formula"], "y ~ x1 + x2");
  EXPECT_EQ(json["schema_version"], 1);

  options.predictors.clear();
  options.response.clear();
  options.formula = "y ~ x1 + x2";
  options.json_path = Path("formula.json");
  ASSERT_EQ(RunFit(options, out, err), 0) << err.str();

  PredictOptions predict;
  predict.data_path = Write("new.csv", "x1,x2\n0.5,0.25\n2,-1\n");
  predict.se = true;
  predict.fit_path = Path("numeric.json");
  ASSERT_EQ(Run(predict), 0) << err_.str();
  std::vector<double> fit, se;
  ParseOutput(out_.str(), &fit, &se);
  predict.fit_path = Path("formula.json");
  ASSERT_EQ(Run(predict), 0) << err_.str();
  std::vector<double> fit2, se2;
  ParseOutput(out_.str(), &fit2, &se2);
  ASSERT_EQ(fit.size(), 2u);
  for (size_t i = 0; i < fit.size(); ++i) {
    EXPECT_NEAR(fit[i], fit2[i], 1e-9 * std::abs(fit2[i]));
    EXPECT_NEAR(se[i], se2[i], 1e-9 * std::abs(se2[i]));
  }
}

TEST_F(PredictCommandTest, BadInputsAreOneLineErrors) {
  PredictOptions options;
  options.fit_path =
      Fit("warpbreaks.csv", "poisson", "breaks ~ wool * tension", "fit.json");
  options.data_path = Write("unseen.csv", "wool,tension\nA,L\nC,M\n");
  EXPECT_NE(Error(options).find("level 'C'"), std::string::npos) << err_.str();

  options.data_path = Write("missing.csv", "wool\nA\n");
  EXPECT_NE(Error(options).find("tension"), std::string::npos) << err_.str();

  options.data_path = Write("good.csv", "wool,tension\nA,L\n");
  options.type = "probability";
  EXPECT_NE(Error(options, 2).find("--type 'probability'"), std::string::npos);
  options.type = "link";

  options.fit_path = Write("mvn.json", R"({"model": "mvn", "mean": [1]})");
  EXPECT_NE(Error(options).find("mvn.json"), std::string::npos);
  options.fit_path = Write("v2.json", R"({"schema_version": 2})");
  EXPECT_NE(Error(options).find("schema_version 2"), std::string::npos);
  options.fit_path =
      Write("glm.json", R"({"schema_version": 1, "family": "poisson"})");
  EXPECT_NE(Error(options).find("no formula"), std::string::npos);
  options.fit_path = Write("broken.json", "{");
  EXPECT_NE(Error(options).find("broken.json"), std::string::npos);
  options.fit_path = Path("absent.json");
  EXPECT_NE(Error(options).find("absent.json"), std::string::npos);
}

// GlmFitFromJson(GlmFitToJson(fit)) predicts as the fit, bit for bit.
TEST(GlmJsonTest, RoundTripPredictsIdentically) {
  for (const std::string formula :
       {"breaks ~ wool * tension", "breaks ~ . - 1", "breaks ~ tension:wool",
        "log(breaks) ~ tension + I(breaks^2)"}) {
    SCOPED_TRACE(formula);
    CsvTable table;
    DataFrame data;
    std::string error;
    ASSERT_TRUE(ReadCsvFile(RDataPath("warpbreaks.csv"), &table, &error) &&
                DataFrameFromCsv(table, &data, &error))
        << error;
    GlmSpec spec;
    spec.distribution = GlmDistribution::kPoisson;
    if (formula[0] == 'l') spec.distribution = GlmDistribution::kGaussian;
    GlmFit fit;
    ASSERT_TRUE(FitGlm(formula, data, spec, {}, &fit, &error)) << error;
    GlmFit restored;
    ASSERT_TRUE(GlmFitFromJson(GlmFitToJson(fit), &restored, &error)) << error;
    EXPECT_EQ(restored.names, fit.names);
    EXPECT_EQ(restored.FamilyName(), fit.FamilyName());
    EXPECT_EQ(restored.deviance, fit.deviance);
    EXPECT_EQ(restored.dispersion, fit.dispersion);
    EXPECT_EQ(restored.df_residual, fit.df_residual);
    // The same JSON but for the solver's iterations, which the JSON keeps
    // only as a record.
    nlohmann::json written = nlohmann::json::parse(GlmFitToJson(fit));
    nlohmann::json rewritten = nlohmann::json::parse(GlmFitToJson(restored));
    written.erase("iterations");
    rewritten.erase("iterations");
    EXPECT_EQ(rewritten, written);
    for (const PredictionType type :
         {PredictionType::kLink, PredictionType::kResponse}) {
      GlmPrediction expected, actual;
      ASSERT_TRUE(PredictGlm(fit, data, type, &expected, &error)) << error;
      ASSERT_TRUE(PredictGlm(restored, data, type, &actual, &error)) << error;
      ASSERT_EQ(actual.fit.size(), expected.fit.size());
      for (Eigen::Index i = 0; i < actual.fit.size(); ++i) {
        EXPECT_EQ(actual.fit[i], expected.fit[i]) << i;
        EXPECT_EQ(actual.se_fit[i], expected.se_fit[i]) << i;
      }
    }
  }
}

}  // namespace
}  // namespace fisheropt
