#include "problems/dataset.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace fisheropt {
namespace {

Dataset SmallDataset() {
  Dataset data;
  data.x.resize(3, 2);
  data.x << 1, 2, 3, 4, 5, 6;
  data.y = Eigen::Vector3d(0, 1, 0);
  data.column_names = {"a", "b"};
  return data;
}

TEST(DatasetTest, ValidDataPasses) {
  std::string error;
  EXPECT_TRUE(SmallDataset().IsValid(&error)) << error;
}

TEST(DatasetTest, RowCountMismatchIsNamed) {
  Dataset data = SmallDataset();
  data.y = Eigen::Vector2d(0, 1);
  std::string error;
  EXPECT_FALSE(data.IsValid(&error));
  EXPECT_EQ(error, "dimension mismatch: X has 3 rows but y has 2 entries");
}

TEST(DatasetTest, ColumnNameCountMismatchIsNamed) {
  Dataset data = SmallDataset();
  data.column_names = {"a"};
  std::string error;
  EXPECT_FALSE(data.IsValid(&error));
  EXPECT_EQ(
      error,
      "dimension mismatch: X has 2 columns but 1 column names were given");
}

TEST(DatasetTest, NonFiniteValueNamesRowAndColumn) {
  Dataset data = SmallDataset();
  data.x(2, 1) = std::numeric_limits<double>::quiet_NaN();
  std::string error;
  EXPECT_FALSE(data.IsValid(&error));
  EXPECT_EQ(error, "non-finite value nan in row 2, column 'b'");

  data = SmallDataset();
  data.y[1] = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(data.IsValid(&error));
  EXPECT_EQ(error, "non-finite response inf in row 1");
}

TEST(DatasetTest, EmptyDatasetIsRejected) {
  Dataset data;
  std::string error;
  EXPECT_FALSE(data.IsValid(&error));
  EXPECT_EQ(error, "dataset is empty: X is 0 x 0");
}

TEST(DatasetTest, WeightsAndOffsetAreValidated) {
  Dataset data = SmallDataset();
  const int n = data.NumSamples();
  data.weights = Eigen::VectorXd::Ones(n);
  data.offset = Eigen::VectorXd::Zero(n);
  std::string error;
  EXPECT_TRUE(data.IsValid(&error)) << error;
  data.weights[n - 1] = 0.0;  // zero weights are allowed
  EXPECT_TRUE(data.IsValid(&error)) << error;

  data.weights[1] = -2.0;
  EXPECT_FALSE(data.IsValid(&error));
  EXPECT_EQ(error, "weight -2 in row 1 must be finite and >= 0");
  data.weights[1] = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(data.IsValid(&error));
  EXPECT_EQ(error, "weight inf in row 1 must be finite and >= 0");
  data.weights = Eigen::VectorXd::Ones(n + 1);
  EXPECT_FALSE(data.IsValid(&error));
  EXPECT_EQ(error, "dimension mismatch: X has " + std::to_string(n) +
                       " rows but weights has " + std::to_string(n + 1) +
                       " entries");
  data.weights.resize(0);
  data.offset = Eigen::VectorXd::Zero(n - 1);
  EXPECT_FALSE(data.IsValid(&error));
  EXPECT_EQ(error, "dimension mismatch: X has " + std::to_string(n) +
                       " rows but offset has " + std::to_string(n - 1) +
                       " entries");
  data.offset = Eigen::VectorXd::Zero(n);
  data.offset[0] = -std::numeric_limits<double>::infinity();
  EXPECT_FALSE(data.IsValid(&error));
  EXPECT_EQ(error, "non-finite offset -inf in row 0");
}

TEST(DatasetTest, DefaultColumnNames) {
  Dataset data = SmallDataset();
  data.column_names.clear();
  EXPECT_EQ(ColumnNamesOrDefault(data), (std::vector<std::string>{"x0", "x1"}));
}

}  // namespace
}  // namespace fisheropt
