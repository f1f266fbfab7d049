#include "linalg/threads.h"

#include <omp.h>

#include <cstdlib>
#include <string>

namespace fisheropt {
namespace {

// OpenMP's default before any SetNumThreads: OMP_NUM_THREADS when it is a
// positive number, otherwise one thread per processor.
int DefaultNumThreads() {
  if (const char* value = std::getenv("OMP_NUM_THREADS")) {
    char* end = nullptr;
    const long threads = std::strtol(value, &end, 10);
    if (end != value && threads >= 1 && threads <= 4096) {
      return static_cast<int>(threads);
    }
  }
  return omp_get_num_procs();
}

}  // namespace

void SetNumThreads(int threads) {
  omp_set_num_threads(threads >= 1 ? threads : DefaultNumThreads());
}

int NumThreads() { return omp_get_max_threads(); }

}  // namespace fisheropt
