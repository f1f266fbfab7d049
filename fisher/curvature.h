#ifndef FISHEROPT_FISHER_CURVATURE_H_
#define FISHEROPT_FISHER_CURVATURE_H_

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <string>

#include "problems/likelihood_model.h"

namespace fisheropt {

// Which matrix stands in for the Hessian in a Newton-like step. All are on
// the summed scale of L(θ) = −Σ_i ℓ_i (see problems/objective.h), so at the
// MLE each is an estimate of the inverse covariance of θ̂.
enum class CurvatureType {
  // ∇²L(θ): the observed information. Exact Newton; may be indefinite away
  // from the optimum for non-canonical models.
  kHessian,
  // F(θ) = Σ_i E_p[s_i s_iᵀ] = −Σ_i E_p[∇²ℓ_i], in closed form: Fisher
  // scoring. Positive semidefinite everywhere.
  kExpectedFisher,
  // Σ_i s_i(y_i) s_i(y_i)ᵀ at the observed responses. Cheap and PSD, but a
  // different matrix from F, and a poor curvature away from the optimum.
  kEmpiricalFisher,
  // (1/M) Σ_m Σ_i s_i(ỹ_im) s_i(ỹ_im)ᵀ with ỹ drawn from the model at θ: an
  // unbiased estimate of F for models without a closed form.
  kMonteCarloFisher,
  // The generalized Gauss–Newton matrix JᵀHJ of models that declare outputs
  // z(θ) and a loss convex in z (LikelihoodModel::GaussNewton): the Hessian
  // without the second derivatives of z. GLMs: equal to the Hessian (η is
  // linear); nonlinear regression: JᵀJ/σ², equal to the expected Fisher.
  kGaussNewton,
};

// "hessian", "expected_fisher", "empirical_fisher", "monte_carlo_fisher",
// "gauss_newton".
std::string ToString(CurvatureType type);
bool FromString(const std::string& name, CurvatureType* type);

// Which part of the curvature matrix is kept (see structured_curvature.h).
enum class CurvatureStructure {
  kFull,           // The whole p × p matrix.
  kDiagonal,       // Only the diagonal: a per-parameter scaling.
  kBlockDiagonal,  // Blocks of the model's ParameterGroups(); zero between.
};

// "full", "diagonal", "block_diagonal".
std::string ToString(CurvatureStructure structure);
bool FromString(const std::string& name, CurvatureStructure* structure);

// Row subsampling of the expected Fisher or Hessian, for models that support
// it (GLMs and softmax; fisher/approximate_curvature.h): each Compute() keeps
// every sample with probability f and weighs the kept ones by 1/f, so the
// matrix is unbiased. The fraction f has one definition, Fraction():
//
//   rows_per_parameter = 0:  f = fraction
//   rows_per_parameter > 0:  f = min(1, max(rows_per_parameter · p,
//                                           min_flops_per_entry · N / p) / N)
//
// for N samples and p parameters. The defaults keep every row: no subset.
struct SubsampleOptions {
  // The fraction of rows kept, in (0, 1]. Used while rows_per_parameter = 0.
  // Default 1: every row.
  double fraction = 1.0;
  // Above 0: the subset follows the model instead of `fraction`, about this
  // many rows per parameter. The relative error of a Fisher matrix from m
  // rows is about √(p/m), so a fixed multiple of p gives the same
  // contraction per iteration at any N, where a fixed fraction spends more
  // rows than needed at large N. Default 0: off.
  double rows_per_parameter = 0.0;
  // With rows_per_parameter: at least this many flops per entry of X in the
  // subset's Gram matrix (about n·p² flops for n rows), i.e. at least
  // min_flops_per_entry · N / p rows. A gradient pass is memory-bound at ~4
  // flops per entry, so where N/p is large (N = 10⁶, p = 100) 50 rows per
  // parameter leave the subset Fisher far cheaper than a pass and a larger
  // subset (a better C, fewer passes) costs almost nothing; where N/p is
  // small the rows per parameter dominate. Default 0: off.
  double min_flops_per_entry = 0.0;

  // f for a model with `num_samples` rows and `num_parameters` parameters;
  // below 1 means a subset.
  double Fraction(int num_samples, int num_parameters) const;

  // Returns false with "SubsampleOptions::<field> = <value> must be ...".
  bool IsValid(std::string* error) const;
};

struct CurvatureOptions {
  CurvatureType type = CurvatureType::kExpectedFisher;
  // Keep the full matrix (default), its diagonal, or its blocks per the
  // model's parameter groups. Every structure of a PSD curvature is PSD, so
  // the solver's steps stay descent directions.
  CurvatureStructure structure = CurvatureStructure::kFull;
  // kMonteCarloFisher: response draws per sample. One draw per sample already
  // averages over all N samples; the error of the estimate shrinks like 1/√M.
  int monte_carlo_samples = 1;
  // kMonteCarloFisher: seed of the response draws. Each Compute() continues
  // the same stream, so a run is reproducible from this seed alone. Also the
  // seed of the row subsets (`subsample`).
  std::uint64_t seed = 20261128;
  // Row subsampling of the expected Fisher or Hessian (off by default).
  SubsampleOptions subsample;
  // kSingle: the expected Fisher or Hessian accumulated with float rank-k
  // updates (linalg/weighted_gram.h: about twice the flop rate, relative
  // error ~1e-7 per entry, no float copy of the data), for models that
  // support it (GLMs and softmax). The gradient stays in double, so Newton-like
  // steps still converge to the exact optimum. kDouble: the default.
  GramPrecision precision = GramPrecision::kDouble;

