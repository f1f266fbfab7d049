#include "linalg/weighted_gram.h"

#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "linalg/parallel_chunks.h"

namespace fisheropt {
namespace {

// Scratch for one thread: the rows √|w_i| x_i of a chunk in the working
// precision, split by the sign of w_i, and (single precision) the chunk's
// own Gram matrix before it is added to the double partial sum.
template <typename Scalar>
struct ChunkBuffers {
  using Rows =
      Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Rows plus;
  Rows minus;
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> chunk_gram;
};

// Adds Σ_{i in chunk} w_i x_i x_iᵀ to the lower triangle of *gram, with
// the rank-k updates done in Scalar.
template <typename Scalar>
void AccumulateChunk(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                     long begin, long count, ChunkBuffers<Scalar>* buffers,
                     Eigen::MatrixXd* gram) {
  Eigen::Index num_plus = 0;
  Eigen::Index num_minus = 0;
  for (long i = begin; i < begin + count; ++i) {
    const double w = weights[i];
    if (w > 0.0) {
      buffers->plus.row(num_plus++) =
          (std::sqrt(w) * x.row(i)).template cast<Scalar>();
    } else if (w < 0.0) {
      buffers->minus.row(num_minus++) =
          (std::sqrt(-w) * x.row(i)).template cast<Scalar>();
    }
  }
  if constexpr (std::is_same_v<Scalar, double>) {
    if (num_plus > 0) {
      gram->selfadjointView<Eigen::Lower>().rankUpdate(
          buffers->plus.topRows(num_plus).transpose(), 1.0);
    }
    if (num_minus > 0) {
      gram->selfadjointView<Eigen::Lower>().rankUpdate(
          buffers->minus.topRows(num_minus).transpose(), -1.0);
    }
  } else {
    if (num_plus == 0 && num_minus == 0) return;
    auto& chunk_gram = buffers->chunk_gram;
    chunk_gram.template triangularView<Eigen::Lower>().setZero();
    if (num_plus > 0) {
      chunk_gram.template selfadjointView<Eigen::Lower>().rankUpdate(
          buffers->plus.topRows(num_plus).transpose(), Scalar(1));
    }
    if (num_minus > 0) {
      chunk_gram.template selfadjointView<Eigen::Lower>().rankUpdate(
          buffers->minus.topRows(num_minus).transpose(), Scalar(-1));
    }
    gram->triangularView<Eigen::Lower>() += chunk_gram.template cast<double>();
  }
}

template <typename Scalar>
void WeightedGramIn(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                    Eigen::MatrixXd* gram) {
  const Eigen::Index p = x.cols();
  std::vector<ChunkBuffers<Scalar>> buffers(omp_get_max_threads());
  *gram = ParallelChunkSum(
      x.rows(), kRowsPerChunk, Eigen::MatrixXd::Zero(p, p).eval(),
      [&](int thread, long begin, long count, Eigen::MatrixXd* partial) {
        ChunkBuffers<Scalar>& buffer = buffers[thread];
        if (buffer.plus.rows() == 0) {
          buffer.plus.resize(kRowsPerChunk, p);
          buffer.minus.resize(kRowsPerChunk, p);
          if (!std::is_same_v<Scalar, double>) buffer.chunk_gram.resize(p, p);
        }
        AccumulateChunk(x, weights, begin, count, &buffer, partial);
      });
  gram->triangularView<Eigen::StrictlyUpper>() = gram->transpose();
}

}  // namespace

void WeightedGram(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                  Eigen::MatrixXd* gram, GramPrecision precision) {
  if (!weights.allFinite()) {
    // A NaN weight would pass neither sign test below and vanish: make the
    // failure visible instead.
    gram->setConstant(x.cols(), x.cols(),
                      std::numeric_limits<double>::quiet_NaN());
    return;
  }
  switch (precision) {
    case GramPrecision::kDouble:
      WeightedGramIn<double>(x, weights, gram);
      return;
    case GramPrecision::kSingle:
      WeightedGramIn<float>(x, weights, gram);
      return;
  }
}

void WeightedGramApply(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                       const Eigen::VectorXd& v, Eigen::VectorXd* product) {
  const Eigen::Index p = x.cols();
  *product = ParallelChunkSum(
      x.rows(), kRowsPerChunk, Eigen::VectorXd::Zero(p).eval(),
      [&](int, long begin, long count, Eigen::VectorXd* partial) {
        const auto block = x.middleRows(begin, count);
        const Eigen::VectorXd weighted =
            weights.segment(begin, count).cwiseProduct(block * v);
        partial->noalias() += block.transpose() * weighted;
      });
}

}  // namespace fisheropt
