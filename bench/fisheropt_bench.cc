// Time-to-solution benchmark: our Newton-like solvers against Ceres' L-BFGS
// and BFGS on large GLM and Gaussian problems, generated deterministically in
// process. Every ratio is against a baseline run in the same process.
//
//   build/bench/fisheropt_bench            the full workloads
//   build/bench/fisheropt_bench --quick    reduced sizes, a few minutes
//   build/bench/fisheropt_bench --write-data DIR   also export X, y as .npy
//   --only WORKLOAD-NAME[-pP], --solvers NAME,NAME,...  a subset
//                     (e.g. --only logistic-isotropic-p500)
//   --max-seconds S   the time limit of every solver (300 s; --quick: 15 s)
//   --trace           also print every run's iterations (gap, time, step)
//
// Time to solution = the first time at which the relative NLL gap
// (L − L*)/|L*| is ≤ 1e-10, read from the per-iteration records; L* is the
// lowest final cost of all runs, every one with tight stopping rules (Newton
// and Fisher scoring end at the optimum to rounding).

#include <omp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench/machine_figures.h"
#include "linalg/weighted_gram.h"
#include "optim/baselines/ceres_gradient_solver.h"
#include "optim/newton_solver.h"
#include "optim/wall_timer.h"
#include "problems/gaussian_regression_model.h"
#include "problems/glm_model.h"
#include "problems/multivariate_normal_model.h"
#include "problems/synthetic_data.h"

namespace fisheropt {
namespace {

constexpr double kTargetGap = 1e-10;

// What the command line chose.
struct BenchOptions {
  bool quick = false;
  double max_seconds = 300.0;        // per solver
  std::string write_dir;             // --write-data: export X, y as .npy
  std::string only_workload;         // --only: one workload by name
  std::vector<std::string> solvers;  // --solvers: a subset of the solvers
  bool trace = false;                // --trace: every run's iterations