  // Returns false with a message naming the field, its value and the broken
  // constraint.
  bool IsValid(std::string* error) const;
};

// A strategy that computes the curvature matrix C(θ) for one model. The solver
// holds a Curvature and never knows which one it is.
class Curvature {
 public:
  virtual ~Curvature() = default;

  // Computes C(θ) (p × p, symmetric). Returns false with a message when the
  // model cannot produce it or the result is not finite.
  bool Compute(const Eigen::VectorXd& theta, Eigen::MatrixXd* curvature,
               std::string* error);

  virtual CurvatureType type() const = 0;

  // How this curvature departs from the exact matrix of type(), for
  // reports ("rows subsampled, fraction 0.25; single-precision Gram
  // kernel"); empty when it is exact (the default).
  virtual std::string Approximation() const { return ""; }

  // Response draws per sample of a Monte Carlo curvature, for reports; 0
  // for a deterministic one (the default).
  virtual int MonteCarloSamples() const { return 0; }

  // Matrix-free product out = C(θ) v, for conjugate gradient (truncated
  // Newton). The default computes the dense C once per θ (DoCompute), caches
  // it and multiplies; curvatures with a cheaper product (GLMs: Xᵀ(w ⊙ Xv),
  // O(Np) with no p×p matrix) override it. Returns false (with *error set
  // when non-null) when C is not available or the product is not finite.
  // A stochastic curvature (Monte Carlo) keeps one draw per cached θ, so all
  // products of one CG solve see the same matrix.
  virtual bool Apply(const Eigen::VectorXd& theta, const Eigen::VectorXd& v,
                     Eigen::VectorXd* out, std::string* error);

  // diag C(θ), for the Jacobi preconditioner of CG. The default reads the
  // cached dense C, as Apply does.
  virtual bool Diagonal(const Eigen::VectorXd& theta, Eigen::VectorXd* out,
                        std::string* error);

  // C(θ) = factorᵀ factor with ∇L = factorᵀ residuals, when the curvature
  // is the Gauss–Newton matrix of a least-squares model
  // (LikelihoodModel::GaussNewtonFactor); the dense solvers then use a QR of
  // the factor. False when there is none (the default).
  virtual bool LeastSquaresFactor(const Eigen::VectorXd& theta,
                                  Eigen::MatrixXd* factor,
                                  Eigen::VectorXd* residuals) {
    (void)theta, (void)factor, (void)residuals;
    return false;
  }

  // True when C is positive semidefinite for every θ (all Fisher types).
  bool IsPositiveSemidefinite() const {
    return type() != CurvatureType::kHessian;
  }

 private:
  // Fills *curvature; returns false when it cannot be computed at θ.
  virtual bool DoCompute(const Eigen::VectorXd& theta,
                         Eigen::MatrixXd* curvature) = 0;

  // The dense C at cached_theta_, for the default Apply and Diagonal.
  bool UpdateCache(const Eigen::VectorXd& theta, std::string* error);
  bool cache_valid_ = false;
  Eigen::VectorXd cached_theta_;
  Eigen::MatrixXd cached_matrix_;
};

// Base of the curvatures that a LikelihoodModel provides; the model is not
// owned and must outlive the curvature.
class ModelCurvature : public Curvature {
 protected:
  explicit ModelCurvature(const LikelihoodModel& model) : model_(model) {}
  const LikelihoodModel& model() const { return model_; }

  // Apply / Diagonal through the model's fast product for `which`, falling
  // back to the dense default when the model has none.
  bool ApplyWith(LikelihoodModel::CurvatureProduct which,
                 const Eigen::VectorXd& theta, const Eigen::VectorXd& v,
                 Eigen::VectorXd* out, std::string* error);
  bool DiagonalWith(LikelihoodModel::CurvatureProduct which,
                    const Eigen::VectorXd& theta, Eigen::VectorXd* out,
                    std::string* error);

 private:
  const LikelihoodModel& model_;
};

// Creates the curvature `options` names for `model`, which must outlive it,
// wrapped in a StructuredCurvature unless options.structure is kFull.
// Returns nullptr with a message when the options are invalid, the model
// lacks what the curvature needs (e.g. no closed-form expected Fisher), or
// its parameter groups do not partition θ.
std::unique_ptr<Curvature> CreateCurvature(const CurvatureOptions& options,
                                           const LikelihoodModel& model,
                                           std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_CURVATURE_H_
