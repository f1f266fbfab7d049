#include "problems/nist_dataset.h"

#include <gtest/gtest.h>

#include <string>

#include "problems/nist_models.h"
#include "tests/problems/nist_test_utilities.h"

namespace fisheropt {
namespace {

using testing::NistFile;
using testing::ReadText;

// Every expected number below is copied from the text of the .dat file.
TEST(NistDatasetTest, ReadsMisra1aAsWritten) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistDataset data;
  std::string error;
  ASSERT_TRUE(ReadNistDataset(NistFile("Misra1a"), &data, &error)) << error;
  EXPECT_EQ(data.name, "Misra1a");
  EXPECT_EQ(data.model_text, "y = b1*(1-exp[-b2*x])  +  e");
  ASSERT_EQ(data.num_parameters, 2);
  ASSERT_EQ(data.starts.size(), 2u);
  EXPECT_EQ(data.starts[0][0], 500.0);
  EXPECT_EQ(data.starts[0][1], 0.0001);
  EXPECT_EQ(data.starts[1][0], 250.0);
  EXPECT_EQ(data.starts[1][1], 0.0005);
  EXPECT_EQ(data.certified_values[0], 2.3894212918E+02);
  EXPECT_EQ(data.certified_values[1], 5.5015643181E-04);
  EXPECT_EQ(data.certified_standard_deviations[0], 2.7070075241E+00);
  EXPECT_EQ(data.certified_standard_deviations[1], 7.2668688436E-06);
  EXPECT_EQ(data.certified_residual_sum_of_squares, 1.2455138894E-01);
  EXPECT_EQ(data.certified_residual_standard_deviation, 1.0187876330E-01);
  EXPECT_EQ(data.degrees_of_freedom, 12);
  ASSERT_EQ(data.NumObservations(), 14);
  EXPECT_EQ(data.response_name, "y");
  ASSERT_EQ(data.predictor_names, std::vector<std::string>{"x"});
  EXPECT_EQ(data.responses[0], 10.07);
  EXPECT_EQ(data.predictors(0, 0), 77.6);
  EXPECT_EQ(data.responses[13], 81.78);
  EXPECT_EQ(data.predictors(13, 0), 760.0);
}

TEST(NistDatasetTest, ReadsNelsonWithTwoPredictorsInHeaderOrder) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistDataset data;
  std::string error;
  ASSERT_TRUE(ReadNistDataset(NistFile("Nelson"), &data, &error)) << error;
  EXPECT_EQ(data.model_text, "log[y] = b1 - b2*x1 * exp[-b3*x2]  +  e");
  ASSERT_EQ(data.num_parameters, 3);
  EXPECT_EQ(data.starts[1][1], 0.000000005);
  EXPECT_EQ(data.certified_values[2], -5.7701013174E-02);
  EXPECT_EQ(data.certified_residual_sum_of_squares, 3.7976833176E+00);
  EXPECT_EQ(data.degrees_of_freedom, 125);
  ASSERT_EQ(data.NumObservations(), 128);
  ASSERT_EQ(data.predictor_names, (std::vector<std::string>{"x1", "x2"}));
  EXPECT_EQ(data.responses[0], 15.0);
  EXPECT_EQ(data.predictors(0, 0), 1.0);
  EXPECT_EQ(data.predictors(0, 1), 180.0);
  EXPECT_EQ(data.responses[127], 1.2);
  EXPECT_EQ(data.predictors(127, 0), 64.0);
  EXPECT_EQ(data.predictors(127, 1), 275.0);
}

