#include "linalg/weighted_gram.h"

#include <cmath>
#include <limits>

#include "linalg/parallel_chunks.h"

namespace fisheropt {
namespace {

// Scratch rows for one thread: √|w_i| x_i, split by the sign of w_i.
struct ChunkBuffers {
  RowMatrixXd plus;
  RowMatrixXd minus;
};

// Adds Σ_{i in chunk} w_i x_i x_iᵀ to the lower triangle of *gram.
void AccumulateChunk(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                     long begin, long count, ChunkBuffers* buffers,
                     Eigen::MatrixXd* gram) {
  Eigen::Index num_plus = 0;
  Eigen::Index num_minus = 0;
  for (long i = begin; i < begin + count; ++i) {
    const double w = weights[i];
    if (w > 0.0) {
      buffers->plus.row(num_plus++) = std::sqrt(w) * x.row(i);
    } else if (w < 0.0) {
      buffers->minus.row(num_minus++) = std::sqrt(-w) * x.row(i);
    }
  }
  if (num_plus > 0) {
    gram->selfadjointView<Eigen::Lower>().rankUpdate(
        buffers->plus.topRows(num_plus).transpose(), 1.0);
  }
  if (num_minus > 0) {
    gram->selfadjointView<Eigen::Lower>().rankUpdate(
        buffers->minus.topRows(num_minus).transpose(), -1.0);
  }
}

}  // namespace

void WeightedGram(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                  Eigen::MatrixXd* gram) {
  const Eigen::Index p = x.cols();
  if (!weights.allFinite()) {
    // A NaN weight would pass neither sign test below and vanish: make the
    // failure visible instead.
    gram->setConstant(p, p, std::numeric_limits<double>::quiet_NaN());
    return;
  }
  std::vector<ChunkBuffers> buffers(omp_get_max_threads());
  *gram = ParallelChunkSum(
      x.rows(), kRowsPerChunk, Eigen::MatrixXd::Zero(p, p).eval(),
      [&](int thread, long begin, long count, Eigen::MatrixXd* partial) {
        ChunkBuffers& buffer = buffers[thread];
        if (buffer.plus.rows() == 0) {
          buffer.plus.resize(kRowsPerChunk, p);
          buffer.minus.resize(kRowsPerChunk, p);
        }
        AccumulateChunk(x, weights, begin, count, &buffer, partial);
      });
  gram->triangularView<Eigen::StrictlyUpper>() = gram->transpose();
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
