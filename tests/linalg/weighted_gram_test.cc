#include "linalg/weighted_gram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace fisheropt {
namespace {

// Data spanning several chunks (and a partial last one), weights of both
// signs and some exact zeros: every branch of the kernel.
struct Fixture {
  RowMatrixXd x;
  Eigen::VectorXd weights;
};

Fixture MakeFixture(int n, int p) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  Fixture f;
  f.x.resize(n, p);
  f.weights.resize(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < p; ++j) f.x(i, j) = normal(rng);
    f.weights[i] = i % 7 == 0 ? 0.0 : normal(rng);
  }
  return f;
}

TEST(WeightedGramTest, EqualsDenseProductWithMixedSignWeights) {
  const Fixture f = MakeFixture(3 * kRowsPerChunk + 17, 9);
  Eigen::MatrixXd gram;
  WeightedGram(f.x, f.weights, &gram);
  const Eigen::MatrixXd dense = f.x.transpose() * f.weights.asDiagonal() * f.x;
  EXPECT_LT((gram - dense).norm(), 1e-12 * dense.norm());
  EXPECT_EQ(gram, gram.transpose());  // exactly symmetric
}

TEST(WeightedGramTest, ApplyEqualsDenseMatrixTimesVector) {
  const Fixture f = MakeFixture(2 * kRowsPerChunk + 3, 6);
  const Eigen::VectorXd v = Eigen::VectorXd::LinSpaced(6, -1.0, 2.0);
  Eigen::MatrixXd gram;
  WeightedGram(f.x, f.weights, &gram);
  Eigen::VectorXd product;
  WeightedGramApply(f.x, f.weights, v, &product);
  EXPECT_LT((product - gram * v).norm(), 1e-12 * (gram * v).norm());
}

TEST(WeightedGramTest, SingleRowIsOuterProduct) {
  RowMatrixXd x(1, 3);
  x << 1.0, -2.0, 3.0;
  Eigen::MatrixXd gram;
  WeightedGram(x, Eigen::VectorXd::Constant(1, -2.0), &gram);
  const Eigen::MatrixXd expected = -2.0 * x.transpose() * x;
  EXPECT_TRUE(gram.isApprox(expected, 1e-15));
}

}  // namespace
}  // namespace fisheropt

namespace fisheropt {
namespace {

TEST(WeightedGramTest, NonFiniteWeightPoisonsTheResult) {
  RowMatrixXd x = RowMatrixXd::Ones(4, 2);
  Eigen::VectorXd weights = Eigen::VectorXd::Ones(4);
  weights[2] = std::nan("");
  Eigen::MatrixXd gram;
  WeightedGram(x, weights, &gram);
  EXPECT_TRUE(gram.array().isNaN().all());
}

}  // namespace
}  // namespace fisheropt