TEST(NistDatasetTest, ReadsEnsoNineParametersAndBennett5NegativeValues) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistDataset enso, bennett;
  std::string error;
  ASSERT_TRUE(ReadNistDataset(NistFile("ENSO"), &enso, &error)) << error;
  ASSERT_EQ(enso.num_parameters, 9);
  EXPECT_EQ(enso.starts[0][4], -0.7);
  EXPECT_EQ(enso.starts[1][4], -1.5);
  EXPECT_EQ(enso.certified_values[8], 1.4966870418E+00);
  EXPECT_EQ(enso.certified_standard_deviations[8], 2.5434468893E-01);
  EXPECT_EQ(enso.NumObservations(), 168);
  ASSERT_TRUE(ReadNistDataset(NistFile("Bennett5"), &bennett, &error)) << error;
  EXPECT_EQ(bennett.starts[0][0], -2000.0);
  EXPECT_EQ(bennett.certified_values[0], -2.5235058043E+03);
  EXPECT_EQ(bennett.certified_residual_sum_of_squares, 5.2404744073E-04);
  EXPECT_EQ(bennett.NumObservations(), 154);
}

// The whole set: every file parses, its model is registered with the same
// parameter count, and the file's own statistics agree with each other
// (degrees of freedom = N − p).
TEST(NistDatasetTest, AllTwentySevenFilesParseConsistently) {
  FISHEROPT_REQUIRE_NIST_FILES();
  ASSERT_EQ(NistModelNames().size(), 27u);
  for (const std::string& name : NistModelNames()) {
    NistDataset data;
    std::string error;
    ASSERT_TRUE(ReadNistDataset(NistFile(name), &data, &error)) << error;
    EXPECT_EQ(data.name, name);
    if (name == "Rat43") {
      // An erratum in NIST's own file: "Degrees of Freedom: 9" with 15
      // observations and 4 parameters. The reader reports what the file
      // says.
      EXPECT_EQ(data.degrees_of_freedom, 9);
      EXPECT_EQ(data.NumObservations() - data.num_parameters, 11);
    } else {
      EXPECT_EQ(data.degrees_of_freedom,
                data.NumObservations() - data.num_parameters)
          << name;
    }
    EXPECT_GT(data.certified_residual_sum_of_squares, 0.0) << name;
    EXPECT_TRUE((data.certified_standard_deviations.array() > 0.0).all())
        << name;
  }
}

// Malformed files: the message names the file and the line.
class NistDatasetErrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FISHEROPT_REQUIRE_NIST_FILES();
    text_ = ReadText(NistFile("Misra1a"));
  }
  // Replaces the first occurrence of `from` and parses.
  std::string ParseError(const std::string& from, const std::string& to) {
    std::string text = text_;
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    NistDataset data;
    std::string error;
    EXPECT_FALSE(ParseNistDataset(text, "Misra1a.dat", &data, &error));
    return error;
  }
  std::string text_;
};

TEST_F(NistDatasetErrorTest, NonNumericDataCellNamesLineAndColumn) {
  EXPECT_EQ(
      ParseError("      14.73E0     114.9E0", "      14.73E0     1l4.9E0"),
      "Misra1a.dat:62: column 2 ('x'): '1l4.9E0' is not a finite "
      "number");
}

TEST_F(NistDatasetErrorTest, ShortDataRowNamesLine) {
  EXPECT_EQ(ParseError("      17.94E0     141.1E0", "      17.94E0"),
            "Misra1a.dat:63: expected 2 numbers (columns y               x), "
            "found 1");
}

TEST_F(NistDatasetErrorTest, ParameterRowWithThreeNumbers) {
  EXPECT_EQ(ParseError("  b2 =     0.0001      0.0005      5.5015643181E-04",
                       "  b2 =     0.0001      5.5015643181E-04"),
            "Misra1a.dat:42: expected 'b2 = start1 start2 certified_value "
            "standard_deviation' (4 numbers)");
}

TEST_F(NistDatasetErrorTest, MissingRowIsCountedAgainstTheHeader) {
  const std::string error = ParseError("      81.78E0     760.0E0", "");
  EXPECT_NE(error.find("found 13 data rows; 'Number of Observations:' says "
                       "14"),
            std::string::npos)
      << error;
}

TEST_F(NistDatasetErrorTest, MissingCertifiedStatistic) {
  EXPECT_EQ(ParseError("Residual Sum of Squares:", "Residual sum:"),
            "Misra1a.dat: no 'Residual Sum of Squares:' line");
}

