#include "problems/npy_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include "problems/printable_text.h"

namespace fisheropt {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr int kMagicBytes = 6;
// Integers beyond 2^53 are not all exact as doubles.
constexpr double kMaxExactInteger = 9007199254740992.0;
// Rows are converted and their pages released in pieces of about this many
// bytes of the file.
constexpr int64_t kPieceBytes = int64_t{8} << 20;

std::string Quoted(const std::string& path) {
  return PrintableText(path, path.size());
}

// A cursor over the header's Python literal: {'descr': '<f8',
// 'fortran_order': False, 'shape': (3, 2), }.
class HeaderParser {
 public:
  explicit HeaderParser(std::string_view text) : text_(text) {}

  void SkipSpaces() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\n' ||
                                  text_[at_] == '\t' || text_[at_] == '\r')) {
      ++at_;
    }
  }
  bool Consume(char c) {
    SkipSpaces();
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  bool Peek(char c) {
    SkipSpaces();
    return at_ < text_.size() && text_[at_] == c;
  }
  bool String(std::string* value) {
    SkipSpaces();
    if (at_ >= text_.size() || (text_[at_] != '\'' && text_[at_] != '"')) {
      return false;
    }
    const char quote = text_[at_++];
    const size_t end = text_.find(quote, at_);
    if (end == std::string_view::npos) return false;
    *value = std::string(text_.substr(at_, end - at_));
    at_ = end + 1;
    return true;
  }
  bool Word(std::string* value) {
    SkipSpaces();
    const size_t start = at_;
    while (at_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[at_])) ||
            text_[at_] == '_')) {
      ++at_;
    }
    *value = std::string(text_.substr(start, at_ - start));
    return !value->empty();
  }
  bool Integer(int64_t* value) {
    SkipSpaces();
    const size_t start = at_;
    int64_t number = 0;
    while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') {
      const int digit = text_[at_] - '0';
      if (number > (INT64_MAX - digit) / 10) return false;
      number = number * 10 + digit;
      ++at_;
    }
    // Python 2's long suffix, as old numpy versions wrote.
    if (at_ > start && at_ < text_.size() && text_[at_] == 'L') ++at_;
    *value = number;
    return at_ > start;
  }

 private:
  std::string_view text_;
  size_t at_ = 0;
};

struct Header {
  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;
  bool has_descr = false;
  bool has_order = false;
  bool has_shape = false;
};

bool ParseHeader(std::string_view text, Header* header, std::string* error) {
  HeaderParser parser(text);
  const auto malformed = [&](const std::string& what) {
    std::string_view shown = text.substr(0, 200);
    while (!shown.empty() &&
           std::isspace(static_cast<unsigned char>(shown.back()))) {
      shown.remove_suffix(1);
    }
    *error =
        "malformed .npy header (" + what + "): '" + PrintableText(shown) + "'";
    return false;
  };
  if (!parser.Consume('{')) return malformed("expected '{'");
  while (!parser.Consume('}')) {
    std::string key;
    if (!parser.String(&key)) return malformed("expected a quoted key");
    if (!parser.Consume(':')) return malformed("expected ':'");
    if (key == "descr") {
      if (parser.Peek('[')) {
        *error =
            "unsupported dtype: a structured array (record fields); save a "
            "plain float64 array";
        return false;
      }
      if (!parser.String(&header->descr)) {
        return malformed("descr is not a string");
      }
      header->has_descr = true;
    } else if (key == "fortran_order") {
      std::string word;
      if (!parser.Word(&word) || (word != "True" && word != "False")) {
        return malformed("fortran_order is not True or False");
      }
      header->fortran_order = word == "True";
      header->has_order = true;
    } else if (key == "shape") {
      if (!parser.Consume('(')) return malformed("shape is not a tuple");
      while (!parser.Consume(')')) {
        int64_t extent = 0;
        if (!parser.Integer(&extent)) {
          return malformed("shape holds a non-integer");
        }
        header->shape.push_back(extent);
        if (!parser.Consume(',') && !parser.Peek(')')) {
          return malformed("expected ',' or ')' in shape");
        }
      }
      header->has_shape = true;
    } else {
      return malformed("unknown key '" + PrintableText(key) + "'");
    }
    if (!parser.Consume(',') && !parser.Peek('}')) {
      return malformed("expected ',' or '}'");
    }
  }
  if (!header->has_descr || !header->has_order || !header->has_shape) {
    return malformed("descr, fortran_order and shape are required");
  }
  return true;
}

