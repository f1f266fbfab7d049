#include "problems/csv_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace fisheropt {
namespace {

std::string ParseError(const std::string& text) {
  CsvTable table;
  std::string error;
  EXPECT_FALSE(ParseCsv(text, &table, &error)) << text;
  return error;
}

std::string BuildError(const std::string& text, DatasetSpec spec) {
  CsvTable table;
  std::string error;
  EXPECT_TRUE(ParseCsv(text, &table, &error)) << error;
  Dataset data;
  int dropped = 0;
  EXPECT_FALSE(BuildDataset(table, spec, &data, &dropped, &error));
  return error;
}

DatasetSpec Response(const std::string& name) {
  DatasetSpec spec;
  spec.response = name;
  return spec;
}

TEST(CsvReaderTest, QuotedFieldsCrlfAndEmbeddedNewlines) {
  const std::string text =
      "y,\"x, one\",label\r\n"
      "1,2.5,\"a \"\"quoted\"\" label\"\r\n"
      "0,-1e3,\"two\nlines\"\r\n";
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv(text, &table, &error)) << error;
  EXPECT_EQ(table.column_names,
            (std::vector<std::string>{"y", "x, one", "label"}));
  ASSERT_EQ(table.NumRows(), 2);
  EXPECT_EQ(table.rows[0][2], "a \"quoted\" label");
  EXPECT_EQ(table.rows[1][2], "two\nlines");
  EXPECT_EQ(table.line_numbers, (std::vector<int>{2, 4}));  // row 2 ends on 4
  EXPECT_FALSE(table.IsNumericColumn(2));                   // text only
  EXPECT_TRUE(table.IsNumericColumn(1));
}

TEST(CsvReaderTest, BuildsDesignWithInterceptFirstAndNumericDefaults) {
  CsvTable table;
  std::string error;
  ASSERT_TRUE(
      ParseCsv("a,y,name,b\n1,0,u,2\n3,1,v,4\n5,1,w,6\n", &table, &error));
  Dataset data;
  int dropped = -1;
  ASSERT_TRUE(BuildDataset(table, Response("y"), &data, &dropped, &error))
      << error;
  EXPECT_EQ(dropped, 0);
  EXPECT_EQ(data.column_names,
            (std::vector<std::string>{"(Intercept)", "a", "b"}));
  RowMatrixXd expected(3, 3);
  expected << 1, 1, 2, 1, 3, 4, 1, 5, 6;
  EXPECT_EQ(data.x, expected);
  EXPECT_EQ(data.y, Eigen::Vector3d(0, 1, 1));

  DatasetSpec spec = Response("y");
  spec.predictors = {"b"};
  spec.intercept = false;
  ASSERT_TRUE(BuildDataset(table, spec, &data, &dropped, &error));
  EXPECT_EQ(data.column_names, (std::vector<std::string>{"b"}));
  EXPECT_EQ(data.x.col(0), Eigen::Vector3d(2, 4, 6));
}

TEST(CsvReaderTest, MissingValuesAreErrorsOrDroppedWithACount) {
  const std::string text = "y,x\n1,2\n0,NA\n1,\n0,5\n";
  EXPECT_EQ(BuildError(text, Response("y")),
            "missing value (empty or NA) at line 3, column 'x'; drop "
            "incomplete rows to fit without it");
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv(text, &table, &error));
  DatasetSpec spec = Response("y");
  spec.drop_incomplete_rows = true;
  Dataset data;
  int dropped = 0;
  ASSERT_TRUE(BuildDataset(table, spec, &data, &dropped, &error)) << error;
  EXPECT_EQ(dropped, 2);
  EXPECT_EQ(data.y, Eigen::Vector2d(1, 0));
  EXPECT_EQ(data.x.col(1), Eigen::Vector2d(2, 5));
}

TEST(CsvReaderTest, BadCellsNameLineAndColumn) {
  EXPECT_EQ(BuildError("y,x\n1,2\n0,abc\n", Response("y")),
            "non-numeric value 'abc' at line 3, column 'x'");
  EXPECT_EQ(BuildError("y,x\n1,inf\n", Response("y")),
            "non-finite value 'inf' at line 2, column 'x'");
  EXPECT_EQ(BuildError("y,x\nNaN,1\n", Response("y")),
            "non-finite value 'NaN' at line 2, column 'y'");
  DatasetSpec spec = Response("y");
  spec.predictors = {"label"};
  EXPECT_EQ(BuildError("y,label\n1,a\n", spec),
            "non-numeric value 'a' at line 2, column 'label'");
}

TEST(CsvReaderTest, UnknownAndConflictingColumns) {
  EXPECT_EQ(BuildError("y,x\n1,2\n", Response("z")),
            "unknown column 'z'; available columns: y, x");
  DatasetSpec spec = Response("y");
  spec.predictors = {"x", "w"};
  EXPECT_EQ(BuildError("y,x\n1,2\n", spec),
            "unknown column 'w'; available columns: y, x");
  spec.predictors = {"y"};
  EXPECT_EQ(BuildError("y,x\n1,2\n", spec),
            "column 'y' is both the response and a predictor");
}

TEST(CsvReaderTest, MalformedFilesAreReportedWithTheirLine) {
  EXPECT_EQ(ParseError(""), "the file is empty: expected a header row");
  EXPECT_EQ(ParseError("y,x\n"), "the file has a header but no data rows");
  EXPECT_EQ(ParseError("y,x\n1,2\n3\n"),
            "line 3 has 1 fields; the header has 2");
  EXPECT_EQ(ParseError("y,x,y\n1,2,3\n"),
            "duplicated column name 'y' (columns 1 and 3)");
  EXPECT_EQ(ParseError("y,,x\n1,2,3\n"),
            "column 2 of the header (line 1) has an empty name");
  EXPECT_NE(ParseError("y,x\n1,\"unterminated\n").find("malformed CSV"),
            std::string::npos);
}

TEST(CsvReaderTest, ByteOrderMarkIsNotPartOfTheFirstName) {
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv("\xEF\xBB\xBFy,x\n1,2\n", &table, &error)) << error;
  EXPECT_EQ(table.column_names, (std::vector<std::string>{"y", "x"}));
}

TEST(CsvReaderTest, MissingFileNamesPathAndReason) {
  CsvTable table;
  std::string error;
  EXPECT_FALSE(ReadCsvFile("/nonexistent/data.csv", &table, &error));
  EXPECT_EQ(error,
            "cannot open '/nonexistent/data.csv': No such file or "
            "directory");
}

TEST(CsvReaderTest, SampleMatrixForResponseFreeModels) {
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv("a,tag,b\n1,x,2\n3,y,4\n", &table, &error));
  RowMatrixXd samples;
  std::vector<std::string> names;
  int dropped = 0;
  ASSERT_TRUE(
      BuildSampleMatrix(table, {}, false, &samples, &names, &dropped, &error));
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b"}));
  RowMatrixXd expected(2, 2);
  expected << 1, 2, 3, 4;
  EXPECT_EQ(samples, expected);
}

}  // namespace
}  // namespace fisheropt
