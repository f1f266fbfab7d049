#ifndef FISHEROPT_TESTS_TOOLS_FIT_JSON_FIXTURE_H_
#define FISHEROPT_TESTS_TOOLS_FIT_JSON_FIXTURE_H_

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "tests/stats/r_reference.h"
#include "tests/tools/scratch_directory.h"
#include "tools/fit_command.h"

namespace fisheropt {

// The fixture of the commands that read a fit's JSON (predict, anova): Fit
// runs `fit --json` on an R data set of tests/data/r/.
class FitJsonTest : public ScratchDirectoryTest {
 protected:
  // `fit --model model --formula formula --json <folder>/json_name` on
  // tests/data/r/<data_file>; returns the JSON's path.
  std::string Fit(const std::string& data_file, const std::string& model,
                  const std::string& formula, const std::string& json_name) {
    FitOptions options;
    options.data_path = testing::RDataPath(data_file);
    options.model = model;
    options.formula = formula;
    options.json_path = Path(json_name);
    std::ostringstream out, err;
    EXPECT_EQ(RunFit(options, out, err), 0) << err.str();
    return options.json_path;
  }
};

}  // namespace fisheropt

#endif  // FISHEROPT_TESTS_TOOLS_FIT_JSON_FIXTURE_H_
