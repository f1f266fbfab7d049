#ifndef FISHEROPT_DISTRIBUTED_COMMUNICATOR_H_
#define FISHEROPT_DISTRIBUTED_COMMUNICATOR_H_

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace fisheropt {

// The processes of a data-parallel fit, each holding a contiguous part of
// the rows (rank r holds the r-th part, in row order), and the few
// collective operations such a fit needs. Every rank must make the same
// calls in the same order (they are collective): a rank that fails still
// takes part, and says so through AgreeOk or a flag inside the sum.
//
// ReduceInPlace is the one reduction of numbers (SumInPlace and MaxInPlace
// are its entrywise cases). Its order is fixed, so the result is a function
// of the ranks' inputs alone — the same bits on every rank, for any MPI
// implementation and network:
//
//   level 1: v_0 + v_1, v_2 + v_3, …   (rank 2k adds rank 2k + 1's values)
//   level 2: (v_0 + v_1) + (v_2 + v_3), …
//   …, then rank 0's total is broadcast bit for bit.
//
// Rejected: MPI_Allreduce, whose summation order is the implementation's
// choice (it may change with the message size, the process count or the
// placement of the ranks), so the last bits — and through them iteration
// counts — could differ from run to run.
class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;

  // left[0, n) ← left ∘ right: one node of the tree, `left` holding the
  // lower ranks' result.
  using Combine =
      std::function<void(double* left, const double* right, std::int64_t n)>;
  // values[0, n) ← the ranks' values combined in the fixed tree order above
  // (combine must not depend on the rank); bit-identical on every rank.
  // SumInPlace is its sum; stats/glm_fit.cc also takes column maxima and
  // the R factor of stacked R factors (TSQR) this way.
  virtual void ReduceInPlace(double* values, std::int64_t n,
                             const Combine& combine) const = 0;

  // values[0, n) ← Σ_r values_r[0, n) over the ranks, in the fixed tree
  // order; bit-identical on every rank.
  void SumInPlace(double* values, std::int64_t n) const;
  // values[0, n) ← the entrywise maximum over the ranks.
  void MaxInPlace(double* values, std::int64_t n) const;
  // Every rank's text, in rank order, on every rank.
  virtual std::vector<std::string> AllGather(const std::string& text) const = 0;
  // Rank 0's *text on every rank.
  virtual void Broadcast(std::string* text) const = 0;

  // Convenience forms of SumInPlace.
  void SumInPlace(Eigen::VectorXd* values) const {
    SumInPlace(values->data(), values->size());
  }
  // A symmetric matrix: only its lower triangle travels (p(p+1)/2 values),
  // the upper is mirrored from it.
  void SumSymmetricInPlace(Eigen::MatrixXd* matrix) const;
  double Sum(double value) const {
    SumInPlace(&value, 1);
    return value;
  }
  // Integer counts (exact below 2⁵³).
  std::int64_t Sum(std::int64_t value) const;

  // Whether every rank is ok. When some rank is not, every rank returns
  // false and *message (when not null) becomes the message of the lowest
  // failing rank, as that rank passed it. One exchange of text.
  bool AgreeOk(bool ok, std::string* message) const;

  // How many doubles SumInPlace has reduced on this communicator so far
  // (each double travels up the tree and back down once): what the
  // benchmark reports as bytes reduced per iteration.
  std::int64_t NumValuesSummed() const { return values_summed_; }

 private:
  mutable std::int64_t values_summed_ = 0;
};

// One process holding every row: the sums are the values themselves. No MPI
// dependency; what every caller gets when it passes no communicator.
class SerialCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void ReduceInPlace(double* values, std::int64_t n,
                     const Combine& combine) const override {
    (void)values, (void)n, (void)combine;
  }
  std::vector<std::string> AllGather(const std::string& text) const override {
    return {text};
  }
  void Broadcast(std::string* text) const override { (void)text; }
};

// Rows [begin, begin + count) of the rank-th of `parts` near-equal parts of
// num_rows rows (the first num_rows % parts parts have one row more).
struct RowRange {
  std::int64_t begin = 0;
  std::int64_t count = 0;
};
RowRange PartOfRows(std::int64_t num_rows, int part, int parts);

}  // namespace fisheropt

#endif  // FISHEROPT_DISTRIBUTED_COMMUNICATOR_H_
