#include "problems/printable_text.h"

namespace fisheropt {
namespace {

// Length of the valid UTF-8 sequence at text[at] (1 to 4), or 0 when the
// byte there does not start one (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
size_t Utf8SequenceLength(std::string_view text, size_t at) {
  const auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[at + i]);
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80;  // range of the second byte
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

std::string PrintableText(std::string_view text, size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string printable;
  size_t at = 0;
  while (at < text.size()) {
    if (at >= max_bytes) {
      return printable + "... (" + std::to_string(text.size()) + " bytes)";
    }
    const auto c = static_cast<unsigned char>(text[at]);
    const size_t length = Utf8SequenceLength(text, at);
    if (length == 0 || c < 0x20 || c == 0x7F) {
      printable += "\\x";
      printable += kHex[c >> 4];
      printable += kHex[c & 0xF];
      ++at;
    } else {
      printable.append(text.substr(at, length));
      at += length;
    }
  }
  return printable;
}

std::string DescribeBytes(int64_t bytes) {
  std::string text = std::to_string(bytes) + " bytes";
  constexpr int64_t kKiB = 1024;
  constexpr int64_t kMiB = kKiB * kKiB;
  if (bytes > 0 && bytes % kMiB == 0) {
    text += " (" + std::to_string(bytes / kMiB) + " MiB)";
  } else if (bytes > 0 && bytes % kKiB == 0) {
    text += " (" + std::to_string(bytes / kKiB) + " KiB)";
  }
  return text;
}

}  // namespace fisheropt
