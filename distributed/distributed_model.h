#ifndef FISHEROPT_DISTRIBUTED_DISTRIBUTED_MODEL_H_
#define FISHEROPT_DISTRIBUTED_DISTRIBUTED_MODEL_H_

#include <memory>
#include <string>
#include <vector>

#include "distributed/communicator.h"
#include "problems/likelihood_model.h"

namespace fisheropt {

// Any LikelihoodModel fitted data-parallel: each rank wraps the model of its
// own rows (`local`), and the wrapper is the model of all rows. Value,
// gradient and every curvature are sums over rows, so each is the local
// model's result summed across ranks (Communicator::SumInPlace: a fixed
// order, the same bits on every rank), and every rank's solver takes the
// same steps. The solver, the curvature strategies and the inference run
// unchanged on the wrapper.
//
// Contract of the local models:
//   - the same model class, parameters and options on every rank, each
//     holding a contiguous part of the rows in rank order, with
//     SetFirstRow(global index of its first row) — so Monte Carlo draws,
//     keyed by the global row (problems/row_random.h), are those of one
//     process holding every row, for any number of ranks;
//   - a term that is not a sum over rows (GlmOptions::l2_penalty) on exactly
//     one rank's model, or it would be counted once per rank.
//
// The per-sample interface stays local: NumSamples(), ObservedResponses(),
// LogLikelihoods(), Scores() and SampleResponses() are the local model's
// (responses are local-row matrices), while the sums built from them —
// ScoreOuterProductSum, HessianAtResponses, KlDivergence — are reduced. So
// the Monte Carlo Fisher (SampleResponses then ScoreOuterProductSum) and the
// empirical Fisher are right for any number of ranks. What needs the global
// row set in one process is refused under more than one rank:
// ApproximateCurvature with row scales (a subsample drawn over the local
// rows would differ from one rank count to another; the single-precision
// kernel without subsampling is reduced as usual), CreateResidualForm and
// GaussNewtonFactor (Ceres' and the dense QR's least-squares forms need
// every residual in one place). Such calls return false / nullptr on every
// rank alike.
//
// A local failure (a non-finite value, a closed form that returns false) is
// a flag inside the same reduction, so every rank returns false together
// and none waits for a partner that left. The solver run on the wrapper
// must decide only from reduced values: a stopping rule that reads the
// clock (StoppingOptions' time limit) can stop one rank an iteration before
// another, which then waits in its next reduction; leave it unset.
//
// The local model and the communicator must outlive the wrapper.
class DistributedModel final : public LikelihoodModel {
 public:
  DistributedModel(const LikelihoodModel& local,
                   const Communicator& communicator);

  const LikelihoodModel& local() const { return local_; }
  const Communicator& communicator() const { return communicator_; }

  // Objective.
  int NumParameters() const override { return local_.NumParameters(); }
  bool Evaluate(const Eigen::VectorXd& theta, double* value,
                Eigen::VectorXd* gradient) const override;

  // LikelihoodModel: per-sample functions are the local model's.
  std::string Name() const override { return local_.Name(); }
  int NumSamples() const override { return local_.NumSamples(); }
  int ResponseDimension() const override { return local_.ResponseDimension(); }
  const RowMatrixXd& ObservedResponses() const override {
    return local_.ObservedResponses();
  }
  std::vector<std::string> ParameterNames() const override {
    return local_.ParameterNames();
  }
  Capabilities GetCapabilities() const override {
    return local_.GetCapabilities();
  }
  void LogLikelihoods(const Eigen::VectorXd& theta,
                      const RowMatrixXd& responses, int begin, int count,
                      Eigen::VectorXd* log_likelihoods) const override {
    local_.LogLikelihoods(theta, responses, begin, count, log_likelihoods);
  }
  void Scores(const Eigen::VectorXd& theta, const RowMatrixXd& responses,
              int begin, int count, Eigen::MatrixXd* scores) const override {
    local_.Scores(theta, responses, begin, count, scores);
  }
  void SampleResponses(const Eigen::VectorXd& theta, RandomEngine* rng,
                       RowMatrixXd* responses) const override {
    local_.SampleResponses(theta, rng, responses);
  }
  std::vector<ParameterGroup> ParameterGroups() const override {
    return local_.ParameterGroups();
  }
  bool HessianIsResponseFree() const override {
    return local_.HessianIsResponseFree();
  }

  // Reduced across ranks.
  void ScoreOuterProductSum(const Eigen::VectorXd& theta,
                            const RowMatrixXd& responses,
                            Eigen::MatrixXd* sum) const override;
  bool ExpectedFisher(const Eigen::VectorXd& theta,
                      Eigen::MatrixXd* fisher) const override;
  bool GaussNewton(const Eigen::VectorXd& theta,
                   Eigen::MatrixXd* gauss_newton) const override;
  bool Hessian(const Eigen::VectorXd& theta,
               Eigen::MatrixXd* hessian) const override;
  bool HessianAtResponses(const Eigen::VectorXd& theta,
                          const RowMatrixXd& responses,
                          Eigen::MatrixXd* hessian) const override;
  bool CurvatureApply(CurvatureProduct which, const Eigen::VectorXd& theta,
                      const Eigen::VectorXd& v,
                      Eigen::VectorXd* product) const override;
  bool CurvatureDiagonal(CurvatureProduct which, const Eigen::VectorXd& theta,
                         Eigen::VectorXd* diagonal) const override;
  bool KlDivergence(const Eigen::VectorXd& theta, const Eigen::VectorXd& theta2,
                    double* kl) const override;
  bool ApproximateCurvature(CurvatureProduct which,
                            const Eigen::VectorXd& theta,
                            const CurvatureApproximation& approximation,
                            Eigen::MatrixXd* curvature) const override;
  bool SupportsApproximateCurvature() const override {
    return local_.SupportsApproximateCurvature();
  }

  // Refused under more than one rank (see above); the local model's with
  // one.
  std::unique_ptr<ResidualForm> CreateResidualForm() const override;
  bool GaussNewtonFactor(const Eigen::VectorXd& theta, Eigen::MatrixXd* factor,
                         Eigen::VectorXd* residuals) const override;

 private:
  // Sums a symmetric p × p result of the local model across ranks, with a
  // failure flag: false on every rank when any rank's `compute` failed.
  template <typename Compute>
  bool ReduceSymmetric(Compute compute, Eigen::MatrixXd* out) const;
  // The same for a vector result.
  template <typename Compute>
  bool ReduceVector(Compute compute, Eigen::VectorXd* out) const;

  const LikelihoodModel& local_;
  const Communicator& communicator_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_DISTRIBUTED_DISTRIBUTED_MODEL_H_
