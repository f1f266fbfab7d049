#ifndef FISHEROPT_PROBLEMS_LIKELIHOOD_MODEL_H_
#define FISHEROPT_PROBLEMS_LIKELIHOOD_MODEL_H_

#include <Eigen/Core>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "linalg/types.h"
#include "linalg/weighted_gram.h"
#include "problems/objective.h"
#include "problems/residual_form.h"

namespace fisheropt {

// The random engine used for every draw in the library: fixed seeds give
// bit-identical results on one platform and standard library.
using RandomEngine = std::mt19937_64;

// A contiguous block of θ that a model declares as one unit (e.g. the mean
// and the precision factor of the MVN). Block-diagonal curvatures keep the
// curvature within each group and drop it between groups.
struct ParameterGroup {
  std::string name;
  int begin = 0;  // Index in θ of the group's first parameter.
  int size = 0;   // Number of parameters, at least 1.
};

// A statistical model p(y | x, θ) with per-sample structure over N samples.
//
// Responses are a matrix with one row per sample (N × ResponseDimension()).
// The per-sample functions take ANY response matrix, which is what separates
// the curvatures:
//   - the observed responses y give the empirical Fisher Σ_i s_i(y_i)
//   s_i(y_i)ᵀ;
//   - responses ỹ sampled from the model give the Monte Carlo Fisher.
// They work on a block of samples [begin, begin + count) so that hot paths make
// one virtual call per block, never one per sample.
//
// Objective::Evaluate is the summed negative log-likelihood −Σ_i ℓ_i at the
// observed responses (see objective.h for the scale convention).
class LikelihoodModel : public Objective {
 public:
  // What a model can compute in closed form. Curvature factories check these
  // before solving and refuse with a clear message when one is absent.
  struct Capabilities {
    bool expected_fisher = false;  // ExpectedFisher() is implemented.
    bool hessian = false;          // Hessian() is implemented.
    bool gauss_newton = false;     // GaussNewton() is implemented.
  };

  // A short identifier for reports, e.g. "logistic" or "mvn".
  virtual std::string Name() const = 0;
  virtual int NumSamples() const = 0;
  virtual int ResponseDimension() const = 0;
  virtual const RowMatrixXd& ObservedResponses() const = 0;
  // One name per parameter, in θ order.
  virtual std::vector<std::string> ParameterNames() const = 0;
  virtual Capabilities GetCapabilities() const = 0;

  // ℓ_i = log p(responses_i | x_i, θ) for i in [begin, begin + count).
  // `responses` holds all N rows; only the block is read.
  virtual void LogLikelihoods(const Eigen::VectorXd& theta,
                              const RowMatrixXd& responses, int begin,
                              int count,
                              Eigen::VectorXd* log_likelihoods) const = 0;

  // Score rows s_i = ∇θ ℓ_i (count × p) for i in [begin, begin + count).
  virtual void Scores(const Eigen::VectorXd& theta,
                      const RowMatrixXd& responses, int begin, int count,
                      Eigen::MatrixXd* scores) const = 0;

  // Σ_i s_i s_iᵀ over all N samples at the given responses (p × p). The
  // default walks Scores() in chunks with a rank-k update; models with a
  // cheaper structure (GLMs: Xᵀ diag((dℓ/dη)²) X) override it. A model with
  // frequency weights or a known penalty may define it as the sum over the
  // weighted copies plus the penalty's Hessian (GlmModel: see glm_model.h),
  // so that its expectation under the model is ExpectedFisher().
  virtual void ScoreOuterProductSum(const Eigen::VectorXd& theta,
                                    const RowMatrixXd& responses,
                                    Eigen::MatrixXd* sum) const;

  // Draws one response per sample from p(· | x_i, θ) into an N-row matrix.
  // The models in problems/ take one key from *rng per call and draw row i
  // from its own generator RowRandomEngine(key, i) (problems/row_random.h):
  // the responses depend on the seed, the number of earlier calls and the
  // row, never on the thread count.
  virtual void SampleResponses(const Eigen::VectorXd& theta, RandomEngine* rng,
                               RowMatrixXd* responses) const = 0;

  // Closed-form expected Fisher F(θ) = Σ_i E_p[s_i s_iᵀ] (summed scale).
  // Returns false when the model has none (see GetCapabilities()).
  virtual bool ExpectedFisher(const Eigen::VectorXd& theta,
                              Eigen::MatrixXd* fisher) const;

  // The generalized Gauss–Newton matrix Jᵀ (∇²_z loss) J of the model seen
  // as outputs z(θ) followed by a loss convex in z (GLMs: z = η = Xβ, so the
  // GGN is Xᵀ diag(−d²ℓ/dη²) X, the Hessian, because η is linear in β;
  // nonlinear regression: z = f(x; β), GGN = JᵀJ/σ²). PSD whenever the loss
  // is convex in z. Returns false when the model declares no such split.
  virtual bool GaussNewton(const Eigen::VectorXd& theta,
                           Eigen::MatrixXd* gauss_newton) const;

  // Closed-form Hessian of L(θ) = −Σ ℓ_i (the observed information).
  // Returns false when the model has none.
  virtual bool Hessian(const Eigen::VectorXd& theta,
                       Eigen::MatrixXd* hessian) const;

