#include "problems/problem_catalog.h"

#include <gtest/gtest.h>

namespace fisheropt {
namespace {

TEST(ProblemCatalogTest, BuildsEveryProblemWithZeroStart) {
  CatalogOptions options;
  options.logistic_samples = 500;
  options.logistic_parameters = 4;
  options.mvn_samples = 100;
  options.mvn_dimension = 3;
  for (const std::string& name : CatalogProblemNames()) {
    std::string error;
    auto problem = MakeCatalogProblem(name, options, &error);
    ASSERT_NE(problem, nullptr) << error;
    EXPECT_EQ(problem->start.size(), problem->model->NumParameters());
    EXPECT_TRUE(problem->start.isZero(0.0));
    EXPECT_EQ(problem->true_parameters.size(), problem->model->NumParameters());
  }
}

TEST(ProblemCatalogTest, MvnHasClosedFormOptimumLogisticDoesNot) {
  std::string error;
  EXPECT_TRUE(MakeCatalogProblem("mvn", CatalogOptions(), &error)
                  ->closed_form_optimum.has_value());
  EXPECT_FALSE(MakeCatalogProblem("logistic", CatalogOptions(), &error)
                   ->closed_form_optimum.has_value());
}

TEST(ProblemCatalogTest, SameSeedSameData) {
  std::string error;
  auto a = MakeCatalogProblem("logistic", CatalogOptions(), &error);
  auto b = MakeCatalogProblem("logistic", CatalogOptions(), &error);
  EXPECT_EQ(a->model->ObservedResponses(), b->model->ObservedResponses());
  EXPECT_EQ(a->true_parameters, b->true_parameters);
}

TEST(ProblemCatalogTest, UnknownNameListsKnownProblems) {
  std::string error;
  EXPECT_EQ(MakeCatalogProblem("quadratic", CatalogOptions(), &error), nullptr);
  EXPECT_EQ(error, "unknown problem 'quadratic'; known problems: logistic mvn");
}

}  // namespace
}  // namespace fisheropt