// The element type of a dtype string ("<f8", "|b1", ...).
bool ParseDescr(const std::string& descr, NpyType* type, int* bytes,
                bool* big_endian, std::string* error) {
  const auto unsupported = [&](const std::string& what) {
    *error = "unsupported dtype '" + PrintableText(descr) + "' (" + what +
             "); save the array as float64 ('<f8') or float32";
    return false;
  };
  if (descr.size() < 2) return unsupported("unknown");
  const char order = descr[0];
  if (order != '<' && order != '>' && order != '|' && order != '=') {
    return unsupported("unknown byte order");
  }
  *big_endian = order == '>';
  const char kind = descr[1];
  const std::string size = descr.substr(2);
  struct Known {
    char kind;
    const char* size;
    NpyType type;
    int bytes;
  };
  static const Known kKnown[] = {
      {'f', "8", NpyType::kFloat64, 8}, {'f', "4", NpyType::kFloat32, 4},
      {'i', "1", NpyType::kInt8, 1},    {'i', "2", NpyType::kInt16, 2},
      {'i', "4", NpyType::kInt32, 4},   {'i', "8", NpyType::kInt64, 8},
      {'u', "1", NpyType::kUInt8, 1},   {'u', "2", NpyType::kUInt16, 2},
      {'u', "4", NpyType::kUInt32, 4},  {'u', "8", NpyType::kUInt64, 8},
      {'b', "1", NpyType::kBool, 1}};
  for (const Known& known : kKnown) {
    if (kind == known.kind && size == known.size) {
      *type = known.type;
      *bytes = known.bytes;
      return true;
    }
  }
  switch (kind) {
    case 'c':
      return unsupported("complex");
    case 'O':
      return unsupported("Python objects");
    case 'U':
    case 'S':
    case 'a':
      return unsupported("strings");
    case 'M':
    case 'm':
      return unsupported("dates or times");
    case 'V':
      return unsupported("raw bytes");
    case 'f':
      return unsupported(size == "2" ? "float16" : "a float of that size");
    default:
      return unsupported("unknown");
  }
}

template <typename T>
T Load(const unsigned char* at, bool swap) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, at, sizeof(T));
  if (swap) std::reverse(bytes, bytes + sizeof(T));
  T value;
  std::memcpy(&value, bytes, sizeof(T));
  return value;
}

// Converts `count` elements `stride` bytes apart to doubles `out_step`
// apart; the index of the first that is not finite (or not exact), or −1.
template <typename T>
int64_t ConvertRun(const unsigned char* in, int64_t stride, int64_t count,
                   bool swap, double* out, int64_t out_step) {
  for (int64_t k = 0; k < count; ++k) {
    const T raw = Load<T>(in + k * stride, swap);
    const double value = static_cast<double>(raw);
    out[k * out_step] = value;
    if constexpr (std::is_floating_point<T>::value) {
      if (!std::isfinite(value)) return k;
    } else if constexpr (sizeof(T) == 8) {
      constexpr T kLimit = T{1} << 53;
      if (raw > kLimit || (std::is_signed<T>::value && raw < -kLimit)) {
        out[k * out_step] = kMaxExactInteger * 2;  // marks the reason
        return k;
      }
    }
  }
  return -1;
}

