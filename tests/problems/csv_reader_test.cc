#include "problems/csv_reader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

namespace fisheropt {
namespace {

std::string ParseError(const std::string& text,
                       const CsvReadOptions& options = CsvReadOptions()) {
  CsvTable table;
  std::string error;
  EXPECT_FALSE(ParseCsv(text, options, &table, &error)) << text;
  EXPECT_EQ(table.NumRows(), 0);
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

CsvReadOptions PieceSize(int64_t bytes) {
  CsvReadOptions options;
  options.read_block_bytes = bytes;
  return options;
}

// Everything a table holds, as text: names, numeric flags, and per row its
// line and each cell's kind, exact bits and text.
std::string Describe(const CsvTable& table) {
  std::string text;
  for (int j = 0; j < table.NumColumns(); ++j) {
    text += table.column_names()[j] +
            (table.IsNumericColumn(j) ? "(numeric)|" : "(text)|");
  }
  text += "\n";
  for (int i = 0; i < table.NumRows(); ++i) {
    text += std::to_string(table.LineNumber(i)) + ":";
    for (int j = 0; j < table.NumColumns(); ++j) {
      const CsvCell cell = table.Cell(i, j);
      uint64_t bits;
      std::memcpy(&bits, &cell.value, sizeof(bits));
      text += " [" + std::to_string(static_cast<int>(cell.kind)) + " " +
              std::to_string(bits) + " " + cell.text + "]";
    }
    text += "\n";
  }
  return text;
}

// A scratch folder, removed at the end of the test.
class ScratchFolder {
 public:
  ScratchFolder()
      : path_(
            std::filesystem::temp_directory_path() /
            ("csv_reader_test_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchFolder() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& text) const {
    const std::string path = (path_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(CsvReaderTest, QuotedFieldsCrlfAndEmbeddedNewlines) {
  const std::string text =
      "y,\"x, one\",label\r\n"
      "1,2.5,\"a \"\"quoted\"\" label\"\r\n"
      "0,-1e3,\"two\nlines\"\r\n";
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv(text, &table, &error)) << error;
  EXPECT_EQ(table.column_names(),
            (std::vector<std::string>{"y", "x, one", "label"}));
  ASSERT_EQ(table.NumRows(), 2);
  EXPECT_EQ(table.Cell(0, 2).kind, CsvCellKind::kNotNumeric);
  EXPECT_EQ(table.Cell(0, 2).text, "a \"quoted\" label");
  EXPECT_EQ(table.Cell(1, 2).text, "two\nlines");
  EXPECT_EQ(table.Cell(0, 1).kind, CsvCellKind::kNumber);
  EXPECT_EQ(table.Cell(0, 1).value, 2.5);
  EXPECT_EQ(table.Cell(1, 1).value, -1000.0);
  EXPECT_EQ(table.LineNumber(0), 2);
  EXPECT_EQ(table.LineNumber(1), 4);       // row 2 ends on line 4
  EXPECT_FALSE(table.IsNumericColumn(2));  // text only
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

TEST(CsvReaderTest, FirstBadCellInRowOrderIsReportedAndDroppedRowsSkipIt) {
  // Row 2 has a missing y before its bad x; row 3 a bad x.
  const std::string text = "y,x\n1,2\n,abc\n0,def\n";
  EXPECT_EQ(BuildError(text, Response("y")),
            "missing value (empty or NA) at line 3, column 'y'; drop "
            "incomplete rows to fit without it");
  DatasetSpec spec = Response("y");
  spec.drop_incomplete_rows = true;
  EXPECT_EQ(BuildError(text, spec),
            "non-numeric value 'def' at line 4, column 'x'");
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
  spec.predictors = {"x", "x"};
  EXPECT_EQ(BuildError("y,x\n1,2\n", spec), "predictor 'x' is listed twice");
}

TEST(CsvReaderTest, UnknownColumnListsFiftyNamesAndCountsTheRest) {
  std::string header;
  std::string row;
  for (int j = 0; j < 60; ++j) {
    header += (j ? ",c" : "c") + std::to_string(j);
    row += j ? ",1" : "1";
  }
  std::string expected = "unknown column 'y'; available columns: c0";
  for (int j = 1; j < 50; ++j) expected += ", c" + std::to_string(j);
  expected += " (and 10 more)";
  EXPECT_EQ(BuildError(header + "\n" + row + "\n", Response("y")), expected);
}

TEST(CsvReaderTest, MalformedFilesAreReportedWithTheirLine) {
  EXPECT_EQ(ParseError(""), "the file is empty: expected a header row");
  EXPECT_EQ(ParseError("\n\r\n  \n"),
            "the file is empty: expected a header row");
  EXPECT_EQ(ParseError("y,x\n"), "the file has a header but no data rows");
  EXPECT_EQ(ParseError("y,x\n1,2\n3\n"),
            "line 3 has 1 fields; the header has 2");
  EXPECT_EQ(ParseError("y,x\n1,2,3\n"),
            "line 2 has 3 fields; the header has 2");
  EXPECT_EQ(ParseError("y,x,y\n1,2,3\n"),
            "duplicated column name 'y' (columns 1 and 3)");
  EXPECT_EQ(ParseError("a,b,b,a\n1,2,3,4\n"),
            "duplicated column name 'b' (columns 2 and 3)");
  EXPECT_EQ(ParseError("y,,x\n1,2,3\n"),
            "column 2 of the header (line 1) has an empty name");
  EXPECT_EQ(ParseError("y,x,y,\n1,2,3,4\n"),
            "duplicated column name 'y' (columns 1 and 3)");
  EXPECT_EQ(ParseError("y,x\n1,\"unterminated\n"),
            "malformed CSV at line 2: the quoted field opened on line 2 is "
            "not closed");
  EXPECT_EQ(ParseError("y,x\n0,\"3\n1,4\n"),
            "malformed CSV at line 3: the quoted field opened on line 2 is "
            "not closed");
}

TEST(CsvReaderTest, StrictQuotingAsLibcsvStrictMode) {
  EXPECT_EQ(ParseError("y,x\n1,a\"b\n"),
            "malformed CSV at line 2: a quote inside an unquoted field (quote "
            "the whole field and write each quote in it as \"\")");
  EXPECT_EQ(ParseError("y,x\n1,\"a\"b\n"),
            "malformed CSV at line 2: 'b' after the closing quote of a field "
            "(a quote inside a quoted field is written \"\")");
  EXPECT_EQ(ParseError("y,x\n1,\"a\" \"\n"),
            "malformed CSV at line 2: a quote after the closing quote of a "
            "field");
  EXPECT_EQ(ParseError("y,x\n1,\"a\"\x01\n"),
            "malformed CSV at line 2: '\\x01' after the closing quote of a "
            "field (a quote inside a quoted field is written \"\")");
}

TEST(CsvReaderTest, SpacesBlankLinesAndLineEndsAsLibcsv) {
  // Spaces and tabs around fields and quotes are dropped (inside quotes they
  // stay, and a number's are trimmed); blank lines and lines of spaces are
  // skipped; CR, LF and CRLF end records; a trailing delimiter makes an
  // empty last field.
  const std::string text =
      "  a ,\t\"b c\"  , d\r\n"
      "\n"
      "   \n"
      "1 , \" 2 \" ,\r"
      "3,\"\"\"q\"\"\",4\n"
      "\"\",5 5,6";
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv(text, &table, &error)) << error;
  EXPECT_EQ(table.column_names(), (std::vector<std::string>{"a", "b c", "d"}));
  ASSERT_EQ(table.NumRows(), 3);
  EXPECT_EQ(table.Cell(0, 0).value, 1.0);
  EXPECT_EQ(table.Cell(0, 1).value, 2.0);
  EXPECT_EQ(table.Cell(0, 2).kind, CsvCellKind::kMissing);
  EXPECT_EQ(table.Cell(1, 1).text, "\"q\"");
  EXPECT_EQ(table.Cell(2, 0).kind, CsvCellKind::kMissing);
  EXPECT_EQ(table.Cell(2, 1).text, "5 5");
  EXPECT_EQ(table.Cell(2, 2).value, 6.0);
  // The lone CR ends row 0 on line 4, and row 1 is on the same line.
  EXPECT_EQ(table.LineNumber(0), 4);
  EXPECT_EQ(table.LineNumber(1), 4);
  EXPECT_EQ(table.LineNumber(2), 5);
}

TEST(CsvReaderTest, LineNumbersAcrossBlankLinesAndQuotedLineBreaks) {
  CsvTable table;
  std::string error;
  ASSERT_TRUE(
      ParseCsv("y,x\n\n1,2\n\n\n3,4\n5,\"a\nb\"\n6,7\n8,9", &table, &error))
      << error;
  ASSERT_EQ(table.NumRows(), 5);
  EXPECT_EQ(table.LineNumber(0), 3);
  EXPECT_EQ(table.LineNumber(1), 6);
  EXPECT_EQ(table.LineNumber(2), 8);
  EXPECT_EQ(table.LineNumber(3), 9);
  EXPECT_EQ(table.LineNumber(4), 10);
}

TEST(CsvReaderTest, ByteOrderMarkIsNotPartOfTheFirstName) {
  for (const int64_t piece : {1, 2, 3, 4, 256}) {
    CsvTable table;
    std::string error;
    ASSERT_TRUE(
        ParseCsv("\xEF\xBB\xBFy,x\n1,2\n", PieceSize(piece), &table, &error))
        << error;
    EXPECT_EQ(table.column_names(), (std::vector<std::string>{"y", "x"}));
  }
  // A stream shorter than a mark, and a partial mark, are text.
  CsvTable table;
  std::string error;
  ASSERT_FALSE(ParseCsv("y", &table, &error));
  EXPECT_EQ(error, "the file has a header but no data rows");
  ASSERT_TRUE(ParseCsv("\xEF\xBBy\n1\n", &table, &error)) << error;
  EXPECT_EQ(table.column_names(), (std::vector<std::string>{"\xEF\xBBy"}));
}

// Every feature of the dialect, tokenized in pieces of every small size:
// the table and the errors do not depend on where the pieces split.
TEST(CsvReaderTest, PieceBoundariesDoNotChangeTheTableOrTheErrors) {
  const std::string text =
      "\xEF\xBB\xBF"
      " y ,\"x, one\",\"la\"\"bel\"\r\n"
      "1,  2.5  ,\"a \"\"quoted\"\" label\"\r\n"
      "\n"
      "0,-1e3,\"two\nlines\"  \r\n"
      "NA,,\"\"\n"
      "1e400,0x10,  plain text  \r"
      "-0,1e-310,\"\"\"\"";
  CsvTable reference;
  std::string error;
  ASSERT_TRUE(ParseCsv(text, &reference, &error)) << error;
  ASSERT_EQ(reference.NumRows(), 5);
  const std::string expected = Describe(reference);
  for (int64_t piece = 1; piece <= 12; ++piece) {
    CsvTable table;
    ASSERT_TRUE(ParseCsv(text, PieceSize(piece), &table, &error)) << error;
    EXPECT_EQ(Describe(table), expected) << "pieces of " << piece;
  }

  CsvReadOptions small;
  small.limits.max_field_bytes = 6;
  small.limits.max_record_bytes = 20;
  const std::vector<std::string> bad = {"y,x\n1,2\n3,\"a\0b\"\n",
                                        "y,x\n1,\"abc\n\nd\"x\n",
                                        "y,x\n1,2\n3,abcdefg\n",
                                        "y,x\n1,\"ab\"\"\"\"cde\"\n",
                                        "y,x\n1,22,333,4444,55555,6\n",
                                        "y,x\n1,\"open\n",
                                        "y,x\n1,a\"\n"};
  for (const std::string& text_with_error : bad) {
    const std::string whole = ParseError(text_with_error, small);
    ASSERT_FALSE(whole.empty());
    for (int64_t piece = 1; piece <= 8; ++piece) {
      CsvReadOptions options = small;
      options.read_block_bytes = piece;
      EXPECT_EQ(ParseError(text_with_error, options), whole)
          << "pieces of " << piece;
    }
  }
}

TEST(CsvReaderTest, NulBytesAndUtf16AreNotText) {
  const std::string kNotText =
      " contains a NUL byte: the file is not text (UTF-16 or binary?)";
  EXPECT_EQ(ParseError(std::string("y,x\n1,2\n3,\"a\0b\"\n", 16)),
            "line 3" + kNotText);
  EXPECT_EQ(ParseError(std::string("y,x\n1,2\n3,a\0b\n", 14)),
            "line 3" + kNotText);
  EXPECT_EQ(ParseError(std::string("\0\0\0\0", 4)), "line 1" + kNotText);
  // UTF-16LE "y,x\n" without a byte-order mark, and with one.
  EXPECT_EQ(ParseError(std::string("y\0,\0x\0\n\0", 8)), "line 1" + kNotText);
  EXPECT_EQ(ParseError(std::string("\xFF\xFEy\0,\0x\0\n\0", 10)),
            "line 1 starts with a UTF-16 byte-order mark: the file is UTF-16 "
            "text; save it as UTF-8");
  EXPECT_EQ(ParseError(std::string("\xFE\xFF\0y", 4)),
            "line 1 starts with a UTF-16 byte-order mark: the file is UTF-16 "
            "text; save it as UTF-8");
}

TEST(CsvReaderTest, FieldLimitIsInclusiveAndNamesTheLine) {
  CsvReadOptions options;
  options.limits.max_field_bytes = 4;
  const std::string kLimit =
      " has a field longer than 4 bytes, the limit of the CSV reader";
  CsvTable table;
  std::string error;
  // Exactly at the limit: unquoted, quoted, with an escaped quote.
  EXPECT_TRUE(
      ParseCsv("abcd,\"efgh\"\n1,\"a\"\"bc\"\n", options, &table, &error))
      << error;
  EXPECT_EQ(table.Cell(0, 1).text, "a\"bc");
  EXPECT_EQ(ParseError("abcde,x\n1,2\n", options), "line 1" + kLimit);
  EXPECT_EQ(ParseError("y,x\n1,2\n3,\"abcde\"\n", options), "line 3" + kLimit);
  EXPECT_EQ(ParseError("y,x\n1,\"a\"\"bcd\"\n", options), "line 2" + kLimit);
  // A quoted field is reported on the line where it starts.
  EXPECT_EQ(ParseError("y,x\n1,\"ab\ncd\"\n", options), "line 2" + kLimit);
}

TEST(CsvReaderTest, DefaultFieldLimitIsOneMebibyte) {
  const std::string field(int64_t{1} << 20, 'a');
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv("y,x\n1," + field + "\n", &table, &error)) << error;
  EXPECT_EQ(table.Cell(0, 1).text.size(), field.size());
  EXPECT_EQ(ParseError("y,x\n1," + field + "a\n"),
            "line 2 has a field longer than 1048576 bytes (1 MiB), the limit "
            "of the CSV reader");
}

TEST(CsvReaderTest, RecordLimitIsInclusiveAndNamesTheLine) {
  CsvReadOptions options;
  options.limits.max_record_bytes = 8;
  CsvTable table;
  std::string error;
  EXPECT_TRUE(ParseCsv("y,x\n1234,567\n", options, &table, &error)) << error;
  EXPECT_TRUE(ParseCsv("y,x\r\n1234,567\r\n", options, &table, &error))
      << error;
  const std::string kLimit =
      " starts a record longer than 8 bytes, the limit of the CSV reader";
  EXPECT_EQ(ParseError("y,x\n1234,5678\n", options), "line 2" + kLimit);
  EXPECT_EQ(ParseError("y,x\n1,2\n\n\"12\n\",34567\n", options),
            "line 4" + kLimit);
  // A stream without line breaks stops within a piece of the limit.
  EXPECT_EQ(ParseError("y,x\n" + std::string(100000, ' '), options),
            "line 2" + kLimit);
}

TEST(CsvReaderTest, NumbersAreExactlyStrtodsDoubles) {
  const std::vector<std::string> numbers = {
      "0.1",
      "1e-310",
      "4.9406564584124654e-324",
      "2.2250738585072011e-308",
      "1.7976931348623157e308",
      "-0",
      "9007199254740993",
      "0.1000000000000000055511151231257827021181583404541015625",
      "123456789012345678901234567890",
      "7.038531e-26",
      "+3",
      "0x1.8p1",
      "1e-400",
      ".5",
      "5.",
      "1E5"};
  std::string text = "v\n";
  for (const std::string& number : numbers) text += number + "\n";
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv(text, &table, &error)) << error;
  ASSERT_EQ(table.NumRows(), static_cast<int>(numbers.size()));
  for (int i = 0; i < table.NumRows(); ++i) {
    const CsvCell cell = table.Cell(i, 0);
    ASSERT_EQ(cell.kind, CsvCellKind::kNumber) << numbers[i];
    const double expected = std::strtod(numbers[i].c_str(), nullptr);
    EXPECT_EQ(std::memcmp(&cell.value, &expected, sizeof(double)), 0)
        << numbers[i];
  }
  EXPECT_EQ(table.Cell(0, 0).value, 0.1);
  EXPECT_EQ(table.Cell(1, 0).value, 1e-310);
  EXPECT_EQ(std::fpclassify(table.Cell(1, 0).value), FP_SUBNORMAL);
  EXPECT_EQ(table.Cell(2, 0).value, std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(table.Cell(4, 0).value, std::numeric_limits<double>::max());
  EXPECT_EQ(table.Cell(5, 0).value, 0.0);
  EXPECT_TRUE(std::signbit(table.Cell(5, 0).value));
  EXPECT_EQ(table.Cell(6, 0).value, 9007199254740992.0);  // ties to even
  EXPECT_EQ(table.Cell(10, 0).value, 3.0);
  EXPECT_EQ(table.Cell(11, 0).value, 3.0);
  EXPECT_EQ(table.Cell(12, 0).value, 0.0);  // underflow, as strtod
}

TEST(CsvReaderTest, NonFiniteAndTextCellsKeepTheirText) {
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv("v\ninf\n-Infinity\nnan\n1e400\n\" 1e400 \"\n1.5.2\n",
                       &table, &error))
      << error;
  const std::vector<std::string> texts = {"inf",   "-Infinity", "nan",
                                          "1e400", "1e400",     "1.5.2"};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(table.Cell(i, 0).kind,
              i < 5 ? CsvCellKind::kNotFinite : CsvCellKind::kNotNumeric);
    EXPECT_EQ(table.Cell(i, 0).text, texts[i]);
  }
  EXPECT_TRUE(table.IsNumericColumn(0));
}

TEST(CsvReaderTest, MessagesEscapeControlBytesAndInvalidUtf8) {
  DatasetSpec spec = Response("y");
  spec.predictors = {"x\x01"};
  EXPECT_EQ(BuildError("y,\"x\x01\"\n1,\"a\x1b[31m\"\n", spec),
            "non-numeric value 'a\\x1b[31m' at line 2, column 'x\\x01'");
  EXPECT_EQ(ParseError("\"a\nb\",\"a\nb\"\n1,2\n"),
            "duplicated column name 'a\\x0ab' (columns 1 and 2)");
  spec.predictors = {"caf\xE9"};
  EXPECT_EQ(BuildError("y,caf\xE9\n1,x\xE9\n", spec),
            "non-numeric value 'x\\xe9' at line 2, column 'caf\\xe9'");
  spec.predictors = {"caf\xC3\xA9"};  // valid UTF-8 stays
  EXPECT_EQ(BuildError("y,caf\xC3\xA9\n1,\xE2\x82\xAC\n", spec),
            "non-numeric value '\xE2\x82\xAC' at line 2, column "
            "'caf\xC3\xA9'");
  spec.predictors = {"x"};
  EXPECT_EQ(BuildError("y,x\n1," + std::string(200, 'a') + "\n", spec),
            "non-numeric value '" + std::string(80, 'a') +
                "... (200 bytes)' at line 2, column 'x'");
  EXPECT_EQ(BuildError("y,x\n1,2\n", Response("z\r\n")),
            "unknown column 'z\\x0d\\x0a'; available columns: y, x");
}

// Tables of several blocks (the first holds 64 KiB of values): the rvalue
// overloads give the same data as the const ones, release the table on
// success and leave it whole on failure.
TEST(CsvReaderTest, ConsumingBuildsMatchCopyingBuildsAcrossBlocks) {
  std::string text = "y,x1,name,x2\n";
  const int kRows = 30000;
  for (int i = 0; i < kRows; ++i) {
    if (i % 7000 == 0) text += "\n";  // line breaks the row count skips
    const std::string x1 = i % 9973 == 0 ? "NA" : std::to_string(0.5 * i);
    text += std::to_string(i % 2) + "," + x1 + ",n" + std::to_string(i) + "," +
            std::to_string(-i) + "\n";
  }
  DatasetSpec spec = Response("y");
  spec.drop_incomplete_rows = true;
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv(text, &table, &error)) << error;
  ASSERT_EQ(table.NumRows(), kRows);
  EXPECT_EQ(table.LineNumber(kRows - 1), kRows + 1 + (kRows - 1) / 7000 + 1);
  Dataset copied;
  int dropped_copied = 0;
  ASSERT_TRUE(BuildDataset(table, spec, &copied, &dropped_copied, &error))
      << error;
  EXPECT_EQ(dropped_copied, 4);  // rows 0, 9973, 19946, 29919
  ASSERT_EQ(copied.NumSamples(), kRows - 4);
  EXPECT_EQ(copied.column_names,
            (std::vector<std::string>{"(Intercept)", "x1", "x2"}));
  EXPECT_EQ(copied.x.row(0), Eigen::RowVector3d(1, 0.5, -1));
  EXPECT_EQ(copied.x.row(kRows - 5),
            Eigen::RowVector3d(1, 0.5 * 29999, -29999));
  EXPECT_EQ(copied.y[kRows - 5], 1.0);

  DatasetSpec unknown = Response("nope");
  Dataset data;
  int dropped = 0;
  EXPECT_FALSE(
      BuildDataset(std::move(table), unknown, &data, &dropped, &error));
  ASSERT_EQ(table.NumRows(), kRows);  // unchanged by the failure
  ASSERT_TRUE(BuildDataset(std::move(table), spec, &data, &dropped, &error))
      << error;
  EXPECT_EQ(table.NumRows(), 0);
  EXPECT_EQ(table.NumColumns(), 0);
  EXPECT_EQ(dropped, dropped_copied);
  EXPECT_EQ(data.x, copied.x);
  EXPECT_EQ(data.y, copied.y);
  EXPECT_EQ(data.column_names, copied.column_names);

  ASSERT_TRUE(ParseCsv(text, &table, &error)) << error;
  RowMatrixXd copied_samples;
  RowMatrixXd samples;
  std::vector<std::string> names;
  ASSERT_TRUE(BuildSampleMatrix(table, {"x2", "x1"}, true, &copied_samples,
                                &names, &dropped, &error));
  ASSERT_TRUE(BuildSampleMatrix(std::move(table), {"x2", "x1"}, true, &samples,
                                &names, &dropped, &error));
  EXPECT_EQ(table.NumRows(), 0);
  EXPECT_EQ(samples, copied_samples);
  EXPECT_EQ(samples.row(0), Eigen::RowVector2d(-1, 0.5));
  EXPECT_EQ(names, (std::vector<std::string>{"x2", "x1"}));
}

TEST(CsvReaderTest, MissingFileNamesPathAndReason) {
  CsvTable table;
  std::string error;
  EXPECT_FALSE(ReadCsvFile("/nonexistent/data.csv", &table, &error));
  EXPECT_EQ(error,
            "cannot open '/nonexistent/data.csv': No such file or "
            "directory");
}

TEST(CsvReaderTest, ReadErrorsAreReportedAsWhatTheyAre) {
  const ScratchFolder folder;
  CsvTable table;
  std::string error;
  EXPECT_FALSE(ReadCsvFile(folder.path(), &table, &error));
  EXPECT_EQ(error, "cannot read '" + folder.path() + "': Is a directory");
  // Reading /proc/self/mem at offset 0 (unmapped) fails with EIO.
  EXPECT_FALSE(ReadCsvFile("/proc/self/mem", &table, &error));
  EXPECT_EQ(error, "cannot read '/proc/self/mem': Input/output error");
  const std::string empty = folder.Write("empty.csv", "");
  EXPECT_FALSE(ReadCsvFile(empty, &table, &error));
  EXPECT_EQ(error, empty + ": the file is empty: expected a header row");
  EXPECT_FALSE(ReadCsvFile("/dev/zero", &table, &error));
  EXPECT_EQ(error,
            "/dev/zero: line 1 contains a NUL byte: the file is not text "
            "(UTF-16 or binary?)");
  EXPECT_FALSE(ReadCsvFile("/dev/urandom", &table, &error));
  EXPECT_EQ(error.rfind("/dev/urandom: ", 0), 0u) << error;
  CsvReadOptions bad;
  bad.read_block_bytes = 0;
  EXPECT_FALSE(ReadCsvFile(empty, bad, &table, &error));
  EXPECT_EQ(error,
            "CsvReadOptions::read_block_bytes = 0 must be in [1, 1073741824]");
}

TEST(CsvReaderTest, FilesReadInSmallBlocksGiveTheSameTable) {
  const ScratchFolder folder;
  const std::string text =
      "\xEF\xBB\xBFy,\"x\"\r\n1,\"2\n\"\r\n\r\n3,4.25\r\n5,6";
  const std::string path = folder.Write("data.csv", text);
  CsvTable expected;
  std::string error;
  ASSERT_TRUE(ParseCsv(text, &expected, &error)) << error;
  for (const int64_t block : {1, 2, 5, 1 << 20}) {
    CsvReadOptions options;
    options.read_block_bytes = block;
    CsvTable table;
    ASSERT_TRUE(ReadCsvFile(path, options, &table, &error)) << error;
    EXPECT_EQ(Describe(table), Describe(expected));
  }
}

TEST(CsvReaderTest, ReadsAFifoToItsEnd) {
  const ScratchFolder folder;
  const std::string path = folder.path() + "/pipe.csv";
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0) << std::strerror(errno);
  std::thread writer([&] {
    std::ofstream pipe(path, std::ios::binary);
    pipe << "y,x\n";
    for (int i = 0; i < 50000; ++i) pipe << i % 2 << "," << i << "\n";
  });
  CsvReadOptions options;
  options.read_block_bytes = 4096;
  CsvTable table;
  std::string error;
  const bool ok = ReadCsvFile(path, options, &table, &error);
  writer.join();
  ASSERT_TRUE(ok) << error;
  ASSERT_EQ(table.NumRows(), 50000);
  EXPECT_EQ(table.Cell(49999, 1).value, 49999.0);
  EXPECT_EQ(table.LineNumber(49999), 50001);
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
  ASSERT_TRUE(ParseCsv("name\nann\n", &table, &error));
  EXPECT_FALSE(
      BuildSampleMatrix(table, {}, false, &samples, &names, &dropped, &error));
  EXPECT_EQ(error, "no numeric columns; available columns: name");
}

TEST(CsvReaderTest, AMovedFromTableIsEmpty) {
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ParseCsv("y,x\n1,2\n3,4\n", &table, &error));
  CsvTable moved(std::move(table));
  EXPECT_EQ(moved.NumRows(), 2);
  EXPECT_EQ(moved.Cell(1, 1).value, 4.0);
  EXPECT_EQ(table.NumRows(), 0);
  EXPECT_EQ(table.NumColumns(), 0);
  table = std::move(moved);
  EXPECT_EQ(table.NumRows(), 2);
  EXPECT_EQ(moved.NumRows(), 0);
}

