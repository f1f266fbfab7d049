#ifndef FISHEROPT_PROBLEMS_ROW_RANDOM_H_
#define FISHEROPT_PROBLEMS_ROW_RANDOM_H_

#include <omp.h>

#include <cstdint>

#include "problems/likelihood_model.h"

namespace fisheropt {

// Random draws that belong to a row, not to a thread. A model's
// SampleResponses takes one 64-bit key from the caller's stream and draws
// row i's response from its own generator RowRandomEngine(key, i), so the
// sampled responses are a function of (seed, how many keys the stream gave
// before, row index) alone: the same for any thread count and any order in
// which the rows are visited, which lets the rows be sampled in parallel.
// (A Monte Carlo Fisher's draw m of call c gets the (c·M + m)-th key.)

// SplitMix64's output function (Steele, Lea & Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014; the constants of Vigna's
// splitmix64.c): a bijection of 64-bit words whose every output bit depends
// on every input bit.
inline std::uint64_t SplitMix64Mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A UniformRandomBitGenerator (usable with the <random> distributions) for
// the draws of one row: the SplitMix64 sequence z_k = mix(s + k·γ),
// γ = 0x9e3779b97f4a7c15, from the state s = mix(key ⊕ mix(row + γ)). Rows
// and keys thus start at unrelated points of the 2⁶⁴ cycle; a row uses a
// handful of outputs, so the sequences of two rows overlap with probability
// about (outputs per row)·N²/2⁶⁴. SplitMix64 passes BigCrush.
class RowRandomEngine {
 public:
  using result_type = std::uint64_t;
  static constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15ULL;

  RowRandomEngine(std::uint64_t key, std::uint64_t row)
      : state_(SplitMix64Mix(key ^ SplitMix64Mix(row + kGamma))) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() {
    state_ += kGamma;
    return SplitMix64Mix(state_);
  }

 private:
  std::uint64_t state_;
};

// Rows below which DrawRows stays on the calling thread: waking the OpenMP
// threads costs more than drawing a few thousand responses (a Monte Carlo
// Fisher of NIST's 14-row Misra1a took 1000× longer with a parallel region
// per draw on a busy machine).
inline constexpr long kMinRowsToDrawInParallel = 8192;

// Calls draw(i, &engine) for i in [0, num_rows), engine =
// RowRandomEngine(key, first_row + i) with key = (*rng)() (one output of the
// caller's stream per call), in parallel over the rows (OpenMP) from
// kMinRowsToDrawInParallel rows on; the draws are the same either way.
// first_row is the global index of the first row when the rows are one part
// of a larger data set (LikelihoodModel::FirstRow()), so that each part
// draws what one process holding every row would. `draw` must write only
// row i's output.
template <typename Draw>
void DrawRows(long first_row, long num_rows, RandomEngine* rng, Draw draw) {
  const std::uint64_t key = (*rng)();
  const bool parallel = num_rows >= kMinRowsToDrawInParallel;
#pragma omp parallel for schedule(static) if (parallel)
  for (long i = 0; i < num_rows; ++i) {
    RowRandomEngine engine(key, static_cast<std::uint64_t>(first_row + i));
    draw(i, &engine);
  }
}

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_ROW_RANDOM_H_
