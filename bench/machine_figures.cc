#include "bench/machine_figures.h"

#include <cblas.h>
#include <omp.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "linalg/weighted_gram.h"

extern "C" void openblas_set_num_threads(int num_threads);

namespace fisheropt {
namespace bench {

void OpenBlasWeightedGram(const RowMatrixXd& x, const Eigen::VectorXd& weights,
                          Eigen::MatrixXd* gram) {
  const long n = x.rows();
  const int p = static_cast<int>(x.cols());
  const long chunk = kRowsPerChunk;
  const long num_chunks = (n + chunk - 1) / chunk;
  openblas_set_num_threads(1);
  const int num_threads = omp_get_max_threads();
  std::vector<Eigen::MatrixXd> partial(num_threads,
                                       Eigen::MatrixXd::Zero(p, p));
#pragma omp parallel num_threads(num_threads)
  {
    RowMatrixXd scaled(chunk, p);
    Eigen::MatrixXd& mine = partial[omp_get_thread_num()];
#pragma omp for schedule(static)
    for (long c = 0; c < num_chunks; ++c) {
      const long begin = c * chunk;
      const long count = std::min(chunk, n - begin);
      scaled.topRows(count) =
          weights.segment(begin, count).cwiseSqrt().asDiagonal() *
          x.middleRows(begin, count);
      // Row-major count × p is column-major p × count: C += A Aᵀ.
      cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, p,
                  static_cast<int>(count), 1.0, scaled.data(), p, 1.0,
                  mine.data(), p);
    }
  }
  *gram = partial[0];
  for (int t = 1; t < num_threads; ++t) *gram += partial[t];
  gram->triangularView<Eigen::StrictlyUpper>() = gram->transpose();
}

double MeasureReadBandwidth(const Eigen::Ref<const Eigen::VectorXd>& buffer) {
  double best = 1e300;
  volatile double sink = 0.0;
  for (int repetition = 0; repetition < 5; ++repetition) {
    const auto start = std::chrono::steady_clock::now();
    double total = 0.0;
#pragma omp parallel for reduction(+ : total) schedule(static)
    for (Eigen::Index i = 0; i < buffer.size(); ++i) total += buffer[i];
    sink = sink + total;
    best = std::min(best, std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count());
  }
  return buffer.size() * sizeof(double) / best / 1e9;
}

double PeakResidentBytes() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024.0;  // kilobytes on Linux
}

}  // namespace bench
}  // namespace fisheropt
