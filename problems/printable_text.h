#ifndef FISHEROPT_PROBLEMS_PRINTABLE_TEXT_H_
#define FISHEROPT_PROBLEMS_PRINTABLE_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fisheropt {

// Text from a user's file (a cell, a column name) made safe to quote in a
// one-line message: control bytes (0x00–0x1F, 0x7F) and bytes that are not
// part of valid UTF-8 are written as \xNN, so a message never carries a NUL,
// a line break or a terminal escape, and a Latin-1 name stays readable.
// Valid UTF-8 is kept. Text longer than `max_bytes` is cut at a character
// boundary and ends with "... (N bytes)".
std::string PrintableText(std::string_view text, size_t max_bytes = 80);

// A byte count for messages: "1048576 bytes (1 MiB)", "100 bytes".
std::string DescribeBytes(int64_t bytes);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_PRINTABLE_TEXT_H_
