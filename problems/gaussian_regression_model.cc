#include "problems/gaussian_regression_model.h"

#include <Eigen/QR>
#include <cmath>
#include <sstream>
#include <utility>

#include "linalg/parallel_chunks.h"
#include "linalg/weighted_gram.h"
#include "problems/row_random.h"

namespace fisheropt {
namespace {

constexpr double kLogSqrtTwoPi = 0.91893853320467274178;  // ½ log 2π

struct RssAndProjection {
  double rss = 0.0;
  Eigen::VectorXd x_transpose_r;
  RssAndProjection& operator+=(const RssAndProjection& other) {
    rss += other.rss;
    if (x_transpose_r.size() > 0) x_transpose_r += other.x_transpose_r;
    return *this;
  }
};

}  // namespace

std::unique_ptr<GaussianRegressionModel> GaussianRegressionModel::Create(
    Dataset data, std::string* error) {
  std::string message;
  if (!data.IsValid(&message)) {
    if (error != nullptr) *error = message;
    return nullptr;
  }
  if (data.HasWeights() || data.HasOffset()) {
    if (error != nullptr) {
      *error =
          "gaussian-regression does not support prior weights or an offset";
    }
    return nullptr;
  }
  const int p = data.NumFeatures() + 1;  // β and log σ
  if (data.NumSamples() < p) {
    if (error != nullptr) {
      std::ostringstream stream;
      stream << data.NumSamples() << " observations but " << p
             << " parameters: gaussian-regression needs more observations "
                "than coefficients (with N <= "
             << data.NumFeatures()
             << " the least-squares fit is exact, sigma-hat = 0 and "
                "log(sigma) has no MLE)";
      *error = stream.str();
    }
    return nullptr;
  }
  return std::unique_ptr<GaussianRegressionModel>(
      new GaussianRegressionModel(std::move(data)));
}

bool GaussianRegressionModel::MaximumLikelihoodParameters(
    const Dataset& data, Eigen::VectorXd* theta, std::string* error) {
  const Eigen::MatrixXd x = data.x;
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
  std::ostringstream message;
  if (qr.rank() < x.cols()) {
    message << "design matrix is rank deficient: rank " << qr.rank() << " < "
            << x.cols() << " columns";
  } else {
    const Eigen::VectorXd beta = qr.solve(data.y);
    const double rss = (data.y - x * beta).squaredNorm();
    // RSS at the rounding level of y: an exact fit.
    if (!(rss > 1e-28 * data.y.squaredNorm())) {
      message << "the fit is exact (RSS = 0 to rounding): log(sigma) = -inf";
    } else {
      theta->resize(x.cols() + 1);
      theta->head(x.cols()) = beta;
      (*theta)[x.cols()] = 0.5 * std::log(rss / x.rows());
      return true;
    }
  }
  if (error != nullptr) *error = message.str();
  return false;
}

GaussianRegressionModel::GaussianRegressionModel(Dataset data)
    : data_(std::move(data)) {
  responses_ = data_.y;
  WeightedGram(data_.x, Eigen::VectorXd::Ones(data_.NumSamples()), &gram_);
}

std::vector<std::string> GaussianRegressionModel::ParameterNames() const {
  std::vector<std::string> names = ColumnNamesOrDefault(data_);
  names.push_back("log(sigma)");
  return names;
}

void GaussianRegressionModel::Residuals(const Eigen::VectorXd& beta,
                                        double* rss,
                                        Eigen::VectorXd* x_transpose_r) const {
  RssAndProjection zero;
  if (x_transpose_r != nullptr) {
    zero.x_transpose_r = Eigen::VectorXd::Zero(data_.NumFeatures());
  }
  const RssAndProjection total = ParallelChunkSum(
      NumSamples(), kRowsPerChunk, zero,
      [&](int, long begin, long count, RssAndProjection* partial) {
        const auto block = data_.x.middleRows(begin, count);
        const Eigen::VectorXd r = data_.y.segment(begin, count) - block * beta;
        partial->rss += r.squaredNorm();
        if (x_transpose_r != nullptr) {
          partial->x_transpose_r.noalias() += block.transpose() * r;
        }
      });
  *rss = total.rss;
  if (x_transpose_r != nullptr) *x_transpose_r = total.x_transpose_r;
}

bool GaussianRegressionModel::Evaluate(const Eigen::VectorXd& theta,
                                       double* value,
                                       Eigen::VectorXd* gradient) const {
  const int p = data_.NumFeatures();
  const double n = NumSamples();
  const double log_sigma = theta[p];
  const double inverse_variance = std::exp(-2.0 * log_sigma);
  double rss = 0.0;
  Eigen::VectorXd x_transpose_r;
  Residuals(theta.head(p), &rss,
            gradient != nullptr ? &x_transpose_r : nullptr);
  *value = n * (kLogSqrtTwoPi + log_sigma) + 0.5 * rss * inverse_variance;
  if (gradient != nullptr) {
    gradient->resize(p + 1);
    gradient->head(p) = -inverse_variance * x_transpose_r;
    (*gradient)[p] = n - rss * inverse_variance;
  }
  return std::isfinite(*value) &&
         (gradient == nullptr || gradient->allFinite());
}

void GaussianRegressionModel::LogLikelihoods(
    const Eigen::VectorXd& theta, const RowMatrixXd& responses, int begin,
    int count, Eigen::VectorXd* log_likelihoods) const {
  const int p = data_.NumFeatures();
  const double log_sigma = theta[p];
  const double inverse_variance = std::exp(-2.0 * log_sigma);
  const Eigen::VectorXd r = responses.col(0).segment(begin, count) -
                            data_.x.middleRows(begin, count) * theta.head(p);
  *log_likelihoods = (-0.5 * inverse_variance) * r.array().square() -
                     (kLogSqrtTwoPi + log_sigma);
}

void GaussianRegressionModel::Scores(const Eigen::VectorXd& theta,
                                     const RowMatrixXd& responses, int begin,
                                     int count, Eigen::MatrixXd* scores) const {
  const int p = data_.NumFeatures();
  const double inverse_variance = std::exp(-2.0 * theta[p]);
  const auto block = data_.x.middleRows(begin, count);
  const Eigen::VectorXd r =
      responses.col(0).segment(begin, count) - block * theta.head(p);
  scores->resize(count, p + 1);
  scores->leftCols(p) = (inverse_variance * r).asDiagonal() * block;
  scores->col(p) = (inverse_variance * r.array().square() - 1.0).matrix();
}

void GaussianRegressionModel::SampleResponses(const Eigen::VectorXd& theta,
                                              RandomEngine* rng,
                                              RowMatrixXd* responses) const {
  const int p = data_.NumFeatures();
  const double sigma = std::exp(theta[p]);
  const Eigen::VectorXd mean = data_.x * theta.head(p);
  responses->resize(NumSamples(), 1);
  DrawRows(FirstRow(), NumSamples(), rng, [&](long i, RowRandomEngine* engine) {
    std::normal_distribution<double> normal(0.0, 1.0);
    (*responses)(i, 0) = mean[i] + sigma * normal(*engine);
  });
}

bool GaussianRegressionModel::ExpectedFisher(const Eigen::VectorXd& theta,
                                             Eigen::MatrixXd* fisher) const {
  const int p = data_.NumFeatures();
  const double inverse_variance = std::exp(-2.0 * theta[p]);
  fisher->setZero(p + 1, p + 1);
  fisher->topLeftCorner(p, p) = inverse_variance * gram_;
  (*fisher)(p, p) = 2.0 * NumSamples();
  return true;
}

bool GaussianRegressionModel::Hessian(const Eigen::VectorXd& theta,
                                      Eigen::MatrixXd* hessian) const {
  const int p = data_.NumFeatures();
  const double inverse_variance = std::exp(-2.0 * theta[p]);
  double rss = 0.0;
  Eigen::VectorXd x_transpose_r;
  Residuals(theta.head(p), &rss, &x_transpose_r);
  hessian->resize(p + 1, p + 1);
  hessian->topLeftCorner(p, p) = inverse_variance * gram_;
  hessian->col(p).head(p) = 2.0 * inverse_variance * x_transpose_r;
  hessian->row(p).head(p) = hessian->col(p).head(p).transpose();
  (*hessian)(p, p) = 2.0 * rss * inverse_variance;
  return true;
}

}  // namespace fisheropt