TEST_F(NistDatasetErrorTest, HeaderWithoutResponseColumn) {
  EXPECT_EQ(ParseError("Data:   y               x", "Data:   v  x"),
            "Misra1a.dat:60: the data header has no column 'y'");
}

// A made-up file in the StRD format (not NIST's data), so that these tests
// run without the NIST folder; fuzz/corpus/nist/synthetic_misra1a.dat.
const char kSyntheticNist[] =
    "Dataset Name:  Misra1a  (synthetic)\n"
    "Model:         Exponential Class\n"
    "               2 Parameters (b1 and b2)\n"
    "               y = b1*(1-exp[-b2*x])  +  e\n"
    "          Starting values                  Certified Values\n"
    "  b1 =   500         250           2.0E+02  1.0E+00\n"
    "  b2 =     0.0001      0.0005      1.0E-03  1.0E-05\n"
    "Residual Sum of Squares:                    1.0E-02\n"
    "Residual Standard Deviation:                5.0E-02\n"
    "Degrees of Freedom:                                1\n"
    "Number of Observations:                            3\n"
    "Data:   y               x\n"
    "      19.1E0      100.0E0\n"
    "      36.2E0      200.0E0\n"
    "      51.9E0      300.0E0\n";

std::string SyntheticError(const std::string& from, const std::string& to) {
  std::string text = kSyntheticNist;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  NistDataset data;
  std::string error;
  EXPECT_FALSE(ParseNistDataset(text, "s.dat", &data, &error));
  return error;
}

TEST(NistDatasetTest, ParsesTheSyntheticFile) {
  NistDataset data;
  std::string error;
  ASSERT_TRUE(ParseNistDataset(kSyntheticNist, "s.dat", &data, &error))
      << error;
  EXPECT_EQ(data.num_parameters, 2);
  EXPECT_EQ(data.degrees_of_freedom, 1);
  EXPECT_EQ(data.NumObservations(), 3);
}

// Found by fuzz/fuzz_nist_reader (fuzz/corpus/nist/
// regression_parameter_count_overflows_int): "266666666666666666666
// Parameters" was converted to int (undefined behaviour; UBSan: "outside the
// range of representable values of type 'int'"), and a count just below
// INT_MAX reserved gigabytes for the parameter table. The same held for the
// observation count and the degrees of freedom.
TEST(NistDatasetTest, HugeOrNegativeCountsAreErrorsNotOverflows) {
  EXPECT_EQ(SyntheticError("2 Parameters", "266666666666666666666 Parameters"),
            "s.dat:3: bad parameter count '266666666666666666666' (an "
            "integer from 1 to 1000)");
  EXPECT_EQ(SyntheticError("2 Parameters", "2000000000 Parameters"),
            "s.dat:3: bad parameter count '2000000000' (an integer from 1 "
            "to 1000)");
  EXPECT_EQ(SyntheticError("2 Parameters", "1.5 Parameters"),
            "s.dat:3: bad parameter count '1.5' (an integer from 1 to "
            "1000)");
  EXPECT_EQ(SyntheticError("Number of Observations:                            "
                           "3",
                           "Number of Observations: 1e300"),
            "s.dat:11: expected an integer from 0 to 100000000 after 'Number "
            "of Observations:', found '1e300'");
  EXPECT_EQ(SyntheticError("Degrees of Freedom:                                "
                           "1",
                           "Degrees of Freedom: -4"),
            "s.dat:10: expected an integer from 0 to 100000000 after "
            "'Degrees of Freedom:', found '-4'");
  EXPECT_EQ(SyntheticError("Degrees of Freedom:                                "
                           "1",
                           "Degrees of Freedom: 1e400"),
            "s.dat:10: expected one number after 'Degrees of Freedom:', found "
            "'1e400'");
}

TEST(NistDatasetTest, MissingFileNamesThePath) {
  NistDataset data;
  std::string error;
  EXPECT_FALSE(ReadNistDataset("/nonexistent/Foo.dat", &data, &error));
  EXPECT_NE(error.find("/nonexistent/Foo.dat"), std::string::npos) << error;
}

}  // namespace
}  // namespace fisheropt
