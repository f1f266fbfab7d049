#ifndef FISHEROPT_OPTIM_COST_RESOLUTION_H_
#define FISHEROPT_OPTIM_COST_RESOLUTION_H_

#include <cmath>
#include <limits>

namespace fisheropt {

// The smallest change of the objective that its rounding can resolve: a few
// units of roundoff of |L| (16 ulps: a summed NLL carries the rounding of N
// terms, of which a small multiple of eps·|L| is the visible floor). Below it
// a gain ratio ρ is a ratio of rounding errors and a line search cannot
// verify a decrease: the iterate is as good as the arithmetic allows.
inline double CostResolution(double cost) {
  constexpr double kRoundingFloorUlps = 16.0;
  return kRoundingFloorUlps * std::numeric_limits<double>::epsilon() *
         std::abs(cost);
}

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_COST_RESOLUTION_H_
