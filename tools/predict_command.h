#ifndef FISHEROPT_TOOLS_PREDICT_COMMAND_H_
#define FISHEROPT_TOOLS_PREDICT_COMMAND_H_

#include <ostream>
#include <string>

namespace fisheropt {

struct GlmFit;

// `fisheropt predict --fit FIT.json --data NEW.csv [--type link|response]
// [--se] [--out F.csv]`: R's predict.glm(fit, newdata, type, se.fit) from
// the JSON of `fit --json` (stats/glm_json.h).
struct PredictOptions {
  std::string fit_path;
  std::string data_path;
  std::string type = "link";  // "link" or "response"
  bool se = false;
  std::string out_path;  // empty: stdout
};

// Writes a CSV with the header "fit" (and "se_fit" with options.se), one
// row per row of the new data, numbers with %.17g. Returns 0, 1 with a
// one-line message on err for bad files or data, 2 for a bad --type.
int RunPredict(const PredictOptions& options, std::ostream& out,
               std::ostream& err);

// `fisheropt anova SMALL.json BIG.json [--test LRT|F]`: R's anova(small,
// big, test = ) of two nested fits of the same data (stats/anova.h). The
// default test is "LRT" (R prints no test without one; a likelihood ratio
// test is what is asked of two nested GLMs most often); "F" is the test for
// the families with an estimated dispersion (quasi families, gaussian,
// Gamma, inverse.gaussian). "Chisq" is accepted as "LRT", as in R.
struct AnovaOptions {
  std::string small_path;
  std::string big_path;
  std::string test = "LRT";
};

// Prints AnovaComparison::Report(). Returns 0, 1 with a one-line message
// for bad files or models that do not nest, 2 for a bad --test.
int RunAnova(const AnovaOptions& options, std::ostream& out, std::ostream& err);

// Reads the JSON of `fit --json` at `path` into *fit; false with a message
// naming the file.
bool LoadFitJson(const std::string& path, GlmFit* fit, std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_TOOLS_PREDICT_COMMAND_H_