  bool RunsSolver(const std::string& name) const {
    return solvers.empty() ||
           std::find(solvers.begin(), solvers.end(), name) != solvers.end();
  }
};

struct Workload {
  std::string name;
  std::string kind;  // "logistic", "gaussian" (regression, unknown σ), "mvn"
  long n = 0;
  int p = 0;
  bool ill_conditioned = false;
};

// Logistic data; ill-conditioned: AR(1) correlation 0.99 between
// neighbouring columns and column scales 10^−3 … 10^3, with β rescaled so
// that the linear predictor keeps a standard deviation of about 2.
Dataset MakeLogistic(const Workload& w, std::uint64_t seed) {
  RandomEngine rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  Dataset data;
  data.x.resize(w.n, w.p);
  data.y.resize(w.n);
  Eigen::VectorXd scale = Eigen::VectorXd::Ones(w.p);
  if (w.ill_conditioned && w.p > 2) {
    for (int j = 1; j < w.p; ++j) {
      scale[j] = std::pow(10.0, -3.0 + 6.0 * (j - 1) / (w.p - 2));
    }
  }
  Eigen::VectorXd beta(w.p);
  for (int j = 0; j < w.p; ++j) beta[j] = normal(rng) / scale[j];
  const double rho = w.ill_conditioned ? 0.99 : 0.0;
  const double innovation = std::sqrt(1.0 - rho * rho);
  for (long i = 0; i < w.n; ++i) {
    data.x(i, 0) = 1.0;
    double previous = normal(rng);
    for (int j = 1; j < w.p; ++j) {
      previous = rho * previous + innovation * normal(rng);
      data.x(i, j) = scale[j] * previous;
    }
  }
  // Rescale β so that sd(η) ≈ 2 on the first rows.
  const long probe = std::min<long>(w.n, 2000);
  const Eigen::VectorXd eta_probe = data.x.topRows(probe) * beta;
  const double sd =
      std::sqrt((eta_probe.array() - eta_probe.mean()).square().mean());
  beta *= 2.0 / sd;
  beta[0] = 0.25;
  for (long i = 0; i < w.n; ++i) {
    data.y[i] = uniform(rng) < Sigmoid(data.x.row(i).dot(beta)) ? 1.0 : 0.0;
  }
  return data;
}

// .npy (format 1.0) writer for a row-major double matrix.
void WriteNpy(const std::string& path, const double* values, long rows,
              long cols) {
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" +
                       std::to_string(rows) +
                       (cols > 0 ? ", " + std::to_string(cols) : ",") + "), }";
  const size_t preamble = 10;
  while ((preamble + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const unsigned short length = static_cast<unsigned short>(header.size());
  out.write(reinterpret_cast<const char*>(&length), 2);
  out.write(header.data(), header.size());
  out.write(reinterpret_cast<const char*>(values),
            sizeof(double) * rows * std::max<long>(cols, 1));
}

struct Run {
  std::string solver;
  SolverSummary summary;
  double time_to_solution = std::numeric_limits<double>::infinity();
  int iterations_to_solution = -1;
};

void FindTimeToSolution(double optimum, Run* run) {
  for (const IterationSummary& it : run->summary.iterations) {
    if ((it.cost - optimum) <= kTargetGap * std::abs(optimum)) {
      run->time_to_solution = it.cumulative_time_in_seconds;
      run->iterations_to_solution = it.iteration;
      return;
    }
  }
}

// One line per iteration: where the time goes on the way to the gap.
void PrintTrace(double optimum, const Run& run) {
  std::printf("  trace of %s\n  %5s %12s %10s %10s %6s %4s\n",
              run.solver.c_str(), "iter", "gap", "time(s)", "step", "evals",
              "cg");
  for (const IterationSummary& it : run.summary.iterations) {
    std::printf("  %5d %12.3e %10.4f %10.3e %6d %4d\n", it.iteration,
                (it.cost - optimum) / std::abs(optimum),
                it.cumulative_time_in_seconds, it.step_size,
                it.line_search_evaluations, it.cg_iterations);
  }
}

StoppingOptions TightStopping(double max_seconds) {
  StoppingOptions stopping;
  stopping.max_iterations = 5000;
  stopping.max_solver_time_in_seconds = max_seconds;
  stopping.function_tolerance = 1e-15;
  stopping.gradient_tolerance = 1e-9;
  stopping.parameter_tolerance = 1e-15;
  return stopping;
}

void RunWorkload(const LikelihoodModel& model, const std::string& title,
                 const BenchOptions& bench_options) {
  const double max_seconds = bench_options.max_seconds;
  std::printf("\n== %s (N = %d, p = %d)\n", title.c_str(), model.NumSamples(),
              model.NumParameters());
  const Eigen::VectorXd start = Eigen::VectorXd::Zero(model.NumParameters());

  std::vector<Run> runs;
  // Our Newton-like solver with `curvature` and `step`; `configure` sets the
  // rest (reuse, subsampling, precision).
  const auto run_ours =
      [&](const std::string& name, CurvatureType curvature,
          StepControlType step,
          const std::function<void(SolverOptions*)>& configure) {
        if (!bench_options.RunsSolver(name)) return;
        SolverOptions options;
        options.curvature.type = curvature;
        options.step_control = step;
        options.stopping = TightStopping(max_seconds);
        configure(&options);
        Run run;
        run.solver = name;
        Eigen::VectorXd theta = start;
        Solve(options, model, &theta, &run.summary);
        runs.push_back(run);
      };
  const auto exact = [](SolverOptions*) {};
  const auto reuse = [](SolverOptions* options) {
    options->curvature_reuse.max_age = 1000;
  };
  const auto subsample = [](SolverOptions* options) {
    options->curvature.subsample.rows_per_parameter = 50.0;
  };
  const auto single = [](SolverOptions* options) {
    options->curvature.precision = GramPrecision::kSingle;
  };
  // BFGS from a subsampled Fisher (at least 2N/p rows), recomputed when a
  // step contracts the gradient less than 4× (the registry's fisher-bfgs).
  const auto secant = [&](SolverOptions* options) {
    reuse(options);
    subsample(options);
    options->curvature.subsample.min_flops_per_entry = 2.0;
    options->curvature_reuse.max_gradient_ratio = 0.25;
    options->curvature_reuse.secant_correction = SecantCorrection::kDenseBfgs;
  };
  const auto run_baseline = [&](CeresLineSearchDirection direction,
                                bool scaled) {
    Run run;
    run.solver = ToString(direction) + (scaled ? "-scaled" : "");
    if (!bench_options.RunsSolver(run.solver)) return;
    CeresGradientSolverOptions options;
    options.direction = direction;
    options.approximate_eigenvalue_scaling = scaled;
    options.stopping = TightStopping(max_seconds);
    Eigen::VectorXd theta = start;
    SolveWithCeres(options, model, &theta, &run.summary);
    runs.push_back(run);
  };
  const auto kFisher = CurvatureType::kExpectedFisher;
  const auto kSearch = StepControlType::kLineSearch;
  run_ours("newton", CurvatureType::kHessian, kSearch, exact);
  run_ours("fisher-scoring", kFisher, kSearch, exact);
  run_ours("fisher-lm", kFisher, StepControlType::kLevenbergMarquardt, exact);
  // The chord variant: one Fisher matrix reused while it contracts the
  // gradient at least by half per step (CurvatureReuseOptions).
  run_ours("fisher-reuse", kFisher, kSearch, reuse);
  // The same with BFGS updates between refreshes (exact Fisher as H₀).
  run_ours("fisher-reuse-bfgs", kFisher, kSearch, [&](SolverOptions* o) {
    reuse(o);
    o->curvature_reuse.max_gradient_ratio = 0.25;
    o->curvature_reuse.secant_correction = SecantCorrection::kDenseBfgs;
  });
  if (model.SupportsApproximateCurvature()) {
    // A new row-subsampled Fisher every iteration (SubsampleOptions::
    // rows_per_parameter): ~50p rows, weighed by N/(50p).
    run_ours("fisher-subsampled", kFisher, kSearch, subsample);
    // The Fisher matrix accumulated in float (CurvatureOptions::precision),
    // every iteration and with reuse.
    run_ours("fisher-single", kFisher, kSearch, single);
    run_ours("fisher-reuse-single", kFisher, kSearch, [&](SolverOptions* o) {
      reuse(o);
      single(o);
    });
    run_ours("fisher-bfgs", kFisher, kSearch, secant);
    run_ours("fisher-bfgs-single", kFisher, kSearch, [&](SolverOptions* o) {
      secant(o);
      single(o);
    });
    // L-BFGS (20 pairs) with H₀ = γ C⁻¹, C a float Fisher from a subset as
    // fisher-bfgs' (the registry's fisher-lbfgs), or only the diagonal of
    // one from ~4 rows per parameter (fisher-lbfgs-diag).
    const auto lbfgs = [&](SolverOptions* o) {
      secant(o);
      single(o);
      o->curvature_reuse.max_gradient_ratio = 1.0;
      o->curvature_reuse.secant_correction =
          SecantCorrection::kLimitedMemoryBfgs;
      o->curvature_reuse.secant_memory = 20;
    };
    run_ours("fisher-lbfgs", kFisher, kSearch, lbfgs);
    run_ours("fisher-lbfgs-diag", kFisher, kSearch, [&](SolverOptions* o) {
      lbfgs(o);
      o->curvature.structure = CurvatureStructure::kDiagonal;
      o->curvature.subsample.rows_per_parameter = 4.0;
      o->curvature.subsample.min_flops_per_entry = 0.0;
    });
  }
  // Ceres' defaults, and with its approximate eigenvalue scaling of the
  // initial inverse Hessian (CeresGradientSolverOptions); "best Ceres" is the
  // fastest of all of them.
  for (const bool scaled : {false, true}) {
    run_baseline(CeresLineSearchDirection::kLbfgs, scaled);
    if (model.NumParameters() <= 600) {
      run_baseline(CeresLineSearchDirection::kBfgs, scaled);
    }
  }
  if (runs.empty()) {
    std::printf("  (no solver of --solvers runs on this workload)\n");
    return;
  }
  double optimum = std::numeric_limits<double>::infinity();
  for (const Run& run : runs)
    optimum = std::min(optimum, run.summary.final_cost);
  for (Run& run : runs) FindTimeToSolution(optimum, &run);

  double best_ceres = std::numeric_limits<double>::infinity();
  for (const Run& run : runs) {
    if (run.solver.rfind("ceres", 0) == 0) {
      best_ceres = std::min(best_ceres, run.time_to_solution);
    }
  }
  std::printf("  L* = %.12e\n", optimum);
  // total = f+g (objective passes) + C (curvature) + solve (factorizations)
  // + the rest (bookkeeping; Ceres' own work for the baselines).
  std::printf("  %-22s %6s %8s %8s %7s %12s %10s %8s %8s %8s %12s %14s  %s\n",
              "solver", "iter", "f-evals", "g-evals", "C-evals", "t(gap<1e-10)",
              "total(s)", "f+g(s)", "C(s)", "solve(s)", "s/iteration",
              "vs best Ceres", "termination");
  for (const Run& run : runs) {
    const SolverSummary& s = run.summary;
    const double ratio = std::isfinite(best_ceres)
                             ? run.time_to_solution / best_ceres
                             : std::numeric_limits<double>::infinity();
    std::printf(
        "  %-22s %6d %8d %8d %7d %12.3f %10.3f %8.3f %8.3f %8.3f %12.4f %14s  "
        "%s\n",
        run.solver.c_str(), s.num_iterations(), s.num_cost_evaluations,
        s.num_gradient_evaluations, s.num_curvature_evaluations,
        run.time_to_solution, s.total_time_in_seconds,
        s.cost_evaluation_time_in_seconds, s.curvature_time_in_seconds,
        s.linear_solver_time_in_seconds,
        s.total_time_in_seconds / std::max(1, s.num_iterations()),
        std::isfinite(ratio)
            ? (std::to_string(ratio).substr(0, 6) + "x").c_str()
            : "-",
        ToString(s.termination_type).c_str());
  }
  if (bench_options.trace) {
    for (const Run& run : runs) PrintTrace(optimum, run);
  }
}

void MeasureKernel(const RowMatrixXd& x) {
  const Eigen::VectorXd weights =
      Eigen::VectorXd::LinSpaced(x.rows(), 0.1, 0.25);
  Eigen::MatrixXd ours, single, blas;
  const auto best_of = [](int repetitions, const std::function<void()>& f) {
    double best = 1e300;
    for (int r = 0; r < repetitions; ++r) {
      const WallTimer timer;
      f();
      best = std::min(best, timer.Seconds());
    }
    return best;
  };
  const double t_ours = best_of(3, [&] { WeightedGram(x, weights, &ours); });
  const double t_single = best_of(
      3, [&] { WeightedGram(x, weights, &single, GramPrecision::kSingle); });
  const double t_blas =
      best_of(3, [&] { bench::OpenBlasWeightedGram(x, weights, &blas); });
  const double flops = bench::GramFlops(x.rows(), x.cols());
  const Eigen::Map<const Eigen::VectorXd> all_of_x(x.data(), x.size());
  std::printf("  read bandwidth over X: %.1f GB/s\n",
              bench::MeasureReadBandwidth(all_of_x));
  std::printf(
      "  kernel Xᵀdiag(w)X: ours %.1f GFLOP/s (%.3f s), OpenBLAS dsyrk %.1f "
      "GFLOP/s (%.3f s): ratio %.2f; max |difference| %.1e\n",
      flops / t_ours / 1e9, t_ours, flops / t_blas / 1e9, t_blas,
      t_blas / t_ours,
      (ours - blas).cwiseAbs().maxCoeff() / blas.cwiseAbs().maxCoeff());
  std::printf(
      "  kernel in single precision: %.1f GFLOP/s (%.3f s): %.2f x ours in "
      "double; max |difference| %.1e\n",
      flops / t_single / 1e9, t_single, t_ours / t_single,
      (single - blas).cwiseAbs().maxCoeff() / blas.cwiseAbs().maxCoeff());
}

int RunWorkloadProcess(const Workload& w, const BenchOptions& options);

}  // namespace
}  // namespace fisheropt

int main(int argc, char** argv) {
  using namespace fisheropt;
  BenchOptions options;
  double max_seconds = 0.0;  // 0: the default of the size
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--quick") == 0) {
      options.quick = true;
    } else if (std::strcmp(argv[i], "--trace") == 0) {
      options.trace = true;
    } else if (std::strcmp(argv[i], "--only") == 0 && has_value) {
      options.only_workload = argv[++i];
    } else if (std::strcmp(argv[i], "--write-data") == 0 && has_value) {
      options.write_dir = argv[++i];
    } else if (std::strcmp(argv[i], "--max-seconds") == 0 && has_value) {
      max_seconds = std::atof(argv[++i]);
    } else if (std::strcmp(argv[i], "--solvers") == 0 && has_value) {
      std::stringstream list(argv[++i]);
      for (std::string name; std::getline(list, name, ',');) {
        options.solvers.push_back(name);
      }
    } else {
      std::fprintf(stderr,
                   "usage: fisheropt_bench [--quick] [--write-data DIR] "
                   "[--only WORKLOAD-NAME[-pP]] [--solvers NAME,NAME,...] "
                   "[--max-seconds S] [--trace]\n");
      return 2;
    }
  }
  const double scale = options.quick ? 0.1 : 1.0;
  options.max_seconds =
      max_seconds > 0.0 ? max_seconds : (options.quick ? 15.0 : 300.0);
  std::printf("fisheropt_bench%s\n", options.quick ? " --quick" : "");
  std::fflush(stdout);

