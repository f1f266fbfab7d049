#include "problems/nist_models.h"

#include <cmath>
#include <functional>
#include <utility>

#include "problems/jet_regression_function.h"

namespace fisheropt {
namespace {

constexpr double kPi = 3.141592653589793238462643383279;

// Each functor: f(x; b) with x one row of predictors, b = (b1, ..., bp) as
// b[0], ..., b[p-1]. `using std::...` serves T = double; for T = ceres::Jet
// the Jet overloads are found by argument-dependent lookup.
#define FISHEROPT_NIST_USING \
  using std::cos;            \
  using std::exp;            \
  using std::pow;            \
  using std::sin;            \
  using std::sqrt

// y = b1*(1-exp[-b2*x])  (Misra1a, BoxBOD)
struct ExponentialRise {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    return b[0] * (1.0 - exp(-b[1] * x[0]));
  }
};

// y = exp[-b1*x]/(b2+b3*x)  (Chwirut1, Chwirut2)
struct Chwirut {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    return exp(-b[0] * x[0]) / (b[1] + b[2] * x[0]);
  }
};

// y = b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)  (Lanczos1, 2, 3)
struct Lanczos {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    return b[0] * exp(-b[1] * x[0]) + b[2] * exp(-b[3] * x[0]) +
           b[4] * exp(-b[5] * x[0]);
  }
};

// y = b1*exp(-b2*x) + b3*exp(-(x-b4)**2/b5**2) + b6*exp(-(x-b7)**2/b8**2)
// (Gauss1, 2, 3)
struct Gauss {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    const T z1 = (x[0] - b[3]) / b[4];
    const T z2 = (x[0] - b[6]) / b[7];
    return b[0] * exp(-b[1] * x[0]) + b[2] * exp(-z1 * z1) +
           b[5] * exp(-z2 * z2);
  }
};

// y = b1*x**b2  (DanWood)
struct DanWood {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    return b[0] * pow(x[0], b[1]);
  }
};

// y = b1 * (1-(1+b2*x/2)**(-2))  (Misra1b)
struct Misra1b {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    const T u = 1.0 + b[1] * x[0] / 2.0;
    return b[0] * (1.0 - 1.0 / (u * u));
  }
};

// y = (b1 + b2*x + b3*x**2) / (1 + b4*x + b5*x**2)  (Kirby2)
struct Kirby2 {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    const double t = x[0];
    return (b[0] + b[1] * t + b[2] * (t * t)) /
           (1.0 + b[3] * t + b[4] * (t * t));
  }
};

// y = (b1+b2*x+b3*x**2+b4*x**3) / (1+b5*x+b6*x**2+b7*x**3)
// (Hahn1, Thurber)
struct CubicOverCubic {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    const double t = x[0];
    return (b[0] + b[1] * t + b[2] * (t * t) + b[3] * (t * t * t)) /
           (1.0 + b[4] * t + b[5] * (t * t) + b[6] * (t * t * t));
  }
};

// log[y] = b1 - b2*x1 * exp[-b3*x2]  (Nelson; the response is log y)
struct Nelson {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    return b[0] - b[1] * x[0] * exp(-b[2] * x[1]);
  }
};

// y = b1 + b2*exp[-x*b4] + b3*exp[-x*b5]  (MGH17)
struct Mgh17 {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    return b[0] + b[1] * exp(-x[0] * b[3]) + b[2] * exp(-x[0] * b[4]);
  }
};

// y = b1 * (1-(1+2*b2*x)**(-.5))  (Misra1c)
struct Misra1c {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    return b[0] * (1.0 - 1.0 / sqrt(1.0 + 2.0 * b[1] * x[0]));
  }
};

// y = b1*b2*x*((1+b2*x)**(-1))  (Misra1d)
struct Misra1d {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    return b[0] * b[1] * x[0] / (1.0 + b[1] * x[0]);
  }
};

// y = b1 - b2*x - arctan[b3/(x-b4)]/pi  (Roszman1). NIST's arctan is the
// two-argument one, atan2(b3, x − b4): every x − b4 is negative, where
// atan(b3/(x − b4)) differs by π; with it the certified values give an RSS
// of 25.0005 instead of the certified 4.9484847331E-04.
struct Roszman1 {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    using std::atan2;
    return b[0] - b[1] * x[0] - atan2(b[2], x[0] - b[3]) / kPi;
  }
};

// y = b1 + b2*cos(2*pi*x/12) + b3*sin(2*pi*x/12) + b5*cos(2*pi*x/b4)
//     + b6*sin(2*pi*x/b4) + b8*cos(2*pi*x/b7) + b9*sin(2*pi*x/b7)  (ENSO)
struct Enso {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    const double w = 2.0 * kPi * x[0];
    const T a1 = w / b[3];
    const T a2 = w / b[6];
    return b[0] + b[1] * cos(w / 12.0) + b[2] * sin(w / 12.0) + b[4] * cos(a1) +
           b[5] * sin(a1) + b[7] * cos(a2) + b[8] * sin(a2);
  }
};

// y = b1*(x**2+x*b2) / (x**2+x*b3+b4)  (MGH09)
struct Mgh09 {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    const double t = x[0];
    return b[0] * (t * t + t * b[1]) / (t * t + t * b[2] + b[3]);
  }
};

// y = b1 * exp[b2/(x+b3)]  (MGH10)
struct Mgh10 {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    return b[0] * exp(b[1] / (x[0] + b[2]));
  }
};

