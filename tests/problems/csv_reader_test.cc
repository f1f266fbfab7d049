#include "problems/csv_reader.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "problems/glm_model.h"

namespace fisheropt {
namespace {

// Parses `text` and expects failure with exactly `message`.
void ExpectError(const std::string& text, const std::string& message,
                 const CsvReadOptions& options = CsvReadOptions()) {
  CsvTable table;
  std::string error;
  EXPECT_FALSE(ParseCsv(text, options, &table, &error)) << text;
  EXPECT_EQ(error, message) << text;
}

TEST(CsvReaderTest, ParsesQuotedFieldsCrlfAndBlankLines) {
  const std::string text =
      "y,\"x, first\",\"say \"\"z\"\"\"\r\n"
      "1,2.5,-3e2\r\n"
      "\r\n"
      " 0 , \"4\" ,5\r\n"
      "1,\"6\n\",7";  // a quoted field spanning lines, no final newline
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv(text, CsvReadOptions(), &table, &error)) << error;
  ASSERT_EQ(table.column_names.size(), 3u);
  EXPECT_EQ(table.column_names[1], "x, first");
  EXPECT_EQ(table.column_names[2], "say \"z\"");
  ASSERT_EQ(table.NumRows(), 3);
  EXPECT_EQ(table.values(0, 2), -300.0);
  EXPECT_EQ(table.values(1, 0), 0.0);
  EXPECT_EQ(table.values(1, 1), 4.0);
  EXPECT_EQ(table.values(2, 1), 6.0);
  EXPECT_EQ(table.line_numbers, (std::vector<int>{2, 4, 5}));
  EXPECT_EQ(table.num_dropped_rows, 0);
  EXPECT_EQ(table.ColumnIndex("say \"z\""), 2);
  EXPECT_EQ(table.ColumnIndex("z"), -1);
}

TEST(CsvReaderTest, ByteOrderMarkAndWhitespaceOnlyLinesAreSkipped) {
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv("\xEF\xBB\xBFy,x\n  \t \n1,2\n", CsvReadOptions(),
                       &table, &error))
      << error;
  EXPECT_EQ(table.column_names[0], "y");
  ASSERT_EQ(table.NumRows(), 1);
  EXPECT_EQ(table.line_numbers[0], 3);
}

TEST(CsvReaderTest, MissingCellsAreErrorsNamingLineAndColumn) {
  ExpectError("y,x1,x2\n1,2,3\n4,,6\n",
              "line 3, column 'x1': missing value (empty cell); set "
              "drop_incomplete_rows to drop incomplete rows");
  ExpectError("y,x1,x2\n1,2,3\n4,5,NA\n",
              "line 3, column 'x2': missing value 'NA'; set "
              "drop_incomplete_rows to drop incomplete rows");
  ExpectError("y,x1\r\n1,2\r\n\"\",5\r\n",
              "line 3, column 'y': missing value (empty cell); set "
              "drop_incomplete_rows to drop incomplete rows");
}

TEST(CsvReaderTest, DropIncompleteRowsReportsTheCount) {
  CsvReadOptions options;
  options.drop_incomplete_rows = true;
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv("y,x\n1,2\nNA,3\n4,\n5,6\n", options, &table, &error))
      << error;
  EXPECT_EQ(table.num_dropped_rows, 2);
  ASSERT_EQ(table.NumRows(), 2);
  EXPECT_EQ(table.values(1, 0), 5.0);
  EXPECT_EQ(table.line_numbers, (std::vector<int>{2, 5}));
  ExpectError("y,x\nNA,1\n2,NA\n",
              "all 2 data rows have missing values and were dropped", options);
  // A malformed cell is still an error in a row that would be dropped.
  ExpectError("y,x\nNA,abc\n",
              "line 2, column 'x': cannot parse 'abc' as a number", options);
}