TEST(CsvReaderTest, OptionsAreValidated) {
  CsvReadOptions options;
  std::string error;
  EXPECT_TRUE(options.IsValid(&error));
  options.limits.max_field_bytes = 0;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "CsvLimits::max_field_bytes = 0 must be >= 1");
  options = CsvReadOptions();
  options.limits.max_record_bytes = -3;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "CsvLimits::max_record_bytes = -3 must be >= 1");
  options = CsvReadOptions();
  options.read_block_bytes = (int64_t{1} << 30) + 1;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error,
            "CsvReadOptions::read_block_bytes = 1073741825 must be in [1, "
            "1073741824]");
}

TEST(CsvReaderTest, RangeAndThreadOptionsAreValidated) {
  CsvReadOptions options;
  std::string error;
  options.range_bytes = 0;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "CsvReadOptions::range_bytes = 0 must be >= 1");
  options = CsvReadOptions();
  options.threads = -1;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "CsvReadOptions::threads = -1 must be >= 0");
}

// Texts whose rows are cut at every byte by tiny ranges: quoted line breaks
// (a cut inside quotes), CRLF and a bare CR, blank lines and lines of
// spaces, a byte-order mark, text, missing and non-finite cells, and a last
// row without a line terminator.
const std::vector<std::string>& TextsToCut() {
  static const std::vector<std::string> texts = {
      "\xEF\xBB\xBF y ,\"x, one\",\"la\"\"bel\"\r\n"
      "1,  2.5  ,\"a \"\"quoted\"\" label\"\r\n"
      "\n"
      "0,-1e3,\"two\nlines\"  \r\n"
      "  \t \n"
      "NA,,\"\"\n"
      "1e400,0x10,  plain text  \r"
      "-0,1e-310,\"\"\"\"",
      "y,x\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n13,14\n",
      "y,x\n\n\n1,\"a\n\n\nb\"\n2,\"\n\"\n\n3,4\n",
      "a,b,c\r\n1,2,3\r\n4,5,6\r\n7,8,9"};
  return texts;
}