int64_t Convert(NpyType type, const unsigned char* in, int64_t stride,
                int64_t count, bool swap, double* out, int64_t out_step) {
  switch (type) {
    case NpyType::kFloat64:
      return ConvertRun<double>(in, stride, count, swap, out, out_step);
    case NpyType::kFloat32:
      return ConvertRun<float>(in, stride, count, swap, out, out_step);
    case NpyType::kInt8:
      return ConvertRun<int8_t>(in, stride, count, swap, out, out_step);
    case NpyType::kInt16:
      return ConvertRun<int16_t>(in, stride, count, swap, out, out_step);
    case NpyType::kInt32:
      return ConvertRun<int32_t>(in, stride, count, swap, out, out_step);
    case NpyType::kInt64:
      return ConvertRun<int64_t>(in, stride, count, swap, out, out_step);
    case NpyType::kUInt8:
      return ConvertRun<uint8_t>(in, stride, count, swap, out, out_step);
    case NpyType::kUInt16:
      return ConvertRun<uint16_t>(in, stride, count, swap, out, out_step);
    case NpyType::kUInt32:
      return ConvertRun<uint32_t>(in, stride, count, swap, out, out_step);
    case NpyType::kUInt64:
      return ConvertRun<uint64_t>(in, stride, count, swap, out, out_step);
    case NpyType::kBool:
      return ConvertRun<uint8_t>(in, stride, count, swap, out, out_step);
  }
  return -1;
}

// Drops the pages wholly inside [begin, end) of a mapping from this
// process (the page cache keeps them).
void ReleasePages(const unsigned char* begin, const unsigned char* end) {
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t first =
      (reinterpret_cast<uintptr_t>(begin) + page - 1) / page * page;
  const uintptr_t last = reinterpret_cast<uintptr_t>(end) / page * page;
  if (last > first) {
    madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
  }
}

}  // namespace

NpyArray::~NpyArray() { Release(); }

NpyArray::NpyArray(NpyArray&& other) noexcept { *this = std::move(other); }

NpyArray& NpyArray::operator=(NpyArray&& other) noexcept {
  if (this == &other) return *this;
  Release();
  path_ = std::move(other.path_);
  descr_ = std::move(other.descr_);
  rows_ = std::exchange(other.rows_, 0);
  cols_ = std::exchange(other.cols_, 0);
  dimensions_ = std::exchange(other.dimensions_, 0);
  fortran_order_ = std::exchange(other.fortran_order_, false);
  big_endian_ = std::exchange(other.big_endian_, false);
  type_ = other.type_;
  item_bytes_ = other.item_bytes_;
  map_ = std::exchange(other.map_, nullptr);
  map_bytes_ = std::exchange(other.map_bytes_, 0);
  data_offset_ = std::exchange(other.data_offset_, 0);
  return *this;
}

void NpyArray::Release() {
  if (map_ != nullptr) {
    munmap(const_cast<unsigned char*>(map_), map_bytes_);
  }
  map_ = nullptr;
  map_bytes_ = 0;
}

int64_t NpyArray::row_stride() const {
  return fortran_order_ ? item_bytes_ : item_bytes_ * cols_;
}

int64_t NpyArray::col_stride() const {
  return fortran_order_ ? item_bytes_ * rows_ : item_bytes_;
}

bool NpyArray::ReadRows(int64_t begin, int64_t end, double* out,
                        int64_t out_stride, std::string* error) const {
  if (begin < 0 || end > rows_ || begin > end || out_stride < cols_) {
    *error = Quoted(path_) + ": rows [" + std::to_string(begin) + ", " +
             std::to_string(end) + ") are not within the " +
             std::to_string(rows_) + " rows of the array";
    return false;
  }
  const bool swap = big_endian_ && item_bytes_ > 1;
  const unsigned char* base = data();
  const int64_t row_bytes = std::max<int64_t>(1, item_bytes_ * cols_);
  const int64_t piece_rows = std::max<int64_t>(1, kPieceBytes / row_bytes);
  for (int64_t first = begin; first < end; first += piece_rows) {
    const int64_t last = std::min(end, first + piece_rows);
    double* out_rows = out + (first - begin) * out_stride;
    int64_t bad_row = -1;
    int64_t bad_col = -1;
    if (!fortran_order_) {
      for (int64_t i = first; i < last && bad_row < 0; ++i) {
        const int64_t k =
            Convert(type_, base + i * row_bytes, item_bytes_, cols_, swap,
                    out_rows + (i - first) * out_stride, 1);
        if (k >= 0) {
          bad_row = i;
          bad_col = k;
        }
      }
      ReleasePages(base + first * row_bytes, base + last * row_bytes);
    } else {
      for (int64_t j = 0; j < cols_ && bad_row < 0; ++j) {
        const unsigned char* column = base + j * col_stride();
        const int64_t k =
            Convert(type_, column + first * item_bytes_, item_bytes_,
                    last - first, swap, out_rows + j, out_stride);
        if (k >= 0) {
          bad_row = first + k;
          bad_col = j;
        }
        ReleasePages(column + first * item_bytes_, column + last * item_bytes_);
      }
    }
    if (bad_row >= 0) {
      const double value = out[(bad_row - begin) * out_stride + bad_col];
      const std::string what = std::isnan(value)   ? "NaN"
                               : std::isinf(value) ? "infinite"
                                                   : "an integer beyond 2^53 "
                                                     "(not exact as a double)";
      *error = Quoted(path_) + ": the value at row " + std::to_string(bad_row) +
               ", column " + std::to_string(bad_col) + " (counted from 0) is " +
               what;
      return false;
    }
  }
  return true;
}

