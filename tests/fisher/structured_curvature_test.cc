#include "fisher/structured_curvature.h"

#include <gtest/gtest.h>

#include "fisher/expected_fisher.h"
#include "tests/fisher/fisher_test_models.h"

namespace fisheropt {
namespace {

TEST(CurvatureStructureTest, NamesRoundTrip) {
  for (CurvatureStructure structure :
       {CurvatureStructure::kFull, CurvatureStructure::kDiagonal,
        CurvatureStructure::kBlockDiagonal}) {
    CurvatureStructure parsed = CurvatureStructure::kFull;
    ASSERT_TRUE(FromString(ToString(structure), &parsed));
    EXPECT_EQ(parsed, structure);
  }
  CurvatureStructure parsed;
  EXPECT_FALSE(FromString("kfac", &parsed));
}

TEST(ParameterGroupsTest, MvnDeclaresMeanAndPrecisionFactor) {
  auto mvn = testing::Mvn(200, 3, 4);
  const std::vector<ParameterGroup> groups = mvn->ParameterGroups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].name, "mean");
  EXPECT_EQ(groups[0].begin, 0);
  EXPECT_EQ(groups[0].size, 3);
  EXPECT_EQ(groups[1].name, "precision factor");
  EXPECT_EQ(groups[1].begin, 3);
  EXPECT_EQ(groups[1].size, 6);
  std::string error;
  EXPECT_TRUE(ValidateParameterGroups(groups, 9, &error)) << error;

  auto logistic = testing::Logistic(100, 4, 4);
  const std::vector<ParameterGroup> glm_groups = logistic->ParameterGroups();
  ASSERT_EQ(glm_groups.size(), 1u);
  EXPECT_EQ(glm_groups[0].begin, 0);
  EXPECT_EQ(glm_groups[0].size, 4);
}

TEST(ParameterGroupsTest, BrokenPartitionsAreNamed) {
  std::string error;
  EXPECT_FALSE(ValidateParameterGroups({{"a", 0, 2}, {"b", 3, 1}}, 4, &error));
  EXPECT_EQ(error,
            "parameter group 1 ('b', begin 3, size 1) must be non-empty and "
            "begin at 2");
  EXPECT_FALSE(ValidateParameterGroups({{"a", 0, 2}}, 4, &error));
  EXPECT_EQ(error, "parameter groups cover 2 of 4 parameters");
  EXPECT_FALSE(ValidateParameterGroups({{"a", 0, 0}, {"b", 0, 4}}, 4, &error));
}

TEST(StructuredCurvatureTest, BlockDiagonalEqualsFullOnBlocksZeroOffThem) {
  auto model = testing::Mvn(300, 3, 8);
  const Eigen::VectorXd theta =
      model->MaximumLikelihoodParameters() +
      Eigen::VectorXd::Constant(model->NumParameters(), 0.1);
  Eigen::MatrixXd full;
  ASSERT_TRUE(model->ExpectedFisher(theta, &full));
  // Away from the MLE the mean–factor cross block of F is zero for the MVN
  // (E[r] = 0 under the model), so use the Hessian, whose cross block is not.
  Eigen::MatrixXd hessian;
  ASSERT_TRUE(model->Hessian(theta, &hessian));
  ASSERT_GT(hessian.block(0, 3, 3, 6).norm(), 1.0);

  CurvatureOptions options;
  options.type = CurvatureType::kHessian;
  options.structure = CurvatureStructure::kBlockDiagonal;
  std::string error;
  auto curvature = CreateCurvature(options, *model, &error);
  ASSERT_NE(curvature, nullptr) << error;
  EXPECT_EQ(curvature->type(), CurvatureType::kHessian);
  Eigen::MatrixXd blocks;
  ASSERT_TRUE(curvature->Compute(theta, &blocks, &error)) << error;
  EXPECT_EQ(blocks.topLeftCorner(3, 3), hessian.topLeftCorner(3, 3));
  EXPECT_EQ(blocks.bottomRightCorner(6, 6), hessian.bottomRightCorner(6, 6));
  EXPECT_EQ(blocks.topRightCorner(3, 6), Eigen::MatrixXd::Zero(3, 6));
  EXPECT_EQ(blocks.bottomLeftCorner(6, 3), Eigen::MatrixXd::Zero(6, 3));

  options.structure = CurvatureStructure::kDiagonal;
  curvature = CreateCurvature(options, *model, &error);
  ASSERT_NE(curvature, nullptr) << error;
  Eigen::MatrixXd diagonal;
  ASSERT_TRUE(curvature->Compute(theta, &diagonal, &error)) << error;
  EXPECT_EQ(diagonal.diagonal(), hessian.diagonal());
  EXPECT_EQ(diagonal, Eigen::MatrixXd(hessian.diagonal().asDiagonal()));
}

TEST(StructuredCurvatureTest, BlockDiagonalOfOneGroupIsTheFullMatrix) {
  auto model = testing::Logistic(400, 4, 2);
  const Eigen::VectorXd theta = Eigen::VectorXd::LinSpaced(4, -0.5, 0.5);
  CurvatureOptions options;
  options.structure = CurvatureStructure::kBlockDiagonal;
  std::string error;
  auto curvature = CreateCurvature(options, *model, &error);
  ASSERT_NE(curvature, nullptr) << error;
  Eigen::MatrixXd blocks, full;
  ASSERT_TRUE(curvature->Compute(theta, &blocks, &error));
  model->ExpectedFisher(theta, &full);
  EXPECT_EQ(blocks, full);
}

}  // namespace
}  // namespace fisheropt
