#ifndef FISHEROPT_LINALG_PARALLEL_CHUNKS_H_
#define FISHEROPT_LINALG_PARALLEL_CHUNKS_H_

#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <vector>

namespace fisheropt {

// Runs body(thread, begin, count, accumulator) over the row chunks of
// [0, num_rows) on OpenMP threads, with one accumulator per thread (copies of
// `zero`), then sums the accumulators in thread order. The static schedule
// and the fixed summation order make the result reproducible for a given
// thread count. Accumulator is any type with operator+= (a double, an Eigen
// vector or matrix, or a struct of them).
template <typename Accumulator, typename Body>
Accumulator ParallelChunkSum(long num_rows, long rows_per_chunk,
                             const Accumulator& zero, Body body) {
  const long num_chunks = (num_rows + rows_per_chunk - 1) / rows_per_chunk;
  const int num_threads = static_cast<int>(
      std::max(1L, std::min<long>(omp_get_max_threads(), num_chunks)));
  std::vector<Accumulator> partial(num_threads, zero);
#pragma omp parallel num_threads(num_threads)
  {
    const int thread = omp_get_thread_num();
#pragma omp for schedule(static)
    for (long c = 0; c < num_chunks; ++c) {
      const long begin = c * rows_per_chunk;
      const long count = std::min(rows_per_chunk, num_rows - begin);
      body(thread, begin, count, &partial[thread]);
    }
  }
  Accumulator total = partial[0];
  for (int t = 1; t < num_threads; ++t) total += partial[t];
  return total;
}

// The accumulator of a chunked value-and-gradient pass (a model's summed
// NLL and its gradient): per-thread partial sums that ParallelChunkSum adds.
struct ValueAndGradient {
  double value = 0.0;
  Eigen::VectorXd gradient;
  ValueAndGradient& operator+=(const ValueAndGradient& other) {
    value += other.value;
    if (gradient.size() > 0) gradient += other.gradient;
    return *this;
  }
};

}  // namespace fisheropt

#endif  // FISHEROPT_LINALG_PARALLEL_CHUNKS_H_
