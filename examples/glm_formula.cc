// The README's first library example: R's
//   glm(breaks ~ wool * tension, family = poisson, data = warpbreaks)
// in one call, printing the summary as R's summary.glm does. The README
// shows the lines between the two "README" markers; examples/CMakeLists.txt
// runs this program on examples/data/warpbreaks.csv (R's data set, levels
// in sorted order) and checks R's estimates.
#include <iostream>
#include <string>

// README begin
#include "problems/csv_reader.h"
#include "stats/data_frame.h"
#include "stats/glm_fit.h"

int main(int argc, char** argv) {
  using namespace fisheropt;
  const std::string path = argc > 1 ? argv[1] : "examples/data/warpbreaks.csv";
  std::string error;
  CsvTable table;
  DataFrame data;  // numeric and text columns; text columns are factors
  GlmSpec spec;    // Fisher scoring from R's start, R's stopping digits
  spec.distribution = GlmDistribution::kPoisson;  // its canonical log link
  GlmFit fit;
  if (!ReadCsvFile(path, &table, &error) ||
      !DataFrameFromCsv(table, &data, &error) ||
      !FitGlm("breaks ~ wool * tension", data, spec, {}, &fit, &error)) {
    std::cerr << error << "\n";
    return 1;
  }
  std::cout << fit.Report();  // coefficients, deviances, AIC, warnings
  return fit.converged ? 0 : 1;
}
// README end
