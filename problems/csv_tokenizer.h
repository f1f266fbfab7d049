#ifndef FISHEROPT_PROBLEMS_CSV_TOKENIZER_H_
#define FISHEROPT_PROBLEMS_CSV_TOKENIZER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace fisheropt {

// Bounds on what one field and one record of a CSV stream may hold, so that
// a stream that is not a CSV file (/dev/zero, /dev/urandom, a file without
// line breaks) fails after a bounded amount of work and memory instead of
// growing until the allocator gives up.
struct CsvLimits {
  // Longest field, in bytes of its text (a quoted field's text without its
  // enclosing quotes). A number needs fewer than 40 bytes; text cells are
  // only kept to be quoted in error messages. 1 MiB is 32 times the longest
  // cell a spreadsheet holds (Excel: 32,767 characters).
  int64_t max_field_bytes = int64_t{1} << 20;
  // Longest record, in bytes from its first byte to its line terminator
  // (quoted line breaks included). 64 MiB holds more than 3·10⁶ numeric
  // fields: a design that wide has a p × p curvature of 70 TB, so a longer
  // record is not data this library fits. It also bounds the header, whose
  // names are kept (a few times this size in memory, for very short names).
  int64_t max_record_bytes = int64_t{64} << 20;

  // Both limits ≥ 1; the message names the field, its value and the rule.
  bool IsValid(std::string* error) const;
};

// Receives the fields and record ends of a CSV stream, in order.
class CsvFieldHandler {
 public:
  virtual ~CsvFieldHandler() = default;
  // One field's text: quotes removed, "" unescaped, the spaces and tabs
  // around an unquoted field removed. The bytes are valid during the call
  // only. Returning false stops the stream with *error as its message.
  virtual bool OnField(std::string_view text, std::string* error) = 0;
  // The end of a record, on physical line `line` (1-based, counted at '\n';
  // a record with quoted line breaks ends on its last line).
  virtual bool OnRecordEnd(int64_t line, std::string* error) = 0;
};

// An RFC 4180 tokenizer fed a byte stream in pieces of any size: one pass,
// no look-back, memory bounded by CsvLimits (one field's text when it spans
// pieces or is quoted; unquoted fields inside a piece are passed to the
// handler as views of the piece, without a copy).
//
// The dialect is libcsv's strict mode, a documented dialect in which
// malformed quoting is an error rather than a guess (a differential fuzz run
// against libcsv found no difference): ',' separates fields; CR, LF and CRLF
// end records; blank lines (and lines of spaces) are skipped; spaces and tabs
// around an unquoted field and around a quoted field's quotes are dropped; a
// quote inside an unquoted field, or anything but spaces, a delimiter or a
// line end after a closing quote, is an error. A UTF-8 byte-order mark at the
// start is skipped. Not accepted, each with a one-line error naming the line:
// a NUL byte anywhere (the stream is not text: UTF-16 or binary), a UTF-16
// byte-order mark, a field or a record over its limit, and a quoted field
// still open at the end of the stream. Each error is raised at the byte that
// causes it (a record is too long at its first byte past the limit), so the
// first error of a stream is the same however it is cut into pieces.
class CsvTokenizer {
 public:
  CsvTokenizer(const CsvLimits& limits, CsvFieldHandler* handler);

  // Tokenizes the next piece of the stream. False on an error (the
  // tokenizer's or the handler's), with the message in *error; the tokenizer
  // must not be fed again after that.
  bool Feed(std::string_view bytes, std::string* error);
  // Ends the stream: the last record may lack a line terminator.
  bool Finish(std::string* error);

  // Starts the tokenizer in the middle of a stream, at a record start: the
  // bytes fed next are those from stream offset `offset` on, which is on
  // physical line `line`. No byte-order mark is looked for. Call before the
  // first Feed. Used by readers that cut a file at line starts and
  // tokenize the ranges apart (problems/csv_reader.h).
  void StartAt(int64_t offset, int64_t line);

  // Bytes fed so far, the byte-order mark included.
  int64_t bytes_fed() const { return bytes_fed_; }
  // The physical line of the next byte (1 + the line feeds seen, counting
  // from the start line).
  int64_t line() const { return line_; }
  // True between records: the bytes fed so far end with a complete record
  // (or a blank line), not inside a field or quotes.
  bool AtRecordStart() const { return state_ == State::kRecordStart; }
  // The stream offset at which the record after the last one ended starts
  // (just after its line terminator).
  int64_t record_start() const { return record_start_; }

 private:
  enum class State {
    kRecordStart,  // between records: blank lines and spaces are skipped
    kFieldStart,   // after a delimiter: spaces are skipped
    kUnquoted,     // in an unquoted field that started in an earlier piece
    kQuoted,       // inside the quotes of a quoted field
    kAfterQuote,   // after a quote inside a quoted field: an escape ("")
                   // or the closing quote
  };

  // Decides on the byte-order mark, then tokenizes the first bytes.
  bool StartStream(std::string* error);
  bool TokenizePiece(std::string_view piece, std::string* error);
  bool Tokenize(const char* p, const char* end, std::string* error);
  // Scans an unquoted field's text from p to the byte that stops it (a
  // delimiter, quote, line end or NUL; or `end`), checking both limits.
  bool ScanUnquoted(const char* p, const char* end, const char** stop,
                    std::string* error) const;
  // Ends an unquoted field whose text is `text` at `stop`, the byte that
  // stopped it: a delimiter or a line end, else an error.
  bool EndUnquoted(std::string_view text, const char* stop, std::string* error);
  bool EmitField(std::string_view text, std::string* error);
  // Ends the record whose line terminator is at `at`.
  bool EndRecord(const char* at, std::string* error);
  // The stream offset from which a byte of the current record, other than
  // its line terminator, makes it longer than its limit; and that offset as
  // a pointer into [p, end].
  int64_t RecordEnd() const { return record_start_ + limits_.max_record_bytes; }
  const char* RecordBound(const char* p, const char* end) const;
  bool RecordTooLong(std::string* error) const;
  bool FieldTooLong(std::string* error) const;
  bool NulByte(std::string* error) const;
  bool Malformed(const std::string& what, std::string* error) const;
  // Stream offset of a pointer into the current piece.
  int64_t Offset(const char* at) const { return piece_offset_ + (at - piece_); }

  CsvLimits limits_;
  CsvFieldHandler* handler_;
  State state_ = State::kRecordStart;
  // The text of the current field when it is quoted or spans pieces.
  std::string field_;
  // The first bytes of the stream, held until the byte-order mark is known.
  std::string stream_start_;
  bool stream_start_done_ = false;
  const char* piece_ = nullptr;  // the piece being tokenized
  int64_t piece_offset_ = 0;     // its offset in the stream
  int64_t bytes_fed_ = 0;
  int64_t line_ = 1;               // the current physical line
  int64_t record_start_ = 0;       // stream offset of the current record
  int64_t record_start_line_ = 1;  // and its line
  int64_t field_line_ = 1;         // line on which the current field starts
  int64_t spaces_after_quote_ = 0;
  bool last_byte_was_newline_ = false;
};

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_CSV_TOKENIZER_H_