  // The model as a least-squares problem, ½‖r(θ)‖² + CostOffset() = L(θ),
  // for Ceres' trust-region baselines (problems/residual_form.h); it refers
  // to the model, which must outlive it. nullptr when the model has none
  // (the default).
  virtual std::unique_ptr<ResidualForm> CreateResidualForm() const {
    return nullptr;
  }

  // For least-squares models, L(θ) = ½‖b(θ)‖² + const: the Jacobian
  // factor = ∂b/∂θ (m × p) and residuals = b(θ), so that the Gauss–Newton
  // matrix (= expected Fisher) is factorᵀ factor and ∇L = factorᵀ b. Dense
  // step solvers then work on the factor by QR instead of forming factorᵀ
  // factor, whose condition number is the square of the factor's
  // (optim/linear_solver.h, SolveShiftedLeastSquares). Returns false when
  // the model is not of this form (the default) or a value is not finite.
  virtual bool GaussNewtonFactor(const Eigen::VectorXd& theta,
                                 Eigen::MatrixXd* factor,
                                 Eigen::VectorXd* residuals) const {
    (void)theta, (void)factor, (void)residuals;
    return false;
  }

  // The curvatures a model may offer as matrix-free products.
  enum class CurvatureProduct {
    kHessian,               // Hessian()
    kExpectedFisher,        // ExpectedFisher()
    kScoreOuterProductSum,  // ScoreOuterProductSum() at the observed y
  };

  // product = C(θ) v without forming C (for GLMs Xᵀ(w ⊙ Xv): O(Np), no p×p
  // matrix). Returns false when the model has no fast product for `which`
  // (the default); the caller then multiplies the dense matrix.
  virtual bool CurvatureApply(CurvatureProduct which,
                              const Eigen::VectorXd& theta,
                              const Eigen::VectorXd& v,
                              Eigen::VectorXd* product) const;

  // How a cheaper-than-exact curvature (fisher/approximate_curvature.h) is
  // formed from the per-sample curvatures C_i of kHessian or kExpectedFisher.
  struct CurvatureApproximation {
    // C(θ) = Σ_i s_i C_i(θ) (+ any penalty term, unscaled) with these N
    // scales s_i; rows with s_i = 0 should cost (almost) nothing. nullptr:
    // every s_i = 1.
    const Eigen::VectorXd* row_scales = nullptr;
    // The arithmetic of the data-walking kernel (linalg/weighted_gram.h).
    GramPrecision precision = GramPrecision::kDouble;

    // False for what no model approximates: the score outer products, or
    // row scales that are not one per sample.
    bool Fits(CurvatureProduct which, int num_samples) const {
      return which != CurvatureProduct::kScoreOuterProductSum &&
             (row_scales == nullptr || row_scales->size() == num_samples);
    }
  };

  // The curvature of `which` formed as `approximation` says. Returns false
  // when the model has no such form (the default; see
  // SupportsApproximateCurvature()) or the scales have the wrong size.
  virtual bool ApproximateCurvature(CurvatureProduct which,
                                    const Eigen::VectorXd& theta,
                                    const CurvatureApproximation& approximation,
                                    Eigen::MatrixXd* curvature) const {
    (void)which, (void)theta, (void)approximation, (void)curvature;
    return false;
  }
  virtual bool SupportsApproximateCurvature() const { return false; }

  // diag C(θ) without forming C (a Jacobi preconditioner). Returns false
  // when the model has no fast diagonal for `which` (the default).
  virtual bool CurvatureDiagonal(CurvatureProduct which,
                                 const Eigen::VectorXd& theta,
                                 Eigen::VectorXd* diagonal) const;
  // The parameter groups, in θ order, covering [0, p) without gaps. The
  // default is one group "theta" holding every parameter.
  virtual std::vector<ParameterGroup> ParameterGroups() const;

  // Closed-form Hessian of −Σ_i log p(responses_i | x_i, θ) at ANY response
  // matrix (N rows), e.g. responses drawn from the model: averaging it over
  // draws gives −E_p[∇² log p] = F. Returns false when the model has none
  // (callers then difference the scores).
  virtual bool HessianAtResponses(const Eigen::VectorXd& theta,
                                  const RowMatrixXd& responses,
                                  Eigen::MatrixXd* hessian) const;

  // Closed-form KL(p_θ ‖ p_θ2) = Σ_i KL(p(·|x_i, θ) ‖ p(·|x_i, θ2)), summed
  // over the samples like L. Returns false when the model has none (callers
  // then estimate it by Monte Carlo).
  virtual bool KlDivergence(const Eigen::VectorXd& theta,
                            const Eigen::VectorXd& theta2, double* kl) const;

  // True when −∇² log p(y | θ) does not depend on y (canonical-link GLMs):
  // then the Hessian equals the expected Fisher at every θ, for any data.
  virtual bool HessianIsResponseFree() const { return false; }

  // The global index of this model's first sample when it holds one part of
  // a larger data set (distributed/distributed_model.h); 0 otherwise. The
  // models of problems/ draw sample i's response from RowRandomEngine(key,
  // FirstRow() + i) (DrawRows), so the parts of a data set draw exactly the
  // responses that one model of all rows would.
  long FirstRow() const { return first_row_; }
  void SetFirstRow(long first_row) { first_row_ = first_row; }

 private:
  long first_row_ = 0;
};

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_LIKELIHOOD_MODEL_H_
