#include "problems/csv_tokenizer.h"

#include <algorithm>
#include <array>

#include "problems/printable_text.h"

namespace fisheropt {
namespace {

constexpr char kDelimiter = ',';
constexpr char kQuote = '"';
constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LittleEndianMark = "\xFF\xFE";
constexpr std::string_view kUtf16BigEndianMark = "\xFE\xFF";

// Bytes that end a run of plain field text: in an unquoted field the
// delimiter, the quote, CR, LF and NUL; in a quoted field the quote, LF
// (counted as a line) and NUL.
using ByteSet = std::array<bool, 256>;

constexpr ByteSet MakeByteSet(std::string_view bytes) {
  ByteSet set{};
  for (char c : bytes) set[static_cast<unsigned char>(c)] = true;
  return set;
}

constexpr ByteSet kUnquotedStops =
    MakeByteSet(std::string_view(",\"\r\n\0", 5));
constexpr ByteSet kQuotedStops = MakeByteSet(std::string_view("\"\n\0", 3));

const char* ScanTo(const ByteSet& stops, const char* p, const char* end) {
  while (p < end && !stops[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimTrailingSpaces(std::string_view text) {
  size_t size = text.size();
  while (size > 0 && IsSpace(text[size - 1])) --size;
  return text.substr(0, size);
}

}  // namespace

bool CsvLimits::IsValid(std::string* error) const {
  const auto check = [&](const char* name, int64_t value) {
    if (value >= 1) return true;
    *error = std::string("CsvLimits::") + name + " = " + std::to_string(value) +
             " must be >= 1";
    return false;
  };
  return check("max_field_bytes", max_field_bytes) &&
         check("max_record_bytes", max_record_bytes);
}

CsvTokenizer::CsvTokenizer(const CsvLimits& limits, CsvFieldHandler* handler)
    : limits_(limits), handler_(handler) {}

void CsvTokenizer::StartAt(int64_t offset, int64_t line) {
  stream_start_done_ = true;
  piece_offset_ = offset;
  record_start_ = offset;
  line_ = line;
  record_start_line_ = line;
  field_line_ = line;
}

bool CsvTokenizer::Feed(std::string_view bytes, std::string* error) {
  if (bytes.empty()) return true;
  bytes_fed_ += static_cast<int64_t>(bytes.size());
  last_byte_was_newline_ = bytes.back() == '\n';
  if (!stream_start_done_) {
    // The first three bytes decide whether the stream starts with a
    // byte-order mark; they are tokenized once known.
    const size_t take = std::min(3 - stream_start_.size(), bytes.size());
    stream_start_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (stream_start_.size() < 3) return true;
    if (!StartStream(error)) return false;
  }
  return TokenizePiece(bytes, error);
}

bool CsvTokenizer::StartStream(std::string* error) {
  stream_start_done_ = true;
  const std::string_view start = stream_start_;
  if (start.substr(0, 3) == kUtf8ByteOrderMark) {
    // Spreadsheet exports: the mark is not part of the first column's name.
    piece_offset_ = 3;
    record_start_ = 3;
    return true;
  }
  if (start.substr(0, 2) == kUtf16LittleEndianMark ||
      start.substr(0, 2) == kUtf16BigEndianMark) {
    *error =
        "line 1 starts with a UTF-16 byte-order mark: the file is UTF-16 "
        "text; save it as UTF-8";
    return false;
  }
  return TokenizePiece(start, error);
}

bool CsvTokenizer::TokenizePiece(std::string_view piece, std::string* error) {
  if (piece.empty()) return true;
  piece_ = piece.data();
  if (!Tokenize(piece_, piece_ + piece.size(), error)) return false;
  piece_offset_ += static_cast<int64_t>(piece.size());
  return true;
}

// Every error is raised at the byte that causes it, so the first error in
// the stream is reported whatever the pieces: a byte of a record (anything
// but its line terminator) at or past RecordEnd() makes the record too long,
// checked before anything else about that byte.
bool CsvTokenizer::Tokenize(const char* p, const char* end,
                            std::string* error) {
  while (p < end) {
    switch (state_) {
      case State::kRecordStart: {
        const char c = *p;
        if (c == '\n' || c == '\r') {  // a blank line, or CRLF's LF
          if (c == '\n') ++line_;
          ++p;
          record_start_ = Offset(p);
          record_start_line_ = line_;
        } else if (Offset(p) >= RecordEnd()) {
          return RecordTooLong(error);
        } else if (IsSpace(c)) {
          ++p;
        } else {
          state_ = State::kFieldStart;
        }
        break;
      }
      case State::kFieldStart: {
        const char c = *p;
        if (c == '\r' || c == '\n') {
          if (!EmitField({}, error) || !EndRecord(p, error)) return false;
          ++p;
        } else if (Offset(p) >= RecordEnd()) {
          return RecordTooLong(error);
        } else if (IsSpace(c)) {
          ++p;
        } else if (c == kDelimiter) {
          if (!EmitField({}, error)) return false;
          ++p;
        } else if (c == kQuote) {
          field_.clear();
          field_line_ = line_;
          state_ = State::kQuoted;
          ++p;
        } else if (c == '\0') {
          return NulByte(error);
        } else {
          // The fast path: an unquoted field that ends in this piece is
          // passed as a view of the piece.
          field_.clear();
          field_line_ = line_;
          state_ = State::kUnquoted;
          const char* stop = nullptr;
          if (!ScanUnquoted(p, end, &stop, error)) return false;
          if (stop == end) {
            field_.assign(p, stop);
          } else if (!EndUnquoted(std::string_view(p, stop - p), stop, error)) {
            return false;
          }
          p = stop == end ? end : stop + 1;
        }
        break;
      }
      case State::kUnquoted: {
        const char* stop = nullptr;
        if (!ScanUnquoted(p, end, &stop, error)) return false;
        field_.append(p, stop);
        if (stop != end && !EndUnquoted(field_, stop, error)) return false;
        p = stop == end ? end : stop + 1;
        break;
      }
      case State::kQuoted: {
        const char* bound = RecordBound(p, end);
        const char* stop = ScanTo(kQuotedStops, p, bound);
        const bool newline = stop < bound && *stop == '\n';
        if (static_cast<int64_t>(field_.size()) + (stop - p) + newline >
            limits_.max_field_bytes) {
          return FieldTooLong(error);
        }
        field_.append(p, stop);
        if (stop == bound && bound < end) {
          return RecordTooLong(error);  // inside quotes nothing ends it
        } else if (stop == end) {
          p = end;
        } else if (newline) {
          field_.push_back('\n');
          ++line_;
          p = stop + 1;
        } else if (*stop == '\0') {
          return NulByte(error);
        } else {  // a quote: an escape or the end of the field
          spaces_after_quote_ = 0;
          state_ = State::kAfterQuote;
          p = stop + 1;
        }
        break;
      }
      case State::kAfterQuote: {
        const char c = *p;
        if (c == '\r' || c == '\n') {
          if (!EmitField(field_, error) || !EndRecord(p, error)) return false;
        } else if (Offset(p) >= RecordEnd()) {
          return RecordTooLong(error);
        } else if (c == kQuote) {
          if (spaces_after_quote_ > 0) {
            return Malformed("a quote after the closing quote of a field",
                             error);
          }
          if (static_cast<int64_t>(field_.size()) + 1 >
              limits_.max_field_bytes) {
            return FieldTooLong(error);
          }
          field_.push_back(kQuote);  // "" is a quote in the text
          state_ = State::kQuoted;
        } else if (IsSpace(c)) {
          ++spaces_after_quote_;
        } else if (c == kDelimiter) {
          if (!EmitField(field_, error)) return false;
          state_ = State::kFieldStart;
        } else if (c == '\0') {
          return NulByte(error);
        } else {
          return Malformed("'" + PrintableText(std::string_view(p, 1)) +
                               "' after the closing quote of a field "
                               "(a quote inside a quoted field is written "
                               "\"\")",
                           error);
        }
        ++p;
        break;
      }
    }
  }
  return true;
}

const char* CsvTokenizer::RecordBound(const char* p, const char* end) const {
  const int64_t room = RecordEnd() - Offset(p);
  if (room <= 0) return p;
  return room < end - p ? p + room : end;
}

bool CsvTokenizer::ScanUnquoted(const char* p, const char* end,
                                const char** stop, std::string* error) const {
  const char* bound = RecordBound(p, end);
  *stop = ScanTo(kUnquotedStops, p, bound);
  if (static_cast<int64_t>(field_.size()) + (*stop - p) >
      limits_.max_field_bytes) {
    return FieldTooLong(error);
  }
  // A stop at the record's bound is fine only when it is the line end.
  if (*stop == bound && bound < end && *bound != '\r' && *bound != '\n') {
    return RecordTooLong(error);
  }
  return true;
}

bool CsvTokenizer::EndUnquoted(std::string_view text, const char* stop,
                               std::string* error) {
  switch (*stop) {
    case kQuote:
      return Malformed(
          "a quote inside an unquoted field (quote the whole field and "
          "write each quote in it as \"\")",
          error);
    case '\0':
      return NulByte(error);
    case kDelimiter:
      state_ = State::kFieldStart;
      return EmitField(TrimTrailingSpaces(text), error);
    default:  // CR or LF
      return EmitField(TrimTrailingSpaces(text), error) &&
             EndRecord(stop, error);
  }
}

bool CsvTokenizer::EmitField(std::string_view text, std::string* error) {
  return handler_->OnField(text, error);
}

bool CsvTokenizer::EndRecord(const char* at, std::string* error) {
  state_ = State::kRecordStart;
  const int64_t line = line_;
  if (*at == '\n') ++line_;
  record_start_ = Offset(at) + 1;
  record_start_line_ = line_;
  return handler_->OnRecordEnd(line, error);
}

bool CsvTokenizer::RecordTooLong(std::string* error) const {
  *error = "line " + std::to_string(record_start_line_) +
           " starts a record longer than " +
           DescribeBytes(limits_.max_record_bytes) +
           ", the limit of the CSV reader";
  return false;
}

bool CsvTokenizer::FieldTooLong(std::string* error) const {
  *error = "line " + std::to_string(field_line_) + " has a field longer than " +
           DescribeBytes(limits_.max_field_bytes) +
           ", the limit of the CSV reader";
  return false;
}

bool CsvTokenizer::NulByte(std::string* error) const {
  *error = "line " + std::to_string(line_) +
           " contains a NUL byte: the file is not text (UTF-16 or binary?)";
  return false;
}

bool CsvTokenizer::Malformed(const std::string& what,
                             std::string* error) const {
  *error = "malformed CSV at line " + std::to_string(line_) + ": " + what;
  return false;
}

bool CsvTokenizer::Finish(std::string* error) {
  if (!stream_start_done_ && !StartStream(error)) return false;
  // The line of the end of the stream, counted as the lines that hold bytes.
  const int64_t last_line = last_byte_was_newline_ ? line_ - 1 : line_;
  std::string_view text = field_;
  switch (state_) {
    case State::kRecordStart:
      return true;
    case State::kQuoted:
      *error = "malformed CSV at line " + std::to_string(last_line) +
               ": the quoted field opened on line " +
               std::to_string(field_line_) + " is not closed";
      return false;
    case State::kFieldStart:
      text = {};
      break;
    case State::kUnquoted:
      text = TrimTrailingSpaces(text);
      break;
    case State::kAfterQuote:
      break;
  }
  state_ = State::kRecordStart;
  return handler_->OnField(text, error) &&
         handler_->OnRecordEnd(last_line, error);
}

}  // namespace fisheropt
