#include "problems/csv_tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fisheropt {
namespace {

// Records the tokens as text: fields in brackets, "|L" at a record end on
// line L.
class Recorder : public CsvFieldHandler {
 public:
  bool OnField(std::string_view text, std::string* /*error*/) override {
    if (keep_text) tokens += "[" + std::string(text) + "]";
    ++fields;
    return true;
  }
  bool OnRecordEnd(int64_t line, std::string* error) override {
    if (keep_text) tokens += "|" + std::to_string(line) + "\n";
    if (fail_at_record_end) {
      *error = "stop";
      return false;
    }
    return true;
  }
  std::string tokens;
  int64_t fields = 0;
  bool keep_text = true;
  bool fail_at_record_end = false;
};

std::string Tokens(const std::string& text, int64_t piece = 1 << 20) {
  Recorder recorder;
  CsvTokenizer tokenizer(CsvLimits(), &recorder);
  std::string error;
  for (size_t at = 0; at < text.size(); at += piece) {
    EXPECT_TRUE(
        tokenizer.Feed(std::string_view(text).substr(at, piece), &error))
        << error;
  }
  EXPECT_TRUE(tokenizer.Finish(&error)) << error;
  return recorder.tokens;
}

TEST(CsvTokenizerTest, FieldsAndRecordEndsInEveryPieceSize) {
  const std::string text =
      "\xEF\xBB\xBF"
      "a, b ,\"c\"\"d\"\r\n"
      "\n"
      " \"e\nf\" ,,\r"
      "\"\"";
  const std::string expected =
      "[a][b][c\"d]|1\n"
      "[e\nf][][]|4\n"
      "[]|4\n";
  for (int64_t piece = 1; piece <= 10; ++piece) {
    EXPECT_EQ(Tokens(text, piece), expected) << "pieces of " << piece;
  }
}

TEST(CsvTokenizerTest, HandlerErrorsStopTheStream) {
  Recorder recorder;
  recorder.fail_at_record_end = true;
  CsvTokenizer tokenizer(CsvLimits(), &recorder);
  std::string error;
  EXPECT_FALSE(tokenizer.Feed("a,b\nc,d\n", &error));
  EXPECT_EQ(error, "stop");
  EXPECT_EQ(recorder.tokens, "[a][b]|1\n");
}

TEST(CsvTokenizerTest, BytesFedCountTheByteOrderMark) {
  Recorder recorder;
  CsvTokenizer tokenizer(CsvLimits(), &recorder);
  std::string error;
  ASSERT_TRUE(tokenizer.Feed("\xEF\xBB", &error));
  ASSERT_TRUE(
      tokenizer.Feed("\xBF"
                     "a\n",
                     &error));
  EXPECT_EQ(tokenizer.bytes_fed(), 5);
  EXPECT_EQ(recorder.tokens, "[a]|1\n");
}

// The default record limit, exactly: a record of 64 MiB of "1," fields is
// read; one more byte is an error at the start line of the record, found
// before the record ends.
TEST(CsvTokenizerTest, DefaultRecordLimitIsSixtyFourMebibytes) {
  const int64_t limit = int64_t{64} << 20;
  std::string piece;
  for (int i = 0; i < (1 << 19); ++i) piece += "1,";  // 1 MiB
  for (const int64_t extra : {0, 1}) {
    Recorder recorder;
    recorder.keep_text = false;
    CsvTokenizer tokenizer(CsvLimits(), &recorder);
    std::string error;
    ASSERT_TRUE(tokenizer.Feed("h\n", &error));
    bool ok = true;
    for (int64_t fed = 0; ok && fed < limit; fed += piece.size()) {
      ok = tokenizer.Feed(piece, &error);
    }
    ASSERT_TRUE(ok) << error;
    // The record so far is 64 MiB and ends with a delimiter.
    ok = tokenizer.Feed(extra ? "1\n" : "\n", &error);
    if (extra == 0) {
      EXPECT_TRUE(ok) << error;
      EXPECT_EQ(recorder.fields, 1 + (limit / 2) + 1);
    } else {
      EXPECT_FALSE(ok);
      EXPECT_EQ(error,
                "line 2 starts a record longer than 67108864 bytes (64 MiB), "
                "the limit of the CSV reader");
    }
  }
}

TEST(CsvTokenizerTest, RecordLimitCountsLeadingSpacesButNotBlankLines) {
  CsvLimits limits;
  limits.max_record_bytes = 4;
  Recorder recorder;
  CsvTokenizer tokenizer(limits, &recorder);
  std::string error;
  EXPECT_TRUE(tokenizer.Feed("\n\n\n\r\n  ab\n", &error)) << error;
  EXPECT_FALSE(tokenizer.Feed("    \n", &error) &&
               tokenizer.Feed("     ", &error));
  EXPECT_EQ(error,
            "line 7 starts a record longer than 4 bytes, the limit of the "
            "CSV reader");
}

}  // namespace
}  // namespace fisheropt
