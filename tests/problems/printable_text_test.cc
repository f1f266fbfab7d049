#include "problems/printable_text.h"

#include <gtest/gtest.h>

namespace fisheropt {
namespace {

TEST(PrintableTextTest, EscapesControlBytesAndInvalidUtf8Only) {
  EXPECT_EQ(PrintableText("plain, text; \\ \"q\""), "plain, text; \\ \"q\"");
  EXPECT_EQ(PrintableText(std::string("a\0b\n\r\t\x1b\x7f", 8)),
            "a\\x00b\\x0a\\x0d\\x09\\x1b\\x7f");
  // Valid UTF-8 of 2, 3 and 4 bytes stays; Latin-1, a lone continuation
  // byte, an overlong form, a surrogate and a truncated sequence do not.
  EXPECT_EQ(PrintableText("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(PrintableText("caf\xE9"), "caf\\xe9");
  EXPECT_EQ(PrintableText("\x80"), "\\x80");
  EXPECT_EQ(PrintableText("\xC0\xAF"), "\\xc0\\xaf");
  EXPECT_EQ(PrintableText("\xED\xA0\x80"), "\\xed\\xa0\\x80");
  EXPECT_EQ(PrintableText("\xE2\x82"), "\\xe2\\x82");
  // UTF-16LE "y": a byte and a NUL.
  EXPECT_EQ(PrintableText(std::string("y\0", 2)), "y\\x00");
}

TEST(PrintableTextTest, LongTextIsCutAtACharacterWithItsLength) {
  EXPECT_EQ(PrintableText("abcdef", 6), "abcdef");
  EXPECT_EQ(PrintableText("abcdefg", 6), "abcdef... (7 bytes)");
  // The 2-byte é starting at byte 3 is kept whole.
  EXPECT_EQ(PrintableText("abc\xC3\xA9xyz", 4), "abc\xC3\xA9... (8 bytes)");
}

TEST(PrintableTextTest, DescribesByteCounts) {
  EXPECT_EQ(DescribeBytes(100), "100 bytes");
  EXPECT_EQ(DescribeBytes(4096), "4096 bytes (4 KiB)");
  EXPECT_EQ(DescribeBytes(int64_t{1} << 20), "1048576 bytes (1 MiB)");
  EXPECT_EQ(DescribeBytes(int64_t{64} << 20), "67108864 bytes (64 MiB)");
}

}  // namespace
}  // namespace fisheropt