bool OpenNpy(const std::string& path, NpyArray* array, std::string* error) {
  *array = NpyArray();
  const std::string name = Quoted(path);
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot open '" + name + "': " + std::strerror(errno);
    return false;
  }
  struct stat status;
  if (fstat(fd, &status) != 0) {
    *error = "cannot read '" + name + "': " + std::strerror(errno);
    close(fd);
    return false;
  }
  if (!S_ISREG(status.st_mode)) {
    *error = "cannot map '" + name + "': " +
             (S_ISDIR(status.st_mode)
                  ? std::string(std::strerror(EISDIR))
                  : "not a regular file (a .npy file is memory-mapped)");
    close(fd);
    return false;
  }
  const int64_t file_bytes = status.st_size;
  void* memory = nullptr;
  if (file_bytes > 0) {
    memory = mmap(nullptr, file_bytes, PROT_READ, MAP_SHARED, fd, 0);
  }
  close(fd);
  if (memory == MAP_FAILED) {
    *error = "cannot map '" + name + "': " + std::strerror(errno);
    return false;
  }
  NpyArray result;
  result.path_ = path;
  result.map_ = static_cast<const unsigned char*>(memory);
  result.map_bytes_ = file_bytes;
  const unsigned char* bytes = result.map_;
  const auto fail = [&](const std::string& what) {
    *error = name + ": " + what;
    return false;
  };
  if (file_bytes < kMagicBytes ||
      std::memcmp(bytes, kMagic, kMagicBytes) != 0) {
    return fail(
        "not a .npy file (it does not start with \\x93NUMPY; numpy.save "
        "writes .npy files, numpy.savez .npz archives, which are not read)");
  }
  if (file_bytes < 10) return fail("truncated inside the .npy header");
  const int major = bytes[6];
  int64_t header_bytes = 0;
  int64_t header_start = 0;
  if (major == 1) {
    header_bytes = bytes[8] | (int64_t{bytes[9]} << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (file_bytes < 12) return fail("truncated inside the .npy header");
    header_bytes = bytes[8] | (int64_t{bytes[9]} << 8) |
                   (int64_t{bytes[10]} << 16) | (int64_t{bytes[11]} << 24);
    header_start = 12;
  } else {
    return fail("unsupported .npy format version " + std::to_string(major) +
                "." + std::to_string(bytes[7]) +
                " (1.0, 2.0 and 3.0 are read)");
  }
  if (header_start + header_bytes > file_bytes) {
    return fail("truncated inside the .npy header");
  }
  Header header;
  std::string parse_error;
  if (!ParseHeader(
          std::string_view(reinterpret_cast<const char*>(bytes) + header_start,
                           header_bytes),
          &header, &parse_error) ||
      !ParseDescr(header.descr, &result.type_, &result.item_bytes_,
                  &result.big_endian_, &parse_error)) {
    return fail(parse_error);
  }
  if (header.shape.empty() || header.shape.size() > 2) {
    std::string shape;
    for (const int64_t extent : header.shape) {
      shape += (shape.empty() ? "" : ", ") + std::to_string(extent);
    }
    return fail("the array has shape (" + shape +
                "); a data set is 1-D (N,) or 2-D (N, p)");
  }
  result.descr_ = header.descr;
  result.fortran_order_ = header.fortran_order;
  result.dimensions_ = static_cast<int>(header.shape.size());
  result.rows_ = header.shape[0];
  result.cols_ = header.shape.size() == 2 ? header.shape[1] : 1;
  result.data_offset_ = header_start + header_bytes;
  const int64_t data_bytes = file_bytes - result.data_offset_;
  const bool overflow =
      result.cols_ > 0 &&
      result.rows_ > INT64_MAX / result.item_bytes_ / result.cols_;
  const int64_t needed =
      overflow ? INT64_MAX : result.rows_ * result.cols_ * result.item_bytes_;
  if (needed > data_bytes) {
    return fail("truncated: its shape (" + std::to_string(result.rows_) +
                (result.dimensions_ == 2 ? ", " + std::to_string(result.cols_)
                                         : std::string(",")) +
                ") of '" + PrintableText(result.descr_) + "' needs " +
                std::to_string(needed) + " bytes of data, the file has " +
                std::to_string(data_bytes));
  }
  if (needed < data_bytes) {
    return fail(std::to_string(data_bytes - needed) +
                " bytes after the data its shape (" +
                std::to_string(result.rows_) +
                (result.dimensions_ == 2 ? ", " + std::to_string(result.cols_)
                                         : std::string(",")) +
                ") needs: not a file numpy.save wrote");
  }
  madvise(const_cast<unsigned char*>(result.map_), result.map_bytes_,
          MADV_SEQUENTIAL);
  *array = std::move(result);
  return true;
}

