#include "stats/data_frame.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "problems/csv_reader.h"

namespace fisheropt {
namespace {

bool FromCsv(const std::string& text, DataFrame* frame, std::string* error) {
  CsvTable table;
  if (!ParseCsv(text, &table, error)) return false;
  return DataFrameFromCsv(table, frame, error);
}

std::string ErrorOf(const std::string& text) {
  DataFrame frame;
  std::string error;
  EXPECT_FALSE(FromCsv(text, &frame, &error)) << text;
  return error;
}

TEST(DataFrameTest, ColumnsAreNumericOrText) {
  DataFrame frame;
  std::string error;
  ASSERT_TRUE(
      FromCsv("y,wool,x,empty\n"
              "1,A,2.5,\n"
              "NA,B,,NA\n"
              "3,,4,\n",
              &frame, &error))
      << error;
  ASSERT_EQ(frame.NumColumns(), 4);
  ASSERT_EQ(frame.NumRows(), 3);
  EXPECT_EQ(frame.ColumnNames(),
            (std::vector<std::string>{"y", "wool", "x", "empty"}));
  const DataColumn& y = frame.column(0);
  EXPECT_EQ(y.type, DataColumnType::kNumeric);
  EXPECT_EQ(y.numbers[0], 1.0);
  EXPECT_TRUE(y.IsMissing(1));
  EXPECT_EQ(y.numbers[2], 3.0);
  const DataColumn& wool = frame.column(1);
  EXPECT_EQ(wool.type, DataColumnType::kText);
  EXPECT_EQ(wool.text[0], "A");
  EXPECT_EQ(wool.text[1], "B");
  EXPECT_FALSE(wool.IsMissing(1));
  EXPECT_TRUE(wool.IsMissing(2));
  EXPECT_EQ(frame.column(2).numbers[0], 2.5);
  EXPECT_TRUE(frame.column(2).IsMissing(1));
  // A column without any value is numeric, all missing.
  EXPECT_EQ(frame.column(3).type, DataColumnType::kNumeric);
  EXPECT_TRUE(frame.column(3).IsMissing(0));
  EXPECT_EQ(frame.ColumnIndex("x"), 2);
  EXPECT_EQ(frame.ColumnIndex("nope"), -1);
  // Rows from a file are named by their line (the header is line 1).
  EXPECT_EQ(frame.RowLabel(0), "line 2");
  EXPECT_EQ(frame.RowLabel(2), "line 4");
}

TEST(DataFrameTest, MixedColumnsAreErrorsNamingTheLine) {
  EXPECT_EQ(ErrorOf("y,x\n1,2\n2,abc\n3,4\n"),
            "column 'x' mixes numbers and text: line 3 holds the text 'abc' "
            "where line 2 holds a number");
  EXPECT_EQ(ErrorOf("y,g\n1,\n2,a\n3,7\n"),
            "column 'g' mixes numbers and text: line 4 holds the number 7 "
            "where line 3 holds text");
}

TEST(DataFrameTest, NonFiniteNumbersAreErrors) {
  EXPECT_EQ(ErrorOf("y,x\n1,2\n2,inf\n"),
            "line 3, column 'x': 'inf' is not a finite number");
  EXPECT_EQ(ErrorOf("y,x\n1,1e400\n"),
            "line 2, column 'x': '1e400' is not a finite number");
}

TEST(DataFrameTest, BuiltInCode) {
  DataFrame frame;
  std::string error;
  ASSERT_TRUE(
      frame.AddNumericColumn("x", Eigen::VectorXd::LinSpaced(3, 1, 3), &error));
  ASSERT_TRUE(frame.AddTextColumn("g", {"a", "b", "a"}, &error));
  EXPECT_EQ(frame.NumRows(), 3);
  EXPECT_EQ(frame.RowLabel(1), "row 2");
  EXPECT_FALSE(frame.AddTextColumn("h", {"a"}, &error));
  EXPECT_EQ(error, "column 'h' has 1 values; the data frame has 3 rows");
  EXPECT_FALSE(frame.AddTextColumn("x", {"a", "b", "c"}, &error));
  EXPECT_EQ(error, "duplicated column name 'x'");
  EXPECT_FALSE(
      frame.AddNumericColumn("z", Eigen::Vector3d(1, INFINITY, 2), &error));
  EXPECT_EQ(error, "column 'z' holds inf at row 2");
  EXPECT_FALSE(frame.AddTextColumn("m", {"a", "b", "c"}, {1, 0}, &error));
  EXPECT_EQ(error, "column 'm' has 3 values but 2 missing flags");
}

}  // namespace
}  // namespace fisheropt
