#include "stats/robust_covariance.h"

#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <algorithm>
#include <map>

#include "linalg/weighted_gram.h"

namespace fisheropt {

std::string ToString(RobustCovariance type) {
  switch (type) {
    case RobustCovariance::kNone:
      return "none";
    case RobustCovariance::kHC0:
      return "HC0";
    case RobustCovariance::kHC1:
      return "HC1";
    case RobustCovariance::kHC2:
      return "HC2";
    case RobustCovariance::kHC3:
      return "HC3";
  }
  return "unknown";
}

bool FromString(const std::string& name, RobustCovariance* type) {
  for (RobustCovariance candidate :
       {RobustCovariance::kNone, RobustCovariance::kHC0, RobustCovariance::kHC1,
        RobustCovariance::kHC2, RobustCovariance::kHC3}) {
    if (name == ToString(candidate)) {
      *type = candidate;
      return true;
    }
  }
  return false;
}

bool ComputeRobustCovariance(const GlmModel& model,
                             const Eigen::VectorXd& theta,
                             RobustCovariance type,
                             const std::vector<int>& clusters,
                             Eigen::MatrixXd* covariance, std::string* error) {
  const Dataset& data = model.data();
  const RowMatrixXd& x = data.x;
  const int n = data.NumSamples();
  const int k = data.NumFeatures();
  if (type == RobustCovariance::kNone) {
    *error = "no robust covariance type was chosen";
    return false;
  }
  const bool clustered = !clusters.empty();
  if (clustered && static_cast<int>(clusters.size()) != n) {
    *error = fmt::format("{} cluster ids for {} rows", clusters.size(), n);
    return false;
  }
  if (clustered && type != RobustCovariance::kHC0 &&
      type != RobustCovariance::kHC1) {
    *error =
        "cluster-robust standard errors are HC0 or HC1, not " + ToString(type);
    return false;
  }
  if (n <= k && type != RobustCovariance::kHC0) {
    *error = fmt::format("{} needs more rows ({}) than coefficients ({})",
                         ToString(type), n, k);
    return false;
  }

  // u_i = w_i dℓ/dη (the score in η) and W_i = w_i E[−d²ℓ/dη²].
  const Eigen::VectorXd eta = model.LinearPredictor(theta);
  Eigen::VectorXd score, working_weight;
  model.family().Evaluate(eta, data.y, nullptr, &score, nullptr);
  model.family().ExpectedWeights(eta, &working_weight);
  if (data.HasWeights()) {
    score.array() *= data.weights.array();
    working_weight.array() *= data.weights.array();
  }

  // The bread C = (XᵀWX)⁻¹ = L⁻ᵀL⁻¹, used through solves with L.
  Eigen::MatrixXd information;
  WeightedGram(x, working_weight, &information);
  const Eigen::LLT<Eigen::MatrixXd> cholesky(information);
  if (cholesky.info() != Eigen::Success) {
    *error = "the Fisher information is not positive definite";
    return false;
  }

  Eigen::MatrixXd meat;
  if (clustered) {
    // s_g = Σ_{i ∈ g} u_i x_i, rows added in row order.
    std::map<int, int> cluster_index;
    for (int id : clusters) cluster_index.emplace(id, 0);
    int g = 0;
    for (auto& entry : cluster_index) entry.second = g++;
    const int num_clusters = g;
    if (num_clusters < 2) {
      *error = "cluster-robust standard errors need at least two clusters";
      return false;
    }
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(num_clusters, k);
    for (int i = 0; i < n; ++i) {
      sums.row(cluster_index[clusters[i]]) += score[i] * x.row(i);
    }
    meat = sums.transpose() * sums;
    double factor = num_clusters / (num_clusters - 1.0);
    if (type == RobustCovariance::kHC1) factor *= (n - 1.0) / (n - k);
    meat *= factor;
  } else {
    Eigen::VectorXd omega = score.cwiseAbs2();
    if (type == RobustCovariance::kHC1) {
      omega *= static_cast<double>(n) / (n - k);
    } else if (type == RobustCovariance::kHC2 ||
               type == RobustCovariance::kHC3) {
      // h_i = W_i x_iᵀ C x_i = W_i ‖L⁻¹ x_i‖².
      Eigen::VectorXd solved(k);
      for (int i = 0; i < n; ++i) {
        solved = x.row(i).transpose();
        cholesky.matrixL().solveInPlace(solved);
        const double h = working_weight[i] * solved.squaredNorm();
        if (!(h < 1.0)) {
          *error = fmt::format(
              "{} is not defined: row {} has hat value {} (a row the fit "
              "reproduces exactly)",
              ToString(type), i + 1, h);
          return false;
        }
        omega[i] /=
            type == RobustCovariance::kHC2 ? 1.0 - h : (1.0 - h) * (1.0 - h);
      }
    }
    WeightedGram(x, omega, &meat);
  }
  // C M C = C (C M)ᵀ: two solves.
  const Eigen::MatrixXd meat_solved = cholesky.solve(meat);
  *covariance = cholesky.solve(meat_solved.transpose());
  // Symmetric to the last bit.
  *covariance = 0.5 * (*covariance + covariance->transpose()).eval();
  return true;
}

}  // namespace fisheropt
