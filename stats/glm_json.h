#ifndef FISHEROPT_STATS_GLM_JSON_H_
#define FISHEROPT_STATS_GLM_JSON_H_

#include <string>

#include "stats/glm_fit.h"
#include "stats/model_frame.h"

namespace fisheropt {

// The JSON of a GLM fit (`fisheropt fit --json`, "schema_version": 1):
// the family and link, the formula text, the model frame's variables (label,
// is_factor, levels), term codings and offset column, the coefficient table
// (names, estimates, standard errors, statistics, p-values; null for an
// aliased coefficient), the covariance matrix (null entries for aliased
// rows and columns), dispersion, deviances, degrees of freedom and the
// number of observations: everything PredictGlm and CompareNestedFits
// need. Numbers are written so that they read back to the same doubles.
// A fit without a formula has no "formula" and no "frame".
// `model` and `optimizer` are recorded as given (the command line's
// --model and --optimizer). The text is indented by 2; bytes that are not
// UTF-8 (column names come from the user's file in any encoding) become
// U+FFFD rather than an exception.
std::string GlmFitToJson(const GlmFit& fit, const std::string& model = "",
                         const std::string& optimizer = "");

// Restores from the text of GlmFitToJson what PredictGlm and
// CompareNestedFits need: family, link, coefficient names, estimates,
// aliasing, covariance, inference table, deviances, dispersion, degrees of
// freedom, and the model frame's formula and coding (the formula text is
// parsed again and its variables and terms are those stored, so that new
// data are coded exactly as the fit coded its own). Returns false with a
// one-line message on text that is not JSON, another schema_version, a JSON
// that is not a GLM fit (mvn, NIST) or one without a formula.
bool GlmFitFromJson(const std::string& text, GlmFit* fit, std::string* error);

// The model frame of a formula whose variables are all numeric and whose
// terms are main effects (`y ~ x1 + x2`, `y ~ x1 - 1`): what the fits of
// numeric columns without a frame record so that they predict too.
bool NumericModelFrame(const std::string& formula_text, ModelFrame* frame,
                       std::string* error);

// For a fit of numeric columns without a frame (FitGlm of a Dataset): sets
// fit->frame to NumericModelFrame of "response ~ its columns" ("- 1"
// without an intercept; names backquoted as R needs), so that its JSON
// predicts like a formula fit's. A fit with a frame is left as it is.
bool AttachNumericModelFrame(GlmFit* fit, std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_STATS_GLM_JSON_H_