  const std::vector<Workload> workloads = {
      {"logistic-isotropic", "logistic", static_cast<long>(1e6 * scale), 100,
       false},
      {"logistic-isotropic", "logistic", static_cast<long>(2e5 * scale), 500,
       false},
      {"logistic-ill-conditioned", "logistic", static_cast<long>(1e6 * scale),
       100, true},
      {"logistic-ill-conditioned", "logistic", static_cast<long>(2e5 * scale),
       500, true},
      {"mvn", "mvn", static_cast<long>(1e5 * scale), 50, false},
      {"gaussian-regression", "gaussian", static_cast<long>(1e6 * scale), 100,
       false},
  };
  // Each workload runs in a child process, so that its peak resident memory
  // is its own (the parent starts no OpenMP threads before forking).
  int failures = 0;
  int num_matched = 0;
  for (const Workload& w : workloads) {
    if (!options.only_workload.empty() && w.name != options.only_workload &&
        w.name + "-p" + std::to_string(w.p) != options.only_workload) {
      continue;
    }
    ++num_matched;
    const pid_t child = fork();
    if (child == 0) std::exit(RunWorkloadProcess(w, options));
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
  }
  if (num_matched == 0) {
    std::fprintf(stderr, "fisheropt_bench: no workload named '%s'\n",
                 options.only_workload.c_str());
    return 2;
  }
  return failures == 0 ? 0 : 1;
}

