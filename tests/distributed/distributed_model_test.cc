// DistributedModel and the communicator in one process: the serial
// communicator changes nothing, and the sums of row parts are the whole's
// (the identity every rank count relies on). The same under mpirun with 1,
// 2 and 4 processes: mpi_test.cc.

#include "distributed/distributed_model.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "distributed/communicator.h"
#include "problems/glm_model.h"
#include "problems/synthetic_data.h"
#include "tests/distributed/row_parts.h"

namespace fisheropt {
namespace {

using testing::RowsOf;

TEST(PartOfRowsTest, NearEqualContiguousPartsCoverEveryRow) {
  // 10 rows in 3 parts: 4, 3, 3.
  EXPECT_EQ(PartOfRows(10, 0, 3).begin, 0);
  EXPECT_EQ(PartOfRows(10, 0, 3).count, 4);
  EXPECT_EQ(PartOfRows(10, 1, 3).begin, 4);
  EXPECT_EQ(PartOfRows(10, 1, 3).count, 3);
  EXPECT_EQ(PartOfRows(10, 2, 3).begin, 7);
  EXPECT_EQ(PartOfRows(10, 2, 3).count, 3);
  // Fewer rows than parts: empty parts at the end.
  EXPECT_EQ(PartOfRows(2, 3, 4).count, 0);
  EXPECT_EQ(PartOfRows(2, 3, 4).begin, 2);
}

TEST(SerialCommunicatorTest, SumsAreTheValuesAndFailuresKeepTheirMessage) {
  SerialCommunicator serial;
  double values[3] = {1.5, -2.0, 0.25};
  serial.SumInPlace(values, 3);
  EXPECT_EQ(values[0], 1.5);
  EXPECT_EQ(values[2], 0.25);
  EXPECT_EQ(serial.Sum(std::int64_t{7}), 7);
  EXPECT_EQ(serial.NumValuesSummed(), 4);
  std::string message = "data.csv:12: not a number";
  EXPECT_FALSE(serial.AgreeOk(false, &message));
  EXPECT_EQ(message, "data.csv:12: not a number");
  EXPECT_TRUE(serial.AgreeOk(true, &message));
  // A symmetric matrix travels as its lower triangle: 3 of 4 entries.
  Eigen::MatrixXd symmetric(2, 2);
  symmetric << 2.0, 1.0, 1.0, 3.0;
  serial.SumSymmetricInPlace(&symmetric);
  EXPECT_EQ(symmetric(0, 1), 1.0);
  EXPECT_EQ(serial.NumValuesSummed(), 7);
}

std::unique_ptr<GlmModel> LogisticModel(const Dataset& data) {
  std::string error;
  auto model = GlmModel::Create(data, GlmFamilyType::kBernoulliLogit, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

TEST(DistributedModelTest, OneProcessIsTheLocalModelBitForBit) {
  const SyntheticRegression synthetic = MakeLogisticRegressionData(700, 4, 11);
  auto local = LogisticModel(synthetic.data);
  SerialCommunicator serial;
  DistributedModel model(*local, serial);
  const Eigen::VectorXd theta = 0.3 * synthetic.true_parameters;
  double value = 0.0, local_value = 0.0;
  Eigen::VectorXd gradient, local_gradient;
  ASSERT_TRUE(model.Evaluate(theta, &value, &gradient));
  ASSERT_TRUE(local->Evaluate(theta, &local_value, &local_gradient));
  EXPECT_EQ(value, local_value);
  EXPECT_EQ(gradient, local_gradient);
  Eigen::MatrixXd fisher, local_fisher;
  ASSERT_TRUE(model.ExpectedFisher(theta, &fisher));
  ASSERT_TRUE(local->ExpectedFisher(theta, &local_fisher));
  EXPECT_EQ(fisher, local_fisher);
  Eigen::VectorXd product, local_product;
  const Eigen::VectorXd v = Eigen::VectorXd::LinSpaced(4, -1.0, 2.0);
  ASSERT_TRUE(model.CurvatureApply(LikelihoodModel::CurvatureProduct::kHessian,
                                   theta, v, &product));
  ASSERT_TRUE(local->CurvatureApply(LikelihoodModel::CurvatureProduct::kHessian,
                                    theta, v, &local_product));
  EXPECT_EQ(product, local_product);
  // One process may use the least-squares form; more may not.
  EXPECT_NE(model.CreateResidualForm(), nullptr);
}

// Value, gradient, Fisher and Monte Carlo draws of the parts add up to the
// whole's: the identity DistributedModel's reduction relies on.
TEST(DistributedModelTest, PartsAddUpToTheWholeAndDrawTheWholesResponses) {
  const SyntheticRegression synthetic = MakeLogisticRegressionData(1500, 5, 3);
  auto whole = LogisticModel(synthetic.data);
  const Eigen::VectorXd theta = 0.5 * synthetic.true_parameters;
  double whole_value = 0.0;
  Eigen::VectorXd whole_gradient;
  Eigen::MatrixXd whole_fisher;
  ASSERT_TRUE(whole->Evaluate(theta, &whole_value, &whole_gradient));
  ASSERT_TRUE(whole->ExpectedFisher(theta, &whole_fisher));
  RandomEngine whole_rng(42);
  RowMatrixXd whole_draw;
  whole->SampleResponses(theta, &whole_rng, &whole_draw);

  double value = 0.0;
  Eigen::VectorXd gradient = Eigen::VectorXd::Zero(5);
  Eigen::MatrixXd fisher = Eigen::MatrixXd::Zero(5, 5);
  const int parts = 3;
  for (int part = 0; part < parts; ++part) {
    const RowRange range = PartOfRows(1500, part, parts);
    auto local = LogisticModel(RowsOf(synthetic.data, range));
    local->SetFirstRow(range.begin);
    double part_value = 0.0;
    Eigen::VectorXd part_gradient;
    Eigen::MatrixXd part_fisher;
    ASSERT_TRUE(local->Evaluate(theta, &part_value, &part_gradient));
    ASSERT_TRUE(local->ExpectedFisher(theta, &part_fisher));
    value += part_value;
    gradient += part_gradient;
    fisher += part_fisher;
    // Same seed, same call: row i's draw is keyed by its global index.
    RandomEngine rng(42);
    RowMatrixXd draw;
    local->SampleResponses(theta, &rng, &draw);
    EXPECT_EQ(draw, whole_draw.middleRows(range.begin, range.count))
        << "part " << part;
  }
  EXPECT_NEAR(value, whole_value, 1e-12 * std::abs(whole_value));
  EXPECT_LE((gradient - whole_gradient).norm(), 1e-12 * whole_gradient.norm());
  EXPECT_LE((fisher - whole_fisher).norm(), 1e-12 * whole_fisher.norm());
  // Without SetFirstRow a part would draw the first rows' responses instead.
  auto unshifted =
      LogisticModel(RowsOf(synthetic.data, PartOfRows(1500, 1, 3)));
  RandomEngine rng(42);
  RowMatrixXd draw;
  unshifted->SampleResponses(theta, &rng, &draw);
  EXPECT_NE(draw,
            whole_draw.middleRows(PartOfRows(1500, 1, 3).begin, draw.rows()));
}

}  // namespace
}  // namespace fisheropt