TEST(CsvReaderTest, NonNumericAndNonFiniteCellsAreErrors) {
  ExpectError("y,dose\n1,2\n3,4mg\n",
              "line 3, column 'dose': cannot parse '4mg' as a number");
  ExpectError("y,group\n1,\"treated\"\n",
              "line 2, column 'group': cannot parse 'treated' as a number");
  ExpectError("y,x\n1,NaN\n",
              "line 2, column 'x': 'NaN' is not a finite number");
  ExpectError("y,x\n1,-Inf\n",
              "line 2, column 'x': '-Inf' is not a finite number");
  ExpectError("y,x\n1,1e999\n",
              "line 2, column 'x': '1e999' is not a finite number");
}

TEST(CsvReaderTest, StructuralErrorsNameTheLine) {
  ExpectError("y,x1,x2\n1,2,3\n4,5\n",
              "line 3: found 2 fields, but the header has 3 columns");
  ExpectError("y,x1\n1,2\n3,4,5\n",
              "line 3: found 3 fields, but the header has 2 columns");
  ExpectError("y,x1,y\n1,2,3\n",
              "line 1: duplicate column name 'y' (columns 1 and 3)");
  ExpectError("y,,x\n1,2,3\n",
              "line 1: column 2 of the header has an empty name");
  ExpectError("y,x\n1,2\n3,4\"5\n",
              "line 3: malformed quoted field (a quote must open the field "
              "and be doubled inside it)");
  ExpectError("y,x\n1,2\n3,\"4\n5,6\n", "line 3: unterminated quoted field");
}

TEST(CsvReaderTest, EmptyInputAndHeaderOnlyAreErrors) {
  ExpectError("", "CSV input is empty: a header row is required");
  ExpectError("\n\r\n  \n", "CSV input is empty: a header row is required");
  ExpectError("y,x\n", "CSV input has a header but no data rows");
}

TEST(CsvReaderTest, FileErrorsNameTheFile) {
  CsvTable table;
  std::string error;
  EXPECT_FALSE(
      ReadCsvFile("/nonexistent/data.csv", CsvReadOptions(), &table, &error));
  EXPECT_EQ(error,
            "cannot open CSV file '/nonexistent/data.csv': No such file or "
            "directory");
  const std::string path = ::testing::TempDir() + "fisheropt_csv_test.csv";
  { std::ofstream(path) << ""; }
  EXPECT_FALSE(ReadCsvFile(path, CsvReadOptions(), &table, &error));
  EXPECT_EQ(error, path + ": CSV input is empty: a header row is required");
  { std::ofstream(path) << "y,x\n1,2\n0,oops\n"; }
  EXPECT_FALSE(ReadCsvFile(path, CsvReadOptions(), &table, &error));
  EXPECT_EQ(error,
            path + ": line 3, column 'x': cannot parse 'oops' as a number");
  { std::ofstream(path) << "y,x\n1,2\n0,3\n"; }
  ASSERT_TRUE(ReadCsvFile(path, CsvReadOptions(), &table, &error)) << error;
  EXPECT_EQ(table.NumRows(), 2);
  std::remove(path.c_str());
}

TEST(CsvReaderTest, OtherDelimiter) {
  CsvReadOptions options;
  options.delimiter = ';';
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv("y;x\n1;2,5\n", options, &table, &error) == false);
  EXPECT_EQ(error, "line 2, column 'x': cannot parse '2,5' as a number");
  ASSERT_TRUE(ParseCsv("y;x\n1;2.5\n", options, &table, &error)) << error;
  EXPECT_EQ(table.values(0, 1), 2.5);
  options.delimiter = '"';
  EXPECT_FALSE(ParseCsv("y\n1\n", options, &table, &error));
  EXPECT_EQ(error, "CsvReadOptions::delimiter must not be a quote, CR or LF");
}

