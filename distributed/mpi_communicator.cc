#include "distributed/mpi_communicator.h"

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace fisheropt {
namespace {

// The largest message, in doubles: MPI counts are ints.
constexpr std::int64_t kMaxMessage = std::int64_t{1} << 27;

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

bool MpiSession::LaunchedByMpi() {
  for (const char* name :
       {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "SLURM_PROCID"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

MpiCommunicator::MpiCommunicator() {
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

void MpiCommunicator::ReduceInPlace(double* values, std::int64_t n,
                                    const Combine& combine) const {
  if (size_ == 1 || n == 0) return;
  std::vector<double> received(
      static_cast<size_t>(std::min<std::int64_t>(n, kMaxMessage)));
  // The fixed tree: at level `step`, a rank that is a multiple of 2·step
  // combines its partner's (rank + step) partial result into its own, on
  // the right; the partner sends and leaves the tree.
  for (int step = 1; step < size_; step *= 2) {
    if (rank_ % (2 * step) == 0) {
      const int partner = rank_ + step;
      if (partner >= size_) continue;
      for (std::int64_t begin = 0; begin < n; begin += kMaxMessage) {
        const int count =
            static_cast<int>(std::min<std::int64_t>(kMaxMessage, n - begin));
        MPI_Recv(received.data(), count, MPI_DOUBLE, partner, step,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        combine(values + begin, received.data(), count);
      }
    } else {
      const int partner = rank_ - step;
      for (std::int64_t begin = 0; begin < n; begin += kMaxMessage) {
        const int count =
            static_cast<int>(std::min<std::int64_t>(kMaxMessage, n - begin));
        MPI_Send(values + begin, count, MPI_DOUBLE, partner, step,
                 MPI_COMM_WORLD);
      }
      break;
    }
  }
  for (std::int64_t begin = 0; begin < n; begin += kMaxMessage) {
    const int count =
        static_cast<int>(std::min<std::int64_t>(kMaxMessage, n - begin));
    MPI_Bcast(values + begin, count, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  }
}

std::vector<std::string> MpiCommunicator::AllGather(
    const std::string& text) const {
  const int length = static_cast<int>(text.size());
  std::vector<int> lengths(static_cast<size_t>(size_));
  MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT,
                MPI_COMM_WORLD);
  std::vector<int> offsets(static_cast<size_t>(size_), 0);
  for (int r = 1; r < size_; ++r) offsets[r] = offsets[r - 1] + lengths[r - 1];
  std::string all(static_cast<size_t>(offsets.back() + lengths.back()), '\0');
  MPI_Allgatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(),
                 offsets.data(), MPI_CHAR, MPI_COMM_WORLD);
  std::vector<std::string> texts;
  for (int r = 0; r < size_; ++r) {
    texts.push_back(all.substr(static_cast<size_t>(offsets[r]),
                               static_cast<size_t>(lengths[r])));
  }
  return texts;
}

void MpiCommunicator::Broadcast(std::string* text) const {
  long length = static_cast<long>(text->size());
  MPI_Bcast(&length, 1, MPI_LONG, 0, MPI_COMM_WORLD);
  text->resize(static_cast<size_t>(length));
  MPI_Bcast(text->data(), static_cast<int>(length), MPI_CHAR, 0,
            MPI_COMM_WORLD);
}

}  // namespace fisheropt
