#ifndef FISHEROPT_OPTIM_BASELINES_CERES_SUMMARY_H_
#define FISHEROPT_OPTIM_BASELINES_CERES_SUMMARY_H_

#include <ceres/iteration_callback.h>
#include <ceres/types.h>

#include "optim/solver_summary.h"

namespace fisheropt {

// Translations from Ceres' reports to ours, shared by the Ceres baselines
// (internal to optim/baselines/; Ceres types stay inside this module).

TerminationType FromCeres(ceres::TerminationType type);

// The fields every Ceres iteration has in common with ours; the caller sets
// the iteration number and the minimizer-specific fields.
IterationSummary FromCeres(const ceres::IterationSummary& iteration);

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_BASELINES_CERES_SUMMARY_H_