TEST(CsvReaderTest, ParallelRangesGiveTheStreamsTableForAnyThreadCount) {
  const ScratchFolder folder;
  int case_number = 0;
  for (const std::string& text : TextsToCut()) {
    const std::string path =
        folder.Write("cut" + std::to_string(case_number++) + ".csv", text);
    CsvTable reference;
    std::string error;
    ASSERT_TRUE(ParseCsv(text, &reference, &error)) << error;
    const std::string expected = Describe(reference);
    for (const int64_t range : {1, 2, 3, 5, 8, 13}) {
      for (const int threads : {1, 2, 3}) {
        CsvReadOptions options;
        options.range_bytes = range;
        options.threads = threads;
        options.read_block_bytes = 4;
        CsvTable table;
        ASSERT_TRUE(ReadCsvFile(path, options, &table, &error)) << error;
        EXPECT_EQ(Describe(table), expected)
            << "ranges of " << range << " bytes, " << threads << " threads";
      }
    }
  }
}

TEST(CsvReaderTest, ParallelRangesGiveTheStreamsFirstError) {
  const ScratchFolder folder;
  const std::vector<std::string> bad = {
      "y,x\n1,2\n3,4\n5,6\n7\n9,10\n11,12,13\n",  // line 5: 1 field
      "y,x\n1,2\n3,4\n5,\"a\0b\"\n7,8\n",         // a NUL byte
      "y,x\n1,2\n3,4\n5,6\n7,\"open\n8,9\n",      // quotes never closed
      "y,x\n1,2\n3,a\"b\n5,6\n",                  // a quote in a field
      "y,x\n",                                    // no data rows
      "y,y\n1,2\n3,4\n5,6\n"};                    // a duplicated name
  int case_number = 0;
  for (const std::string& text : bad) {
    const std::string path =
        folder.Write("bad" + std::to_string(case_number++) + ".csv", text);
    const std::string expected = path + ": " + ParseError(text);
    for (const int64_t range : {1, 2, 3, 7}) {
      for (const int threads : {1, 3}) {
        CsvReadOptions options;
        options.range_bytes = range;
        options.threads = threads;
        CsvTable table;
        std::string error;
        EXPECT_FALSE(ReadCsvFile(path, options, &table, &error));
        EXPECT_EQ(error, expected) << "ranges of " << range;
        EXPECT_EQ(table.NumRows(), 0);
      }
    }
  }
}

