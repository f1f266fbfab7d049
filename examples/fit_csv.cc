// The README's library example: a probit regression of a CSV file by Fisher
// scoring, printing the estimates and the solver's report. The README shows
// the lines between the two "README" markers; tests/CMakeLists.txt runs
// this program on examples/data/probit.csv and checks both.
#include <Eigen/Core>
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>

// README begin
#include "optim/newton_solver.h"
#include "problems/csv_reader.h"
#include "problems/glm_model.h"

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "examples/data/probit.csv";
  std::string error;
  fisheropt::CsvTable table;
  fisheropt::DatasetSpec spec;  // "(Intercept)" first, other numeric columns
  spec.response = "y";
  fisheropt::Dataset data;
  int dropped = 0;
  if (!fisheropt::ReadCsvFile(path, &table, &error) ||
      !fisheropt::BuildDataset(std::move(table), spec, &data, &dropped,
                               &error)) {
    std::cerr << error << "\n";
    return 1;
  }
  auto model = fisheropt::GlmModel::Create(
      std::move(data), fisheropt::GlmFamilyType::kBernoulliProbit, &error);
  if (model == nullptr) {
    std::cerr << error << "\n";
    return 1;
  }
  fisheropt::SolverOptions options;  // Fisher scoring + Armijo line search
  options.curvature.type = fisheropt::CurvatureType::kExpectedFisher;
  options.stopping.function_tolerance = 1e-15;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(model->NumParameters());
  fisheropt::SolverSummary summary;
  fisheropt::Solve(options, *model, &beta, &summary);
  for (int j = 0; j < beta.size(); ++j) {
    std::printf("%-12s %.8g\n", model->ParameterNames()[j].c_str(), beta[j]);
  }
  std::cout << summary.BriefReport() << "\n";
  return summary.IsSolutionUsable() ? 0 : 1;
}
// README end
