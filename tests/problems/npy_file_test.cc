#include "problems/npy_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

namespace fisheropt {
namespace {

// A scratch folder, removed at the end of the test.
class ScratchFolder {
 public:
  ScratchFolder()
      : path_(
            std::filesystem::temp_directory_path() /
            ("npy_file_test_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchFolder() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& bytes) const {
    const std::string path = (path_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// A .npy file as numpy.save writes it (format 1.0 or 2.0): the magic, the
// version, the header's length, the header padded with spaces to a multiple
// of 64 bytes and ending in '\n', then the data.
std::string Npy(const std::string& dict, const std::string& data,
                int major = 1) {
  const int prefix = major == 1 ? 10 : 12;
  std::string header = dict;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += static_cast<char>(major);
  bytes += '\0';
  const uint32_t length = static_cast<uint32_t>(header.size());
  for (int k = 0; k < (major == 1 ? 2 : 4); ++k) {
    bytes += static_cast<char>((length >> (8 * k)) & 0xFF);
  }
  return bytes + header + data;
}

std::string Dict(const std::string& descr, bool fortran,
                 const std::string& shape) {
  return "{'descr': '" + descr +
         "', 'fortran_order': " + (fortran ? "True" : "False") +
         ", 'shape': " + shape + ", }";
}

template <typename T>
std::string Bytes(const std::vector<T>& values, bool big_endian = false) {
  std::string bytes;
  for (const T value : values) {
    char raw[sizeof(T)];
    std::memcpy(raw, &value, sizeof(T));
    if (big_endian) std::reverse(raw, raw + sizeof(T));
    bytes.append(raw, sizeof(T));
  }
  return bytes;
}

// Rows of a fully read array.
std::vector<double> ReadAll(const std::string& path) {
  NpyArray array;
  std::string error;
  EXPECT_TRUE(OpenNpy(path, &array, &error)) << error;
  std::vector<double> values(array.rows() * array.cols());
  EXPECT_TRUE(
      array.ReadRows(0, array.rows(), values.data(), array.cols(), &error))
      << error;
  return values;
}

std::string OpenError(const std::string& path) {
  NpyArray array;
  std::string error;
  EXPECT_FALSE(OpenNpy(path, &array, &error)) << path;
  return error;
}

TEST(NpyFileTest, COrderAndFortranOrderGiveTheSameMatrix) {
  const ScratchFolder folder;
  // The matrix [[1, 2, 3], [4, 5, 6]]: C order stores rows, Fortran columns.
  const std::string c_order = folder.Write(
      "c.npy",
      Npy(Dict("<f8", false, "(2, 3)"), Bytes<double>({1, 2, 3, 4, 5, 6})));
  const std::string f_order = folder.Write(
      "f.npy",
      Npy(Dict("<f8", true, "(2, 3)"), Bytes<double>({1, 4, 2, 5, 3, 6})));
  const std::vector<double> expected = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(ReadAll(c_order), expected);
  EXPECT_EQ(ReadAll(f_order), expected);
  NpyArray array;
  std::string error;
  ASSERT_TRUE(OpenNpy(f_order, &array, &error)) << error;
  EXPECT_EQ(array.rows(), 2);
  EXPECT_EQ(array.cols(), 3);
  EXPECT_TRUE(array.fortran_order());
  EXPECT_EQ(array.descr(), "<f8");
  // The raw view: element (1, 2) of a Fortran array is the 6th double.
  double element;
  std::memcpy(&element,
              array.data() + 1 * array.row_stride() + 2 * array.col_stride(),
              sizeof(double));
  EXPECT_EQ(element, 6.0);
}

TEST(NpyFileTest, ARowRangeIsReadIntoAStridedMatrix) {
  const ScratchFolder folder;
  const std::string path =
      folder.Write("x.npy", Npy(Dict("<f8", false, "(4, 2)"),
                                Bytes<double>({1, 2, 3, 4, 5, 6, 7, 8})));
  NpyArray array;
  std::string error;
  ASSERT_TRUE(OpenNpy(path, &array, &error)) << error;
  // Rows 1 and 2 into a matrix of 3 columns, column 0 left alone.
  std::vector<double> out(6, -1.0);
  ASSERT_TRUE(array.ReadRows(1, 3, out.data() + 1, 3, &error)) << error;
  EXPECT_EQ(out, (std::vector<double>{-1, 3, 4, -1, 5, 6}));
  EXPECT_FALSE(array.ReadRows(3, 5, out.data(), 3, &error));
  EXPECT_EQ(error,
            path + ": rows [3, 5) are not within the 4 rows of the array");
}

TEST(NpyFileTest, EveryNumericTypeAndByteOrderConvertsExactly) {
  const ScratchFolder folder;
  const std::string shape = "(3,)";
  struct Case {
    std::string descr;
    std::string data;
    std::vector<double> expected;
  };
  const std::vector<Case> cases = {
      {"<f8", Bytes<double>({0.1, -2.5, 1e300}), {0.1, -2.5, 1e300}},
      {">f8", Bytes<double>({0.1, -2.5, 1e300}, true), {0.1, -2.5, 1e300}},
      // 0.1f is 0.100000001490116119384765625 as a double, exactly.
      {"<f4",
       Bytes<float>({0.1f, -2.5f, 3e38f}),
       {static_cast<double>(0.1f), -2.5, static_cast<double>(3e38f)}},
      {">f4",
       Bytes<float>({0.1f, -2.5f, 1.0f}, true),
       {static_cast<double>(0.1f), -2.5, 1.0}},
      {"<i8",
       Bytes<int64_t>({-3, 0, int64_t{1} << 53}),
       {-3, 0, 9007199254740992.0}},
      {">i4", Bytes<int32_t>({-7, 1, 2147483647}, true), {-7, 1, 2147483647}},
      {"<i2", Bytes<int16_t>({-32768, 5, 9}), {-32768, 5, 9}},
      {"|i1", Bytes<int8_t>({-128, 0, 127}), {-128, 0, 127}},
      {"|u1", Bytes<uint8_t>({0, 1, 255}), {0, 1, 255}},
      {"<u2", Bytes<uint16_t>({65535, 1, 0}), {65535, 1, 0}},
      {"<u4", Bytes<uint32_t>({4294967295u, 1, 0}), {4294967295.0, 1, 0}},
      {"<u8", Bytes<uint64_t>({7, 1, 0}), {7, 1, 0}},
      {"|b1", Bytes<uint8_t>({1, 0, 1}), {1, 0, 1}}};
  int number = 0;
  for (const Case& c : cases) {
    const std::string path =
        folder.Write("t" + std::to_string(number++) + ".npy",
                     Npy(Dict(c.descr, false, shape), c.data));
    EXPECT_EQ(ReadAll(path), c.expected) << c.descr;
  }
  // Format 2.0 (a 4-byte header length), as numpy writes for long headers.
  const std::string v2 = folder.Write(
      "v2.npy", Npy(Dict("<f8", false, "(2,)"), Bytes<double>({3, 4}), 2));
  EXPECT_EQ(ReadAll(v2), (std::vector<double>{3, 4}));
}

TEST(NpyFileTest, BadFilesAreOneLineErrorsNamingTheFileAndTheProblem) {
  const ScratchFolder folder;
  const std::string six = Bytes<double>({1, 2, 3, 4, 5, 6});
  const auto error_of = [&](const std::string& name, const std::string& bytes) {
    const std::string path = folder.Write(name, bytes);
    const std::string error = OpenError(path);
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
    EXPECT_EQ(error.rfind(path + ": ", 0), 0u) << error;
    return error.substr(path.size() + 2);
  };
  EXPECT_EQ(error_of("csv.npy", "y,x\n1,2\n"),
            "not a .npy file (it does not start with \\x93NUMPY; numpy.save "
            "writes .npy files, numpy.savez .npz archives, which are not "
            "read)");
  EXPECT_EQ(error_of("short.npy", "\x93NUMPY\x01"),
            "truncated inside the .npy header");
  const std::string whole = Npy(Dict("<f8", false, "(2, 3)"), six);
  EXPECT_EQ(error_of("header.npy", whole.substr(0, 40)),
            "truncated inside the .npy header");
  EXPECT_EQ(error_of("data.npy", whole.substr(0, whole.size() - 1)),
            "truncated: its shape (2, 3) of '<f8' needs 48 bytes of data, the "
            "file has 47");
  EXPECT_EQ(error_of("extra.npy", whole + "x"),
            "1 bytes after the data its shape (2, 3) needs: not a file "
            "numpy.save wrote");
  EXPECT_EQ(error_of("complex.npy", Npy(Dict("<c16", false, "(3,)"), six)),
            "unsupported dtype '<c16' (complex); save the array as float64 "
            "('<f8') or float32");
  EXPECT_EQ(error_of("object.npy", Npy(Dict("|O", false, "(3,)"), "")),
            "unsupported dtype '|O' (Python objects); save the array as "
            "float64 ('<f8') or float32");
  EXPECT_EQ(error_of("object8.npy", Npy(Dict("|O8", false, "(3,)"), "")),
            "unsupported dtype '|O8' (Python objects); save the array as "
            "float64 ('<f8') or float32");
  EXPECT_EQ(error_of("half.npy", Npy(Dict("<f2", false, "(3,)"), "")),
            "unsupported dtype '<f2' (float16); save the array as float64 "
            "('<f8') or float32");
  EXPECT_EQ(
      error_of("record.npy",
               Npy("{'descr': [('a', '<f8')], 'fortran_order': False, "
                   "'shape': (1,), }",
                   "")),
      "unsupported dtype: a structured array (record fields); save a plain "
      "float64 array");
  EXPECT_EQ(error_of("cube.npy", Npy(Dict("<f8", false, "(1, 2, 3)"), six)),
            "the array has shape (1, 2, 3); a data set is 1-D (N,) or 2-D "
            "(N, p)");
  EXPECT_EQ(error_of("scalar.npy", Npy(Dict("<f8", false, "()"), "")),
            "the array has shape (); a data set is 1-D (N,) or 2-D (N, p)");
  std::string version = whole;
  version[6] = '\x04';
  EXPECT_EQ(error_of("version.npy", version),
            "unsupported .npy format version 4.0 (1.0, 2.0 and 3.0 are read)");
  EXPECT_EQ(
      error_of("nokey.npy", Npy("{'descr': '<f8', 'shape': (6,), }", six)),
      "malformed .npy header (descr, fortran_order and shape are "
      "required): '{'descr': '<f8', 'shape': (6,), }'");
  EXPECT_EQ(OpenError(folder.path()),
            "cannot map '" + folder.path() + "': Is a directory");
  EXPECT_EQ(OpenError(folder.path() + "/none.npy"),
            "cannot open '" + folder.path() +
                "/none.npy': No such file or directory");
}

TEST(NpyFileTest, NonFiniteAndInexactValuesNameTheirRowAndColumn) {
  const ScratchFolder folder;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::string c_path = folder.Write(
      "c.npy",
      Npy(Dict("<f8", false, "(3, 2)"), Bytes<double>({1, 2, 3, 4, nan, 6})));
  const std::string f_path = folder.Write(
      "f.npy",
      Npy(Dict("<f8", true, "(3, 2)"), Bytes<double>({1, 2, 3, 4, -inf, 6})));
  const std::string big = folder.Write(
      "big.npy", Npy(Dict("<u8", false, "(2,)"),
                     Bytes<uint64_t>({1, (uint64_t{1} << 53) + 1})));
  for (const auto& [path, message] :
       std::vector<std::pair<std::string, std::string>>{
           {c_path, "the value at row 2, column 0 (counted from 0) is NaN"},
           {f_path,
            "the value at row 1, column 1 (counted from 0) is infinite"},
           {big,
            "the value at row 1, column 0 (counted from 0) is an integer "
            "beyond 2^53 (not exact as a double)"}}) {
    NpyArray array;
    std::string error;
    ASSERT_TRUE(OpenNpy(path, &array, &error)) << error;
    std::vector<double> out(array.rows() * array.cols());
    EXPECT_FALSE(
        array.ReadRows(0, array.rows(), out.data(), array.cols(), &error));
    EXPECT_EQ(error, path + ": " + message);
  }
}

TEST(NpyFileTest, DatasetHasTheInterceptFirstAndNamesX0X1) {
  const ScratchFolder folder;
  const std::string x_path = folder.Write(
      "x.npy",
      Npy(Dict("<f4", true, "(3, 2)"), Bytes<float>({1, 2, 3, 4, 5, 6})));
  const std::string y_path = folder.Write(
      "y.npy", Npy(Dict("|b1", false, "(3, 1)"), Bytes<uint8_t>({0, 1, 1})));
  NpyArray x;
  NpyArray y;
  std::string error;
  ASSERT_TRUE(OpenNpy(x_path, &x, &error)) << error;
  ASSERT_TRUE(OpenNpy(y_path, &y, &error)) << error;
  Dataset data;
  NpyDatasetSpec spec;
  int64_t last_rows = 0;
  spec.progress = [&](int64_t rows, int64_t total) {
    EXPECT_EQ(total, 3);
    last_rows = rows;
  };
  ASSERT_TRUE(DatasetFromNpy(x, y, spec, &data, &error)) << error;
  EXPECT_EQ(last_rows, 3);
  RowMatrixXd expected(3, 3);
  expected << 1, 1, 4, 1, 2, 5, 1, 3, 6;
  EXPECT_EQ(data.x, expected);
  EXPECT_EQ(data.y, Eigen::Vector3d(0, 1, 1));
  EXPECT_EQ(data.column_names,
            (std::vector<std::string>{"(Intercept)", "x0", "x1"}));
  EXPECT_EQ(data.response_name, "y");
  spec.intercept = false;
  ASSERT_TRUE(DatasetFromNpy(x, y, spec, &data, &error)) << error;
  EXPECT_EQ(data.x, expected.rightCols(2));
  EXPECT_EQ(data.column_names, (std::vector<std::string>{"x0", "x1"}));
}

TEST(NpyFileTest, DatasetRefusesShapesThatDoNotMatch) {
  const ScratchFolder folder;
  const std::string x_path = folder.Write(
      "x.npy",
      Npy(Dict("<f8", false, "(3, 2)"), Bytes<double>({1, 2, 3, 4, 5, 6})));
  const std::string y2_path = folder.Write(
      "y2.npy", Npy(Dict("<f8", false, "(2,)"), Bytes<double>({0, 1})));
  const std::string ywide_path = folder.Write(
      "ywide.npy",
      Npy(Dict("<f8", false, "(3, 2)"), Bytes<double>({1, 2, 3, 4, 5, 6})));
  const std::string empty_path =
      folder.Write("empty.npy", Npy(Dict("<f8", false, "(0, 2)"), ""));
  const std::string empty_y_path =
      folder.Write("empty_y.npy", Npy(Dict("<f8", false, "(0,)"), ""));
  const auto error_of = [](const std::string& x_file,
                           const std::string& y_file) {
    NpyArray x;
    NpyArray y;
    std::string error;
    EXPECT_TRUE(OpenNpy(x_file, &x, &error)) << error;
    EXPECT_TRUE(OpenNpy(y_file, &y, &error)) << error;
    Dataset data;
    EXPECT_FALSE(DatasetFromNpy(x, y, NpyDatasetSpec(), &data, &error));
    return error;
  };
  EXPECT_EQ(error_of(x_path, y2_path),
            x_path + " has 3 rows but " + y2_path + " has 2");
  EXPECT_EQ(error_of(x_path, ywide_path),
            ywide_path +
                ": the response has 2 columns; it must be one column, shape "
                "(N,) or (N, 1)");
  EXPECT_EQ(error_of(empty_path, empty_y_path),
            empty_path + ": the array has no rows");
}

}  // namespace
}  // namespace fisheropt