TEST(CsvReaderTest, ParallelReadReportsProgressUpToTheWholeFile) {
  const ScratchFolder folder;
  std::string text = "y,x\n";
  for (int i = 0; i < 1000; ++i) text += std::to_string(i) + ",1\n";
  const std::string path = folder.Write("progress.csv", text);
  CsvReadOptions options;
  options.range_bytes = 256;
  int64_t calls = 0;
  int64_t last_bytes = 0;
  int64_t last_rows = 0;
  int64_t total = 0;
  options.progress = [&](int64_t bytes, int64_t rows, int64_t total_bytes) {
    ++calls;
    EXPECT_GE(bytes, last_bytes);
    last_bytes = bytes;
    last_rows = rows;
    total = total_bytes;
  };
  CsvTable table;
  std::string error;
  ASSERT_TRUE(ReadCsvFile(path, options, &table, &error)) << error;
  // One call per range: the data's 7 890 bytes in ranges of 256 bytes.
  EXPECT_EQ(calls, (static_cast<int64_t>(text.size()) - 4) / 256);
  EXPECT_EQ(last_bytes, static_cast<int64_t>(text.size()));
  EXPECT_EQ(total, static_cast<int64_t>(text.size()));
  EXPECT_EQ(last_rows, 1000);
}

// The parts of a file, concatenated, are the whole-file table, and each
// part's first_row and line numbers are the file's.
void ExpectPartsPartitionTheFile(const std::string& path, const CsvTable& whole,
                                 int parts, const CsvReadOptions& options) {
  int64_t next_row = 0;
  for (int k = 0; k < parts; ++k) {
    CsvTable table;
    int64_t first_row = -1;
    std::string error;
    ASSERT_TRUE(ReadCsvFilePart(path, options, CsvPart{k, parts}, &table,
                                &first_row, &error))
        << error << " (part " << k << " of " << parts << ")";
    EXPECT_EQ(table.column_names(), whole.column_names());
    EXPECT_EQ(first_row, next_row) << "part " << k << " of " << parts;
    for (int i = 0; i < table.NumRows(); ++i) {
      const int row = static_cast<int>(first_row + i);
      ASSERT_LT(row, whole.NumRows());
      EXPECT_EQ(table.LineNumber(i), whole.LineNumber(row));
      for (int j = 0; j < table.NumColumns(); ++j) {
        const CsvCell cell = table.Cell(i, j);
        const CsvCell expected = whole.Cell(row, j);
        EXPECT_EQ(cell.kind, expected.kind);
        EXPECT_EQ(std::memcmp(&cell.value, &expected.value, sizeof(double)), 0);
        EXPECT_EQ(cell.text, expected.text);
      }
    }
    next_row = first_row + table.NumRows();
  }
  EXPECT_EQ(next_row, whole.NumRows()) << parts << " parts";
}