namespace fisheropt {
namespace {

int RunWorkloadProcess(const Workload& w, const BenchOptions& options) {
  const std::string& write_dir = options.write_dir;
  {
    const WallTimer generate;
    std::unique_ptr<LikelihoodModel> model;
    std::string error;
    // The design X of a Gram kernel (GLMs, regression), and the data matrix
    // that peak memory is compared with (X, or the MVN's samples).
    const RowMatrixXd* design = nullptr;
    const RowMatrixXd* data_matrix = nullptr;
    if (w.kind == "logistic") {
      Dataset data = MakeLogistic(w, 2026);
      if (!write_dir.empty()) {
        const std::string stem = write_dir + "/" + w.name + "-" +
                                 std::to_string(w.n) + "x" +
                                 std::to_string(w.p);
        WriteNpy(stem + "-X.npy", data.x.data(), data.x.rows(), data.x.cols());
        WriteNpy(stem + "-y.npy", data.y.data(), data.y.size(), 0);
      }
      auto glm = GlmModel::Create(std::move(data),
                                  GlmFamilyType::kBernoulliLogit, &error);
      if (glm != nullptr) design = &glm->data().x;
      model = std::move(glm);
    } else if (w.kind == "gaussian") {
      // θ = (β, log σ), σ = 1: Fisher = blockdiag(XᵀX/σ², 2N), which the
      // Hessian equals only at the optimum.
      auto regression = GaussianRegressionModel::Create(
          MakeGaussianRegressionData(static_cast<int>(w.n), w.p, 1.0, 2026)
              .data,
          &error);
      if (regression != nullptr) design = &regression->data().x;
      model = std::move(regression);
    } else {
      model = MultivariateNormalModel::Create(
          MakeMultivariateNormalData(w.n, w.p, 2026).samples, &error);
      // The MVN's data matrix is its N × d sample matrix (no Gram kernel).
      if (model != nullptr) data_matrix = &model->ObservedResponses();
    }
    if (model == nullptr) {
      std::fprintf(stderr, "%s: %s\n", w.name.c_str(), error.c_str());
      return 1;
    }
    if (design != nullptr) data_matrix = design;
    RunWorkload(*model,
                w.name + " (data generated in " +
                    std::to_string(generate.Seconds()).substr(0, 5) + " s)",
                options);
    if (design != nullptr) MeasureKernel(*design);
    if (data_matrix != nullptr) {
      const double data_bytes = data_matrix->size() * 8.0;
      std::printf(
          "  peak resident memory of the workload: %.2f GB = %.2f x "
          "size of the data matrix\n",
          bench::PeakResidentBytes() / 1e9,
          bench::PeakResidentBytes() / data_bytes);
    }
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace fisheropt
