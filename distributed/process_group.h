#ifndef FISHEROPT_DISTRIBUTED_PROCESS_GROUP_H_
#define FISHEROPT_DISTRIBUTED_PROCESS_GROUP_H_

#include <memory>

#include "distributed/communicator.h"

namespace fisheropt {

// The processes a program runs as, for a main() that may be started by an
// MPI launcher (`mpirun -np K fisheropt fit ...`): in a build with MPI
// (FISHEROPT_HAS_MPI) and under a launcher (MpiSession::LaunchedByMpi), MPI
// is initialized for the group's lifetime and the communicator is
// MPI_COMM_WORLD; otherwise it is one process (SerialCommunicator) and MPI
// is never touched, so the program started by hand needs no MPI runtime.
// One per process, created in main() before any command runs.
class ProcessGroup {
 public:
  ProcessGroup(int* argc, char*** argv);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  const Communicator& communicator() const { return *communicator_; }

  // The live group's communicator, or nullptr when main() made none (the
  // tests that call the commands in process): callers then work alone.
  static const Communicator* Current();

 private:
  struct Mpi;
  std::unique_ptr<Mpi> mpi_;
  std::unique_ptr<Communicator> communicator_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_DISTRIBUTED_PROCESS_GROUP_H_
