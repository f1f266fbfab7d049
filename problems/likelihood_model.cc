#include "problems/likelihood_model.h"

#include <algorithm>

#include "linalg/weighted_gram.h"

namespace fisheropt {

void LikelihoodModel::ScoreOuterProductSum(const Eigen::VectorXd& theta,
                                           const RowMatrixXd& responses,
                                           Eigen::MatrixXd* sum) const {
  const int p = NumParameters();
  const int n = NumSamples();
  sum->setZero(p, p);
  Eigen::MatrixXd scores;
  for (int begin = 0; begin < n; begin += kRowsPerChunk) {
    const int count = std::min(kRowsPerChunk, n - begin);
    Scores(theta, responses, begin, count, &scores);
    sum->selfadjointView<Eigen::Lower>().rankUpdate(scores.transpose());
  }
  sum->triangularView<Eigen::StrictlyUpper>() = sum->transpose();
}

bool LikelihoodModel::ExpectedFisher(const Eigen::VectorXd& /*theta*/,
                                     Eigen::MatrixXd* /*fisher*/) const {
  return false;
}

bool LikelihoodModel::GaussNewton(const Eigen::VectorXd& /*theta*/,
                                  Eigen::MatrixXd* /*gauss_newton*/) const {
  return false;
}

bool LikelihoodModel::Hessian(const Eigen::VectorXd& /*theta*/,
                              Eigen::MatrixXd* /*hessian*/) const {
  return false;
}

bool LikelihoodModel::CurvatureApply(CurvatureProduct /*which*/,
                                     const Eigen::VectorXd& /*theta*/,
                                     const Eigen::VectorXd& /*v*/,
                                     Eigen::VectorXd* /*product*/) const {
  return false;
}

bool LikelihoodModel::CurvatureDiagonal(CurvatureProduct /*which*/,
                                        const Eigen::VectorXd& /*theta*/,
                                        Eigen::VectorXd* /*diagonal*/) const {
  return false;
}

std::vector<ParameterGroup> LikelihoodModel::ParameterGroups() const {
  return {ParameterGroup{"theta", 0, NumParameters()}};
}

bool LikelihoodModel::HessianAtResponses(const Eigen::VectorXd& /*theta*/,
                                         const RowMatrixXd& /*responses*/,
                                         Eigen::MatrixXd* /*hessian*/) const {
  return false;
}

bool LikelihoodModel::KlDivergence(const Eigen::VectorXd& /*theta*/,
                                   const Eigen::VectorXd& /*theta2*/,
                                   double* /*kl*/) const {
  return false;
}

}  // namespace fisheropt