TEST(CsvReaderTest, PartsPartitionTheRowsWithTheFilesRowsAndLines) {
  const ScratchFolder folder;
  int case_number = 0;
  for (const std::string& text : TextsToCut()) {
    const std::string path =
        folder.Write("part" + std::to_string(case_number++) + ".csv", text);
    CsvTable whole;
    std::string error;
    ASSERT_TRUE(ParseCsv(text, &whole, &error)) << error;
    for (int parts = 1; parts <= static_cast<int>(text.size()) + 2; ++parts) {
      for (const int64_t block : {3, 1 << 20}) {
        CsvReadOptions options;
        options.read_block_bytes = block;
        ExpectPartsPartitionTheFile(path, whole, parts, options);
      }
    }
  }
}

TEST(CsvReaderTest, PartsCutAtLineStartsOfEqualByteRanges) {
  const ScratchFolder folder;
  // Data rows of 4 bytes after a header of 4: two parts cut the 24 data
  // bytes at byte 4 + 12, a line start, so each holds 3 rows.
  const std::string path =
      folder.Write("even.csv", "y,x\n1,2\n3,4\n5,6\n7,8\n9,0\n1,2\n");
  std::string error;
  CsvTable table;
  int64_t first_row = -1;
  ASSERT_TRUE(ReadCsvFilePart(path, CsvReadOptions(), CsvPart{1, 2}, &table,
                              &first_row, &error))
      << error;
  EXPECT_EQ(first_row, 3);
  ASSERT_EQ(table.NumRows(), 3);
  EXPECT_EQ(table.Cell(0, 0).value, 7.0);
  EXPECT_EQ(table.LineNumber(0), 5);
  // A quoted field over the cut moves it to the next line start outside
  // quotes: part 0 keeps the record that starts before the cut.
  const std::string quoted =
      folder.Write("quoted.csv", "y,x\n1,\"a\nb\nc\nd\nef\"\n2,3\n");
  ASSERT_TRUE(ReadCsvFilePart(quoted, CsvReadOptions(), CsvPart{0, 2}, &table,
                              &first_row, &error))
      << error;
  EXPECT_EQ(table.NumRows(), 1);
  EXPECT_EQ(table.Cell(0, 1).text, "a\nb\nc\nd\nef");
  ASSERT_TRUE(ReadCsvFilePart(quoted, CsvReadOptions(), CsvPart{1, 2}, &table,
                              &first_row, &error))
      << error;
  EXPECT_EQ(first_row, 1);
  ASSERT_EQ(table.NumRows(), 1);
  EXPECT_EQ(table.Cell(0, 0).value, 2.0);
  EXPECT_EQ(table.LineNumber(0), 7);
}