// y = b1 / (1+exp[b2-b3*x])  (Rat42)
struct Rat42 {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    return b[0] / (1.0 + exp(b[1] - b[2] * x[0]));
  }
};

// y = (b1/b2) * exp[-0.5*((x-b3)/b2)**2]  (Eckerle4)
struct Eckerle4 {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    const T z = (x[0] - b[2]) / b[1];
    return b[0] / b[1] * exp(-0.5 * z * z);
  }
};

// y = b1 / ((1+exp[b2-b3*x])**(1/b4))  (Rat43)
struct Rat43 {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    return b[0] / pow(1.0 + exp(b[1] - b[2] * x[0]), 1.0 / b[3]);
  }
};

// y = b1 * (b2+x)**(-1/b3)  (Bennett5)
struct Bennett5 {
  template <typename T>
  T operator()(const double* x, const T* b) const {
    FISHEROPT_NIST_USING;
    return b[0] * pow(b[1] + x[0], -1.0 / b[2]);
  }
};

#undef FISHEROPT_NIST_USING

struct NistEntry {
  std::string name;
  std::function<std::unique_ptr<RegressionFunction>()> create;
};

template <typename Functor, int kNumParameters, int kNumPredictors = 1>
NistEntry Entry(const std::string& name) {
  return {
      name, [] {
        return std::unique_ptr<RegressionFunction>(
            new JetRegressionFunction<Functor, kNumParameters>(kNumPredictors));
      }};
}

const std::vector<NistEntry>& Registry() {
  static const std::vector<NistEntry> entries = {
      // Lower difficulty.
      Entry<ExponentialRise, 2>("Misra1a"),
      Entry<Chwirut, 3>("Chwirut2"),
      Entry<Chwirut, 3>("Chwirut1"),
      Entry<Lanczos, 6>("Lanczos3"),
      Entry<Gauss, 8>("Gauss1"),
      Entry<Gauss, 8>("Gauss2"),
      Entry<DanWood, 2>("DanWood"),
      Entry<Misra1b, 2>("Misra1b"),
      // Average difficulty.
      Entry<Kirby2, 5>("Kirby2"),
      Entry<CubicOverCubic, 7>("Hahn1"),
      Entry<Nelson, 3, 2>("Nelson"),
      Entry<Mgh17, 5>("MGH17"),
      Entry<Lanczos, 6>("Lanczos1"),
      Entry<Lanczos, 6>("Lanczos2"),
      Entry<Gauss, 8>("Gauss3"),
      Entry<Misra1c, 2>("Misra1c"),
      Entry<Misra1d, 2>("Misra1d"),
      Entry<Roszman1, 4>("Roszman1"),
      Entry<Enso, 9>("ENSO"),
      // Higher difficulty.
      Entry<Mgh09, 4>("MGH09"),
      Entry<CubicOverCubic, 7>("Thurber"),
      Entry<ExponentialRise, 2>("BoxBOD"),
      Entry<Rat42, 3>("Rat42"),
      Entry<Mgh10, 3>("MGH10"),
      Entry<Eckerle4, 3>("Eckerle4"),
      Entry<Rat43, 4>("Rat43"),
      Entry<Bennett5, 3>("Bennett5"),
  };
  return entries;
}

}  // namespace

const std::vector<std::string>& NistModelNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (const NistEntry& entry : Registry()) result.push_back(entry.name);
    return result;
  }();
  return names;
}

std::unique_ptr<RegressionFunction> CreateNistRegressionFunction(
    const std::string& name, std::string* error) {
  for (const NistEntry& entry : Registry()) {
    if (entry.name == name) return entry.create();
  }
  if (error != nullptr) {
    *error = "unknown NIST problem '" + name + "'; known problems:";
    for (const std::string& known : NistModelNames()) *error += " " + known;
  }
  return nullptr;
}

bool NistModelUsesLogResponse(const std::string& name) {
  return name == "Nelson";
}

std::unique_ptr<NonlinearRegressionModel> CreateNistModel(
    const NistDataset& dataset, std::string* error) {
  std::unique_ptr<RegressionFunction> function =
      CreateNistRegressionFunction(dataset.name, error);
  if (function == nullptr) return nullptr;
  if (function->NumParameters() != dataset.num_parameters) {
    if (error != nullptr) {
      *error = "NIST problem '" + dataset.name + "' has " +
               std::to_string(function->NumParameters()) +
               " parameters; the file states " +
               std::to_string(dataset.num_parameters);
    }
    return nullptr;
  }
  if (function->NumPredictors() !=
      static_cast<int>(dataset.predictor_names.size())) {
    if (error != nullptr) {
      *error = "NIST problem '" + dataset.name + "' has " +
               std::to_string(function->NumPredictors()) +
               " predictors; the file has " +
               std::to_string(dataset.predictor_names.size());
    }
    return nullptr;
  }
  Eigen::VectorXd responses = dataset.responses;
  if (NistModelUsesLogResponse(dataset.name)) {
    for (Eigen::Index i = 0; i < responses.size(); ++i) {
      if (!(responses[i] > 0.0)) {
        if (error != nullptr) {
          *error = "NIST problem '" + dataset.name + "' models log y, but y" +
                   " of observation " + std::to_string(i + 1) + " is " +
                   std::to_string(responses[i]);
        }
        return nullptr;
      }
      responses[i] = std::log(responses[i]);
    }
  }
  return NonlinearRegressionModel::Create(dataset.name, std::move(function),
                                          dataset.predictors,
                                          std::move(responses), {}, error);
}

}  // namespace fisheropt
