// Google Benchmark of the weighted Gram kernel Xᵀdiag(w)X, ours against
// OpenBLAS dsyrk on the same scaled chunks, with GFLOP/s counters.
//
//   build/bench/kernel_benchmark [--benchmark_filter=...]

#include <benchmark/benchmark.h>

#include "bench/machine_figures.h"
#include "linalg/weighted_gram.h"

namespace fisheropt {
namespace {

struct Data {
  RowMatrixXd x;
  Eigen::VectorXd weights;
};

const Data& GetData(long n, long p) {
  static Data data;
  if (data.x.rows() != n || data.x.cols() != p) {
    data.x = RowMatrixXd::Random(n, p);
    data.weights = Eigen::VectorXd::Random(n).cwiseAbs();
  }
  return data;
}

void SetCounters(benchmark::State& state, long n, long p) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(bench::GramFlops(n, p) * state.iterations() / 1e9,
                         benchmark::Counter::kIsRate);
}

void BM_WeightedGram(benchmark::State& state) {
  const Data& data = GetData(state.range(0), state.range(1));
  Eigen::MatrixXd gram;
  for (auto _ : state) {
    WeightedGram(data.x, data.weights, &gram);
    benchmark::DoNotOptimize(gram.data());
  }
  SetCounters(state, state.range(0), state.range(1));
}

void BM_OpenBlasDsyrk(benchmark::State& state) {
  const Data& data = GetData(state.range(0), state.range(1));
  Eigen::MatrixXd gram;
  for (auto _ : state) {
    bench::OpenBlasWeightedGram(data.x, data.weights, &gram);
    benchmark::DoNotOptimize(gram.data());
  }
  SetCounters(state, state.range(0), state.range(1));
}

BENCHMARK(BM_WeightedGram)
    ->Args({200000, 100})
    ->Args({40000, 500})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_OpenBlasDsyrk)
    ->Args({200000, 100})
    ->Args({40000, 500})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace fisheropt

BENCHMARK_MAIN();
