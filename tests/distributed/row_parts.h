#ifndef FISHEROPT_TESTS_DISTRIBUTED_ROW_PARTS_H_
#define FISHEROPT_TESTS_DISTRIBUTED_ROW_PARTS_H_

#include "distributed/communicator.h"
#include "problems/dataset.h"

namespace fisheropt {
namespace testing {

// Rows [range.begin, range.begin + range.count) of `data` (weights and
// offset too), the part a rank holds.
inline Dataset RowsOf(const Dataset& data, const RowRange& range) {
  Dataset part;
  part.x = data.x.middleRows(range.begin, range.count);
  part.y = data.y.segment(range.begin, range.count);
  if (data.HasWeights()) {
    part.weights = data.weights.segment(range.begin, range.count);
  }
  if (data.HasOffset()) {
    part.offset = data.offset.segment(range.begin, range.count);
  }
  part.column_names = data.column_names;
  part.response_name = data.response_name;
  return part;
}

}  // namespace testing
}  // namespace fisheropt

#endif  // FISHEROPT_TESTS_DISTRIBUTED_ROW_PARTS_H_
