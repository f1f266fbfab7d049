#include "linalg/weighted_gram.h"

#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "linalg/parallel_chunks.h"

namespace fisheropt {
namespace {

// Scratch for one thread: rows √|w_i| x_i in the working precision, split by
// the sign of w_i and gathered across chunks until a buffer holds
// kRowsPerChunk rows, and (single precision) the Gram matrix of one buffer
// before it is added to the double sum. Gathering keeps every rank-k update
// at k = kRowsPerChunk even when most weights are 0 (a row-subsampled
// curvature): rank-64 updates, and a p × p float-to-double flush per 64 rows,
// made a 1/8 subset cost half of the whole matrix.
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
// *gram (the thread's partial sum) at once.
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

// Gathers the rows of a chunk with w_i ≠ 0 (rows of weight 0 are skipped).
template <typename Scalar>
void AccumulateChunk(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                     long begin, long count, GramBuffers<Scalar>* buffers,
                     Eigen::MatrixXd* gram) {
  for (long i = begin; i < begin + count; ++i) {
    if (weights[i] != 0.0) Append(x, i, weights[i], buffers, gram);
  }
}

template <typename Scalar>
void WeightedGramIn(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                    Eigen::MatrixXd* gram) {
  const Eigen::Index p = x.cols();
  std::vector<GramBuffers<Scalar>> buffers(omp_get_max_threads());
  *gram = ParallelChunkSum(
      x.rows(), kRowsPerChunk, Eigen::MatrixXd::Zero(p, p).eval(),
      [&](int thread, long begin, long count, Eigen::MatrixXd* partial) {
        GramBuffers<Scalar>& buffer = buffers[thread];
        if (buffer.plus.rows() == 0) {
          buffer.plus.resize(kRowsPerChunk, p);
          buffer.minus.resize(kRowsPerChunk, p);
          if (!std::is_same_v<Scalar, double>) buffer.buffer_gram.resize(p, p);
        }
        AccumulateChunk(x, weights, begin, count, &buffer, partial);
      });
  // What the threads gathered last (fewer than a buffer each), in thread
  // order: deterministic for a given thread count.
  for (GramBuffers<Scalar>& buffer : buffers) {
    if (buffer.num_plus > 0 || buffer.num_minus > 0) Flush(&buffer, gram);
  }
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
