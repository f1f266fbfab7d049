#ifndef FISHEROPT_LINALG_PARALLEL_CHUNKS_H_
#define FISHEROPT_LINALG_PARALLEL_CHUNKS_H_

#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace fisheropt {

// A light pass over rows (a product or two per row) starts the threads only
// from this many chunks on: below it, waking the thread pool costs more than
// the work (and far more on a machine shared with other processes).
inline constexpr long kMinChunksForThreads = 16;

// Both helpers below sum chunk results so that the total does not depend on
// the number of threads:
//
//   total = zero + R_0 + R_1 + … + R_{C−1}   (left to right),
//
// where R_c is what the body accumulates for chunk c into an accumulator
// that starts at `zero`. The chunks and what each contains are fixed by the
// caller, never by the thread count, and the chunk sums are added in chunk
// order, so every thread count performs the same floating-point operations
// in the same order and gives bitwise the same total. Accumulator is any
// type with operator+= and copy assignment (a double, an Eigen vector or
// matrix, or a struct of them).

// For large accumulators (a p × p matrix), with chunks of much more work
// than one addition; the sum goes to *total, which holds its starting value
// (usually 0). Chunks are handed out in order to whichever thread is free; a
// thread sums its chunk from zero (reset(&slot) zeroes a slot, allocating it
// the first time) into one of `window` slots, and whichever thread holds the
// lock when chunk c is complete and c − 1 has been added adds the completed
// chunks, in order. Threads wait for one another only when the oldest chunk
// not yet added is `window` chunks behind (they then sleep on a condition
// variable, never spin), so a thread slowed by other processes holds up
// only its own chunk. window = max(threads + 1, min(64, 4 MiB / slot_bytes))
// slots (`slot_bytes`: the size of one), at most one per chunk; one thread
// uses a single slot. body(thread, c, &slot) with 0 ≤ thread <
// omp_get_max_threads(), an index for per-thread buffers the body may keep
// (never sums that outlive the chunk); add(total, slot) adds a chunk sum.
template <typename Accumulator, typename Reset, typename Body, typename Add>
void ParallelOrderedSum(long num_chunks, long slot_bytes, Reset reset,
                        Body body, Add add, Accumulator* total) {
  const int num_threads = static_cast<int>(
      std::max(1L, std::min<long>(omp_get_max_threads(), num_chunks)));
  if (num_threads == 1) {
    Accumulator slot;
    for (long c = 0; c < num_chunks; ++c) {
      reset(&slot);
      body(0, c, &slot);
      add(total, slot);
    }
    return;
  }
  constexpr long kSlotBudgetBytes = 4L << 20;
  const long window = std::min(
      num_chunks,
      std::max<long>(
          num_threads + 1,
          std::min<long>(64, kSlotBudgetBytes / std::max(1L, slot_bytes))));
  // Allocated by the calling thread, before the threads start.
  std::vector<Accumulator> slots(static_cast<size_t>(window));
  for (Accumulator& slot : slots) reset(&slot);
  std::vector<char> complete(static_cast<size_t>(window), 0);
  long next_chunk = 0;   // the next chunk to hand out
  long next_to_add = 0;  // the oldest chunk not yet added
  std::mutex mutex;
  std::condition_variable slot_freed;
#pragma omp parallel num_threads(num_threads)
  {
    const int thread = omp_get_thread_num();
    while (true) {
      long c;
      {
        std::unique_lock<std::mutex> lock(mutex);
        if (next_chunk == num_chunks) break;
        c = next_chunk++;
        // Slot c % window is free once chunk c − window has been added.
        slot_freed.wait(lock, [&] { return c < next_to_add + window; });
      }
      Accumulator& slot = slots[static_cast<size_t>(c % window)];
      reset(&slot);
      body(thread, c, &slot);
      bool added = false;
      {
        std::lock_guard<std::mutex> lock(mutex);
        complete[static_cast<size_t>(c % window)] = 1;
        while (next_to_add < num_chunks &&
               complete[static_cast<size_t>(next_to_add % window)]) {
          const size_t k = static_cast<size_t>(next_to_add % window);
          add(total, slots[k]);
          complete[k] = 0;
          ++next_to_add;
          added = true;
        }
      }
      if (added) slot_freed.notify_all();
    }
  }
}

// For small accumulators (a value, a gradient, a p-vector): the row chunks
// [c·rows_per_chunk, …) of [0, num_rows), one accumulator per chunk (copies
// of `zero`), filled in parallel with no synchronization but the final
// barrier, then added in chunk order. body(thread, begin, count,
// accumulator) accumulates the rows [begin, begin + count); `thread` is as
// above. Memory: one accumulator per chunk (N / rows_per_chunk of them).
template <typename Accumulator, typename Body>
Accumulator ParallelChunkSum(long num_rows, long rows_per_chunk,
                             const Accumulator& zero, Body body) {
  const long num_chunks = (num_rows + rows_per_chunk - 1) / rows_per_chunk;
  std::vector<Accumulator> partial(static_cast<size_t>(num_chunks), zero);
  const int num_threads = static_cast<int>(
      std::max(1L, std::min<long>(omp_get_max_threads(), num_chunks)));
#pragma omp parallel num_threads(num_threads)
  {
    const int thread = omp_get_thread_num();
#pragma omp for schedule(static)
    for (long c = 0; c < num_chunks; ++c) {
      const long begin = c * rows_per_chunk;
      const long count = std::min(rows_per_chunk, num_rows - begin);
      body(thread, begin, count, &partial[static_cast<size_t>(c)]);
    }
  }
  Accumulator total = zero;
  for (const Accumulator& chunk : partial) total += chunk;
  return total;
}

// The accumulator of a chunked value-and-gradient pass (a model's summed
// NLL and its gradient): per-chunk partial sums that ParallelChunkSum adds.
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