bool DatasetFromNpy(const NpyArray& x, const NpyArray& y,
                    const NpyDatasetSpec& spec, Dataset* data,
                    std::string* error) {
  const std::string x_name = Quoted(x.path());
  const std::string y_name = Quoted(y.path());
  if (y.cols() != 1) {
    *error = y_name + ": the response has " + std::to_string(y.cols()) +
             " columns; it must be one column, shape (N,) or (N, 1)";
    return false;
  }
  if (x.rows() != y.rows()) {
    *error = x_name + " has " + std::to_string(x.rows()) + " rows but " +
             y_name + " has " + std::to_string(y.rows());
    return false;
  }
  if (x.rows() == 0) {
    *error = x_name + ": the array has no rows";
    return false;
  }
  if (x.rows() > INT_MAX) {
    *error = x_name + ": " + std::to_string(x.rows()) +
             " rows, more than a fit counts (" + std::to_string(INT_MAX) + ")";
    return false;
  }
  const int offset = spec.intercept ? 1 : 0;
  const int64_t p = x.cols() + offset;
  if (p == 0) {
    *error = x_name +
             ": the array has no columns: give predictors or keep the "
             "intercept";
    return false;
  }
  *data = Dataset();
  data->response_name = "y";
  if (spec.intercept) data->column_names.push_back("(Intercept)");
  for (int64_t j = 0; j < x.cols(); ++j) {
    data->column_names.push_back("x" + std::to_string(j));
  }
  const int64_t n = x.rows();
  data->y.resize(n);
  if (!y.ReadRows(0, n, data->y.data(), 1, error)) {
    *data = Dataset();
    return false;
  }
  data->x.resize(n, p);
  double* out = data->x.data();
  const int64_t piece_rows =
      std::max<int64_t>(1, kPieceBytes / (sizeof(double) * p));
  for (int64_t first = 0; first < n; first += piece_rows) {
    const int64_t last = std::min(n, first + piece_rows);
    if (spec.intercept) {
      for (int64_t i = first; i < last; ++i) out[i * p] = 1.0;
    }
    if (x.cols() > 0 &&
        !x.ReadRows(first, last, out + first * p + offset, p, error)) {
      *data = Dataset();
      return false;
    }
    if (spec.progress) spec.progress(last, n);
  }
  return true;
}

}  // namespace fisheropt