TEST(DatasetFromTableTest, BuildsInterceptFirstWithWeightsAndOffset) {
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv("x2,y,w,x1,o\n1,0,2,3,0.5\n4,1,1,5,-0.5\n",
                       CsvReadOptions(), &table, &error))
      << error;
  DatasetColumns columns;
  columns.response = "y";
  columns.predictors = {"x1", "x2"};
  columns.weights = "w";
  columns.offset = "o";
  Dataset data;
  ASSERT_TRUE(DatasetFromTable(table, columns, &data, &error)) << error;
  EXPECT_EQ(data.column_names,
            (std::vector<std::string>{"(Intercept)", "x1", "x2"}));
  RowMatrixXd expected_x(2, 3);
  expected_x << 1, 3, 1, 1, 5, 4;
  EXPECT_EQ(data.x, expected_x);
  EXPECT_EQ(data.y, Eigen::Vector2d(0, 1));
  EXPECT_EQ(data.weights, Eigen::Vector2d(2, 1));
  EXPECT_EQ(data.offset, Eigen::Vector2d(0.5, -0.5));
  EXPECT_EQ(data.response_name, "y");

  columns.intercept = false;
  columns.weights = "";
  columns.offset = "";
  ASSERT_TRUE(DatasetFromTable(table, columns, &data, &error)) << error;
  EXPECT_EQ(data.NumFeatures(), 2);
  EXPECT_FALSE(data.HasWeights());
}

TEST(DatasetFromTableTest, UnknownColumnsListTheAvailableOnes) {
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv("y,x1,w\n1,2,-1\n", CsvReadOptions(), &table, &error));
  DatasetColumns columns;
  columns.response = "y";
  columns.predictors = {"x1", "x3"};
  Dataset data;
  EXPECT_FALSE(DatasetFromTable(table, columns, &data, &error));
  EXPECT_EQ(error, "unknown column 'x3'; available columns: y, x1, w");
  columns.predictors = {"x1"};
  columns.response = "Y";
  EXPECT_FALSE(DatasetFromTable(table, columns, &data, &error));
  EXPECT_EQ(error, "unknown column 'Y'; available columns: y, x1, w");
  columns.response = "y";
  columns.weights = "w";
  EXPECT_FALSE(DatasetFromTable(table, columns, &data, &error));
  EXPECT_EQ(error, "weight -1 in row 0 must be finite and >= 0");
}

// End to end: a CSV (columns in another order, CRLF, quoted header) through
// DatasetFromTable into a weighted Poisson GLM with offset reproduces R's
// fit (the data and R call of GlmRReferenceTest.WeightedPoissonWithOffset:
//   j <- 1:20; z1 <- (j - 10.5) / 10; z2 <- sin(j); w <- 1 + (j %% 3)
//   off <- log(1 + j / 10); glm(counts ~ z1 + z2, family = poisson,
//   weights = w, offset = off), refitted from coef(fit) with start =).
TEST(DatasetFromTableTest, CsvToWeightedPoissonFitMatchesR) {
  const double counts[20] = {2, 0, 1, 3, 1, 2, 4, 1, 3, 2,
                             5, 2, 4, 3, 6, 4, 7, 5, 6, 9};
  std::ostringstream csv;
  csv.precision(17);
  csv << "\"z2\",w,counts,off,z1\r\n";
  for (int j = 1; j <= 20; ++j) {
    csv << std::sin(j) << "," << 1 + (j % 3) << "," << counts[j - 1] << ","
        << std::log(1 + j / 10.0) << "," << (j - 10.5) / 10 << "\r\n";
  }
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv(csv.str(), CsvReadOptions(), &table, &error)) << error;
  DatasetColumns columns;
  columns.response = "counts";
  columns.predictors = {"z1", "z2"};
  columns.weights = "w";
  columns.offset = "off";
  Dataset data;
  ASSERT_TRUE(DatasetFromTable(table, columns, &data, &error)) << error;
  auto model = GlmModel::Create(data, GlmFamilyType::kPoissonLog, &error);
  ASSERT_NE(model, nullptr) << error;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(3);
  for (int iteration = 0; iteration < 50; ++iteration) {
    double value = 0.0;
    Eigen::VectorXd gradient;
    Eigen::MatrixXd fisher;
    model->Evaluate(beta, &value, &gradient);
    model->ExpectedFisher(beta, &fisher);
    beta -= fisher.llt().solve(gradient);
  }
  const Eigen::Vector3d r_coefficients(
      0.401171672559080761, 0.591771862849821750, -0.094272538284910334);
  EXPECT_LT((beta - r_coefficients).norm(), 1e-10 * r_coefficients.norm());
  EXPECT_EQ(model->ParameterNames(),
            (std::vector<std::string>{"(Intercept)", "z1", "z2"}));
}

}  // namespace
}  // namespace fisheropt
