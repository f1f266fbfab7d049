#ifndef FISHEROPT_LINALG_THREADS_H_
#define FISHEROPT_LINALG_THREADS_H_

namespace fisheropt {

// The number of threads of every parallel pass of the library (OpenMP's
// thread count for the calling thread and the threads it starts). Results
// do not depend on it: every parallel sum adds its chunk sums in chunk order
// (linalg/parallel_chunks.h). `threads` ≥ 1; 0 restores the default
// (OMP_NUM_THREADS, or one per core).
void SetNumThreads(int threads);

// The number of threads the next parallel pass may use.
int NumThreads();

}  // namespace fisheropt

#endif  // FISHEROPT_LINALG_THREADS_H_
