#include "linalg/weighted_gram.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <random>
#include <vector>

#include "linalg/parallel_chunks.h"

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

// A row-subsampled curvature: ~1 row in 9 has a weight, so the kernel
// gathers rows from several chunks of a block into each rank-k update and
// adds what is left in the buffers at the end of the block. Both
// precisions, 1 and 2 threads.
TEST(WeightedGramTest, SparseWeightsGatheredAcrossChunks) {
  Fixture f = MakeFixture(20 * kRowsPerChunk + 5, 7);
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> keep(0, 8);
  for (Eigen::Index i = 0; i < f.weights.size(); ++i) {
    if (keep(rng) != 0) f.weights[i] = 0.0;
  }
  const Eigen::MatrixXd dense = f.x.transpose() * f.weights.asDiagonal() * f.x;
  // The scale of each entry's rounding error (weights of both signs cancel).
  const Eigen::MatrixXd magnitude = f.x.cwiseAbs().transpose() *
                                    f.weights.cwiseAbs().asDiagonal() *
                                    f.x.cwiseAbs();
  const double u_float = std::ldexp(1.0, -24);
  const int threads = omp_get_max_threads();
  for (const int num_threads : {1, 2}) {
    omp_set_num_threads(num_threads);
    Eigen::MatrixXd gram, single;
    WeightedGram(f.x, f.weights, &gram);
    WeightedGram(f.x, f.weights, &single, GramPrecision::kSingle);
    EXPECT_LT((gram - dense).norm(), 1e-12 * dense.norm()) << num_threads;
    EXPECT_EQ(gram, gram.transpose());
    const Eigen::MatrixXd relative =
        (single - dense).cwiseAbs().cwiseQuotient(magnitude);
    EXPECT_LT(relative.maxCoeff(), 8.0 * u_float) << num_threads;
    EXPECT_GT(relative.maxCoeff(), 1e-3 * u_float) << num_threads;
  }
  omp_set_num_threads(threads);
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

TEST(WeightedGramTest, NonFiniteWeightPoisonsTheResult) {
  RowMatrixXd x = RowMatrixXd::Ones(4, 2);
  Eigen::VectorXd weights = Eigen::VectorXd::Ones(4);
  weights[2] = std::nan("");
  for (GramPrecision precision :
       {GramPrecision::kDouble, GramPrecision::kSingle}) {
    Eigen::MatrixXd gram;
    WeightedGram(x, weights, &gram, precision);
    EXPECT_TRUE(gram.array().isNaN().all());
  }
}

// Single precision: every entry within a componentwise bound of the exact
// matrix, |G̃ − G|_jk ≤ c · u_float · (|X|ᵀ|W||X|)_jk with u_float = 2⁻²⁴ ≈
// 6e-8 and c small (per-row rounding of √|w| x_i plus float sums over one
// chunk of 512 rows, whose error grows like √512 in practice). The bound is
// invariant under column scaling, so scales of 1e-3 … 1e3 lose nothing.
TEST(WeightedGramTest, SinglePrecisionIsAccurateEntryByEntryAtAnyColumnScale) {
  Fixture f = MakeFixture(5 * kRowsPerChunk + 29, 12);
  for (int j = 0; j < 12; ++j) {
    f.x.col(j) *= std::pow(10.0, -3.0 + 6.0 * j / 11.0);
  }
  const Eigen::MatrixXd exact = f.x.transpose() * f.weights.asDiagonal() * f.x;
  const Eigen::MatrixXd magnitude = f.x.cwiseAbs().transpose() *
                                    f.weights.cwiseAbs().asDiagonal() *
                                    f.x.cwiseAbs();
  Eigen::MatrixXd single;
  WeightedGram(f.x, f.weights, &single, GramPrecision::kSingle);
  EXPECT_EQ(single, single.transpose());  // exactly symmetric
  const double u_float = std::ldexp(1.0, -24);
  const Eigen::MatrixXd relative =
      (single - exact).cwiseAbs().cwiseQuotient(magnitude);
  EXPECT_LT(relative.maxCoeff(), 8.0 * u_float);
  // It really is float arithmetic: far from double's 1e-16.
  EXPECT_GT(relative.maxCoeff(), 1e3 * std::ldexp(1.0, -53));
}

// Runs f() with 1, 2, 3 and 7 OpenMP threads (restoring the setting) and
// returns the results in that order.
template <typename F>
auto WithThreadCounts(F f) -> std::vector<decltype(f())> {
  const int saved = omp_get_max_threads();
  std::vector<decltype(f())> results;
  for (const int num_threads : {1, 2, 3, 7}) {
    omp_set_num_threads(num_threads);
    results.push_back(f());
  }
  omp_set_num_threads(saved);
  return results;
}

// The chunk sums are added in chunk order whatever the thread
// count. Chunk 0 contributes 1e16 and every other chunk 1, so the result
// depends on the order of the additions (1e16 + 1 rounds to 1e16, while
// partial sums of the ones are exact): it must be the left-to-right sum,
// 1e16, bit for bit with any thread count (per-thread partial sums would
// give 1e16 + 20 with 2 threads).
TEST(ParallelChunkSumTest, AddsChunkSumsInChunkOrderForEveryThreadCount) {
  const long rows = 37 * 10 + 3;  // 38 chunks of 10 rows, the last of 3
  auto chunk_value = [](long c) { return c == 0 ? 1e16 : 1.0; };
  double sequential = 0.0;
  for (long c = 0; c < 38; ++c) sequential += chunk_value(c);
  const std::vector<double> sums = WithThreadCounts([&] {
    return ParallelChunkSum(rows, 10, 0.0,
                            [&](int, long begin, long count, double* sum) {
                              EXPECT_EQ(begin % 10, 0);
                              EXPECT_EQ(count, begin == 370 ? 3 : 10);
                              *sum += chunk_value(begin / 10);
                            });
  });
  EXPECT_EQ(sequential, 1e16);
  for (const double sum : sums) EXPECT_EQ(sum, sequential);
  // The order matters for these values: the reverse order differs.
  double reverse = 0.0;
  for (long c = 37; c >= 0; --c) reverse += chunk_value(c);
  EXPECT_NE(reverse, sequential);
}

// The Gram kernel and its matrix-free product are bitwise the same
// for 1, 2, 3 and 7 threads — dense weights of both signs, and a subsampled
// pattern (1 row in 9) whose blocks span many chunks — in both precisions,
// on N not a multiple of the chunk and p large enough for multi-chunk
// blocks (8p = 640 rows of non-zero weight per block).
TEST(WeightedGramTest, BitwiseTheSameForEveryThreadCount) {
  for (const bool subsampled : {false, true}) {
    Fixture f = MakeFixture(23 * kRowsPerChunk + 101, 80);
    if (subsampled) {
      std::mt19937_64 rng(5);
      std::uniform_int_distribution<int> keep(0, 8);
      for (Eigen::Index i = 0; i < f.weights.size(); ++i) {
        if (keep(rng) != 0) f.weights[i] = 0.0;
      }
    }
    const Eigen::VectorXd v = Eigen::VectorXd::LinSpaced(80, -1.0, 2.0);
    for (const GramPrecision precision :
         {GramPrecision::kDouble, GramPrecision::kSingle}) {
      const std::vector<Eigen::MatrixXd> grams = WithThreadCounts([&] {
        Eigen::MatrixXd gram;
        WeightedGram(f.x, f.weights, &gram, precision);
        return gram;
      });
      for (size_t k = 1; k < grams.size(); ++k) {
        EXPECT_EQ(grams[k], grams[0])
            << "subsampled " << subsampled << ", run " << k;
      }
    }
    const std::vector<Eigen::VectorXd> products = WithThreadCounts([&] {
      Eigen::VectorXd product;
      WeightedGramApply(f.x, f.weights, v, &product);
      return product;
    });
    for (size_t k = 1; k < products.size(); ++k) {
      EXPECT_EQ(products[k], products[0]) << "subsampled " << subsampled;
    }
  }
}

}  // namespace
}  // namespace fisheropt
