#ifndef FISHEROPT_DISTRIBUTED_MPI_COMMUNICATOR_H_
#define FISHEROPT_DISTRIBUTED_MPI_COMMUNICATOR_H_

// Only in a build with MPI (CMake option FISHEROPT_MPI, which defines
// FISHEROPT_HAS_MPI=1 for fisheropt::distributed and its users). The header
// does not include <mpi.h>: users of the communicator need no MPI flags.

#include <memory>
#include <string>
#include <vector>

#include "distributed/communicator.h"

namespace fisheropt {

// MPI's lifetime in a program: MPI_Init_thread (MPI_THREAD_FUNNELED: only
// the main thread calls MPI; OpenMP threads do the row passes) in the
// constructor, MPI_Finalize in the destructor. One per process.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  // Whether the process was started by an MPI launcher (mpirun, mpiexec,
  // srun): Open MPI's, MPICH's or Slurm's rank variable is set. Read from the
  // environment before MPI_Init, so a program started by hand need not
  // initialize MPI at all.
  static bool LaunchedByMpi();
};

// MPI_COMM_WORLD (an MpiSession must be alive). ReduceInPlace is the fixed
// binary tree of communicator.h built from point-to-point messages, then one
// MPI_Bcast of rank 0's result; messages above 2²⁷ doubles are split (a
// combine that is not entrywise, such as TSQR's, must fit in one: p ≤ 11585
// for a p × p factor).
class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator();

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void ReduceInPlace(double* values, std::int64_t n,
                     const Combine& combine) const override;
  std::vector<std::string> AllGather(const std::string& text) const override;
  void Broadcast(std::string* text) const override;

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace fisheropt

#endif  // FISHEROPT_DISTRIBUTED_MPI_COMMUNICATOR_H_
