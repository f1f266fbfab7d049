#ifndef FISHEROPT_PROBLEMS_NPY_FILE_H_
#define FISHEROPT_PROBLEMS_NPY_FILE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "linalg/types.h"
#include "problems/dataset.h"

namespace fisheropt {

// The element types of a .npy file the reader converts to double.
enum class NpyType {
  kFloat64,
  kFloat32,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kBool,
};

// A NumPy .npy file (format versions 1.0, 2.0 and 3.0), memory-mapped
// read-only: nothing is parsed or copied when it is opened, so a file far
// larger than RAM is paged in by the operating system as rows are read.
// Shapes (N,) and (N, p) in C or Fortran order; little- or big-endian
// floats (f8, f4), integers (i1–i8, u1–u8) and booleans, each converted to
// double when read. A 1-D array is one column.
//
// Move-only; the mapping is released by the destructor.
class NpyArray {
 public:
  NpyArray() = default;
  ~NpyArray();
  NpyArray(NpyArray&& other) noexcept;
  NpyArray& operator=(NpyArray&& other) noexcept;
  NpyArray(const NpyArray&) = delete;
  NpyArray& operator=(const NpyArray&) = delete;

  const std::string& path() const { return path_; }
  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  int dimensions() const { return dimensions_; }  // 1 or 2
  bool fortran_order() const { return fortran_order_; }
  NpyType type() const { return type_; }
  // The dtype as the header gives it, e.g. "<f8".
  const std::string& descr() const { return descr_; }

  // Converts rows [begin, end) to doubles into `out`, row-major with row
  // stride `out_stride` (≥ cols()): out[(i − begin) · out_stride + j] =
  // element (i, j). Only the pages of those rows are touched, and they are
  // released from this process's memory once copied (the page cache keeps
  // them), so copying a whole file costs its doubles, not the mapping too.
  // Fails, naming the file, the row and the column, at the first value that
  // is NaN or infinite, or an integer beyond 2^53 (not exact as a double).
  // The mapped elements as they are in the file (type(), and big-endian
  // when big_endian()): element (i, j) starts at data() + i · row_stride() +
  // j · col_stride() bytes. For a caller that maps rows [begin, end) only:
  // pages it does not touch are never read.
  const unsigned char* data() const { return map_ + data_offset_; }
  int64_t row_stride() const;
  int64_t col_stride() const;
  bool big_endian() const { return big_endian_; }
  int item_bytes() const { return item_bytes_; }

  bool ReadRows(int64_t begin, int64_t end, double* out, int64_t out_stride,
                std::string* error) const;

 private:
  friend bool OpenNpy(const std::string& path, NpyArray* array,
                      std::string* error);
  void Release();

  std::string path_;
  std::string descr_;
  int64_t rows_ = 0;
  int64_t cols_ = 0;
  int dimensions_ = 0;
  bool fortran_order_ = false;
  bool big_endian_ = false;
  NpyType type_ = NpyType::kFloat64;
  int item_bytes_ = 8;
  const unsigned char* map_ = nullptr;  // the whole file
  int64_t map_bytes_ = 0;
  int64_t data_offset_ = 0;  // of element (0, 0) in the file
};

// Opens and maps a .npy file and checks its header. Errors are one line
// starting with the path: a file that cannot be opened (the system's
// reason), not a .npy file (wrong magic), an unknown format version, a
// malformed header, an unsupported dtype (complex, object, strings, float16
// and others are named), a shape other than (N,) or (N, p), and a file
// shorter than its header says (truncated).
bool OpenNpy(const std::string& path, NpyArray* array, std::string* error);

// Options of DatasetFromNpy.
struct NpyDatasetSpec {
  // Prepend a column of ones named "(Intercept)"; false when X holds one.
  bool intercept = true;
  // Called with rows copied so far and the total, now and then (the
  // library never prints).
  std::function<void(int64_t rows, int64_t total_rows)> progress;
};

// X from an (N, p) or (N,) array (columns named x0, x1, …) and y from an
// (N,) or (N, 1) array: one copy into the Dataset's X (row-major, the
// intercept first), the only N × p copy (FitGlm then replaces it by its
// orthonormal basis in place). Errors name the file: a different number of
// rows in X and y, y with more than one column, no rows or no predictors,
// a non-finite value (its row and column), or more rows than an int counts.
bool DatasetFromNpy(const NpyArray& x, const NpyArray& y,
                    const NpyDatasetSpec& spec, Dataset* data,
                    std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_NPY_FILE_H_
