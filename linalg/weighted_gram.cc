#include "linalg/weighted_gram.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "linalg/parallel_chunks.h"

namespace fisheropt {
namespace {

// Scratch for one thread: rows √|w_i| x_i in the working precision, split by
// the sign of w_i and gathered across the chunks of a block until a buffer
// holds kRowsPerChunk rows, and (single precision) the Gram matrix of one
// buffer before it is added to the double sum. Gathering keeps every rank-k
// update at k = kRowsPerChunk even when most weights are 0 (a row-subsampled
// curvature): rank-64 updates, and a p × p float-to-double flush per 64 rows,
// made a 1/8 subset cost half of the whole matrix. The buffers are emptied at
// the end of every block, so no row crosses a block boundary.
template <typename Scalar>
struct GramBuffers {
  using Rows =
      Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Rows plus;
  Rows minus;
  Eigen::Index num_plus = 0;
  Eigen::Index num_minus = 0;
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> buffer_gram;
};

// Adds sign · rowsᵀ rows to the lower triangle of *gram, the rank-k update
// done in Scalar.
template <typename Scalar, typename Rows, typename Buffers>
void RankUpdate(const Rows& rows, double sign, Buffers* buffers,
                Eigen::MatrixXd* gram) {
  if (rows.rows() == 0) return;
  if constexpr (std::is_same_v<Scalar, double>) {
    gram->selfadjointView<Eigen::Lower>().rankUpdate(rows.transpose(), sign);
  } else {
    auto& buffer_gram = buffers->buffer_gram;
    buffer_gram.template triangularView<Eigen::Lower>().setZero();
    buffer_gram.template selfadjointView<Eigen::Lower>().rankUpdate(
        rows.transpose(), static_cast<Scalar>(sign));
    gram->triangularView<Eigen::Lower>() += buffer_gram.template cast<double>();
  }
}

// Appends √|w| x_i to the buffer of w's sign; a full buffer is added to
// *gram (the block's sum) at once.
template <typename Scalar>
void Append(const RowMatrixXd& x, long i, double w,
            GramBuffers<Scalar>* buffers, Eigen::MatrixXd* gram) {
  auto& rows = w > 0.0 ? buffers->plus : buffers->minus;
  Eigen::Index& count = w > 0.0 ? buffers->num_plus : buffers->num_minus;
  rows.row(count++) =
      (std::sqrt(std::abs(w)) * x.row(i)).template cast<Scalar>();
  if (count == rows.rows()) {
    RankUpdate<Scalar>(rows, w > 0.0 ? 1.0 : -1.0, buffers, gram);
    count = 0;
  }
}

// Adds the gathered rows of both signs to *gram and empties the buffers.
template <typename Scalar>
void Flush(GramBuffers<Scalar>* buffers, Eigen::MatrixXd* gram) {
  RankUpdate<Scalar>(buffers->plus.topRows(buffers->num_plus), 1.0, buffers,
                     gram);
  RankUpdate<Scalar>(buffers->minus.topRows(buffers->num_minus), -1.0, buffers,
                     gram);
  buffers->num_plus = 0;
  buffers->num_minus = 0;
}

// The blocks of the kernel, as row boundaries 0 = b_0 < b_1 < … < b_B = N:
// consecutive rows holding `target` rows of non-zero weight each (the last
// block may hold fewer). A block's sum is accumulated from zero by one
// thread and the block sums are added in block order, so the boundaries —
// which depend on the weights' zero pattern and p, never on the thread
// count — fix every rounding.
//   target = a multiple of kRowsPerChunk ≥ max(lower, min(upper, nnz / 16)),
//   lower = max(kRowsPerChunk, 2²² / p²),  upper = max(lower, 8p):
// a block of `lower` rows is worth handing to a thread (≥ 4 Mflop), one of
// 8p rows makes the block sum's p × p reset and addition negligible (8p³
// flops against 2p² memory operations), and nnz / 16 in between keeps ~16
// blocks for the threads when the matrix is small or a subsample (most
// weights 0). Counting non-zero rows, in multiples of the buffer size, fills
// whole 512-row buffers in every block of a subsample, and with weights of
// one sign (every Fisher matrix) no buffer is flushed part-full before the
// last block. The chunks' non-zero counts are taken in parallel.
std::vector<long> BlockBoundaries(const Eigen::VectorXd& weights,
                                  Eigen::Index p) {
  const long n = weights.size();
  const long num_chunks = (n + kRowsPerChunk - 1) / kRowsPerChunk;
  std::vector<long> nonzero(static_cast<size_t>(num_chunks));
#pragma omp parallel for schedule(static) if (num_chunks >= \
                                              kMinChunksForThreads)
  for (long c = 0; c < num_chunks; ++c) {
    const long begin = c * kRowsPerChunk;
    const long end = std::min<long>(n, begin + kRowsPerChunk);
    long count = 0;
    for (long i = begin; i < end; ++i) count += weights[i] != 0.0 ? 1 : 0;
    nonzero[static_cast<size_t>(c)] = count;
  }
  long total = 0;
  for (const long count : nonzero) total += count;
  const long columns = std::max<long>(1, p);
  const long lower =
      std::max<long>(kRowsPerChunk, (1L << 22) / (columns * columns));
  const long upper = std::max<long>(lower, 8 * columns);
  const long wanted = std::max(lower, std::min(upper, total / 16));
  const long target =
      (wanted + kRowsPerChunk - 1) / kRowsPerChunk * kRowsPerChunk;
  // Since target ≥ kRowsPerChunk, a chunk holds at most one boundary.
  std::vector<long> boundaries = {0};
  long needed = target;  // non-zero rows that close the current block
  for (long c = 0; c < num_chunks; ++c) {
    const long count = nonzero[static_cast<size_t>(c)];
    if (count < needed) {
      needed -= count;
      continue;
    }
    long i = c * kRowsPerChunk;
    for (long seen = 0;; ++i) {
      if (weights[i] != 0.0 && ++seen == needed) break;
    }
    boundaries.push_back(i + 1);
    needed = target - (count - needed);  // the rest of chunk c is next
  }
  // Rows after the last boundary: a last block if any has a weight, else
  // they join the block before (zero-weight rows add nothing).
  if (needed == target && boundaries.size() > 1) {
    boundaries.back() = n;
  } else if (boundaries.back() != n) {
    boundaries.push_back(n);
  }
  return boundaries;
}

template <typename Scalar>
void WeightedGramIn(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                    Eigen::MatrixXd* gram) {
  const Eigen::Index p = x.cols();
  const std::vector<long> boundaries = BlockBoundaries(weights, p);
  std::vector<GramBuffers<Scalar>> buffers(omp_get_max_threads());
  gram->setZero(p, p);
  ParallelOrderedSum(
      static_cast<long>(boundaries.size()) - 1,
      static_cast<long>(sizeof(double)) * p * p,
      [p](Eigen::MatrixXd* slot) {
        if (slot->rows() != p) {
          slot->setZero(p, p);
        } else {
          for (Eigen::Index j = 0; j < p; ++j) {
            slot->col(j).tail(p - j).setZero();
          }
        }
      },
      [&](int thread, long block, Eigen::MatrixXd* partial) {
        GramBuffers<Scalar>& buffer = buffers[thread];
        if (buffer.plus.rows() == 0) {
          buffer.plus.resize(kRowsPerChunk, p);
          buffer.minus.resize(kRowsPerChunk, p);
          if (!std::is_same_v<Scalar, double>) buffer.buffer_gram.resize(p, p);
        }
        const long end = boundaries[static_cast<size_t>(block) + 1];
        for (long i = boundaries[static_cast<size_t>(block)]; i < end; ++i) {
          if (weights[i] != 0.0) Append(x, i, weights[i], &buffer, partial);
        }
        Flush(&buffer, partial);
      },
      // Only the lower triangle is reset and added (column segments, so
      // the sums are vectorized): per block 2p² memory operations less.
      [p](Eigen::MatrixXd* total, const Eigen::MatrixXd& partial) {
        for (Eigen::Index j = 0; j < p; ++j) {
          total->col(j).tail(p - j) += partial.col(j).tail(p - j);
        }
      },
      gram);
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
