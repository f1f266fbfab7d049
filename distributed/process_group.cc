#include "distributed/process_group.h"

#if FISHEROPT_HAS_MPI
#include "distributed/mpi_communicator.h"
#endif

namespace fisheropt {
namespace {

const Communicator* current_group = nullptr;

}  // namespace

#if FISHEROPT_HAS_MPI
struct ProcessGroup::Mpi {
  Mpi(int* argc, char*** argv) : session(argc, argv) {}
  MpiSession session;
};
#else
struct ProcessGroup::Mpi {};
#endif

ProcessGroup::ProcessGroup(int* argc, char*** argv) {
#if FISHEROPT_HAS_MPI
  if (MpiSession::LaunchedByMpi()) {
    mpi_ = std::make_unique<Mpi>(argc, argv);
    communicator_ = std::make_unique<MpiCommunicator>();
  }
#else
  (void)argc, (void)argv;
#endif
  if (communicator_ == nullptr) {
    communicator_ = std::make_unique<SerialCommunicator>();
  }
  current_group = communicator_.get();
}

ProcessGroup::~ProcessGroup() {
  current_group = nullptr;
  communicator_.reset();
  mpi_.reset();
}

const Communicator* ProcessGroup::Current() { return current_group; }

}  // namespace fisheropt