TEST(CsvReaderTest, PartsRefusePipesAndBadPartsAndReportErrorsWithLines) {
  const ScratchFolder folder;
  CsvTable table;
  int64_t first_row = 0;
  std::string error;
  EXPECT_FALSE(ReadCsvFilePart("/dev/null", CsvReadOptions(), CsvPart{0, 1},
                               &table, &first_row, &error));
  EXPECT_EQ(error,
            "cannot read a part of '/dev/null': not a regular file (a pipe or "
            "device is read whole)");
  const std::string path = folder.Write("bad.csv", "y,x\n1,2\n3,4\n5\n7,8\n");
  EXPECT_FALSE(ReadCsvFilePart(path, CsvReadOptions(), CsvPart{2, 2}, &table,
                               &first_row, &error));
  EXPECT_EQ(error, "CsvPart {2, 2} must have 0 <= part < parts");
  // The bad row (line 4) starts in part 1 of 2.
  ASSERT_TRUE(ReadCsvFilePart(path, CsvReadOptions(), CsvPart{0, 2}, &table,
                              &first_row, &error))
      << error;
  EXPECT_FALSE(ReadCsvFilePart(path, CsvReadOptions(), CsvPart{1, 2}, &table,
                               &first_row, &error));
  EXPECT_EQ(error, path + ": line 4 has 1 fields; the header has 2");
  EXPECT_EQ(table.NumRows(), 0);
  const std::string empty = folder.Write("empty.csv", "");
  EXPECT_FALSE(ReadCsvFilePart(empty, CsvReadOptions(), CsvPart{0, 3}, &table,
                               &first_row, &error));
  EXPECT_EQ(error, empty + ": the file is empty: expected a header row");
}

}  // namespace
}  // namespace fisheropt
