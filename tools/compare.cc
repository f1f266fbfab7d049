#include "tools/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <system_error>

#include "optim/newton_solver.h"
#include "problems/csv_reader.h"
#include "problems/model_registry.h"
#include "tools/optimizer_registry.h"
#include "tools/output_file.h"

namespace fisheropt {
namespace {

// The reference optimum of a problem without a closed form: Newton's method,
// which converges quadratically, run until the gradient is at the rounding
// floor of the summed objective.
bool ComputeReference(const CatalogProblem& problem,
                      ProblemReference* reference, std::string* error) {
  reference->problem = problem.name;
  reference->description = problem.description;
  if (problem.closed_form_optimum.has_value()) {
    reference->source = problem.optimum_source;
    reference->optimum = *problem.closed_form_optimum;
  } else {
    SolverOptions options;
    options.curvature.type = CurvatureType::kHessian;
    options.stopping.max_iterations = 100;
    options.stopping.function_tolerance = 0.0;
    options.stopping.parameter_tolerance = 1e-15;
    options.stopping.gradient_tolerance = 1e-11;
    reference->optimum = problem.start;
    SolverSummary summary;
    Solve(options, *problem.model, &reference->optimum, &summary);
    if (summary.termination_type != TerminationType::kConvergence) {
      *error =
          problem.name +
          ": the reference Newton solve did not converge: " + summary.message;
      return false;
    }
    reference->source =
        fmt::format("Newton to |gradient|_inf = {:.1e}",
                    summary.iterations.back().gradient_max_norm);
  }
  if (!problem.model->Evaluate(reference->optimum, &reference->nll, nullptr)) {
    *error = problem.name + ": the objective is not finite at the reference";
    return false;
  }
  return true;
}

std::string FormatKl(double kl) {
  return std::isnan(kl) ? "-" : fmt::format("{:.2e}", kl);
}

// A string as one word for /bin/sh.
std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

// Atomically (tools/output_file.h): a failed or interrupted run leaves each
// file as it was or complete.
bool WriteFile(const std::filesystem::path& path, const std::string& text,
               std::string* error) {
  return WriteFileAtomically(path.string(), text, error);
}

const ProblemReference* FindReference(const ComparisonResult& result,
                                      const std::string& problem) {
  for (const ProblemReference& reference : result.references) {
    if (reference.problem == problem) return &reference;
  }
  return nullptr;
}

// Gnuplot data: one block per optimizer (blocks separated by two blank lines,
// gnuplot's `index`), columns iteration, time, NLL − NLL*. The gap is floored
// at 1e-16 · |NLL*| (below the rounding of L) so that a log axis can show a
// gap of zero or a rounding-level negative one.
std::string FormatGnuplotData(const ComparisonResult& result,
                              const ProblemReference& reference,
                              std::vector<std::string>* names) {
  const double floor = 1e-16 * std::max(1.0, std::abs(reference.nll));
  std::string out;
  for (const ComparisonRow& row : result.rows) {
    if (row.problem != reference.problem) continue;
    names->push_back(row.summary.solver);
    out += fmt::format("# {}\n", row.summary.solver);
    for (const IterationSummary& it : row.summary.iterations) {
      out += fmt::format("{} {:.9e} {:.9e}\n", it.iteration,
                         std::max(it.cumulative_time_in_seconds, 1e-7),
                         std::max(it.cost - reference.nll, floor));
    }
    if (row.summary.iterations.empty()) out += "0 1e-7 NaN\n";
    out += "\n\n";
  }
  return out;
}

// Text for a gnuplot double-quoted string in enhanced mode: "_" and "^"
// would start a subscript or superscript.
std::string EscapeEnhancedText(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '_' || c == '^' || c == '{' || c == '}' || c == '@' || c == '&' ||
        c == '~') {
      escaped += "\\\\";
    } else if (c == '"' || c == '\\') {
      escaped += '\\';
    }
    escaped += c;
  }
  return escaped;
}

// Two panels (against iteration + 1 and against time, both log-log), one
// line per optimizer, written as PNG and as SVG.
std::string FormatGnuplotScript(const ProblemReference& reference,
                                const std::vector<std::string>& names) {
  std::string word_list;
  for (const std::string& name : names) {
    word_list += (word_list.empty() ? "" : " ") + name;
  }
  const std::string data = reference.problem + ".dat";
  std::string panels = fmt::format(
      "set multiplot layout 1,2 title \"{}: NLL - NLL* (NLL* = {:.10g}, {})\"\n"
      "set logscale xy\n"
      "set format y \"10^{{%L}}\"\n"
      "set grid\n"
      "set ylabel \"NLL - NLL*\"\n"
      "set key outside below horizontal maxrows 3 font \",10\"\n"
      "set xlabel \"iteration + 1\"\n"
      "plot for [i=1:words(names)] \"{}\" index (i-1) using ($1+1):3 "
      "with linespoints lw 2 pt 7 ps 0.4 lc rgb word(colors, (i-1)%11+1) "
      "dt 1+(i-1)/11 title word(names, i)\n"
      "set xlabel \"time (s)\"\n"
      "set format x \"10^{{%L}}\"\n"
      "plot for [i=1:words(names)] \"{}\" index (i-1) using 2:3 "
      "with linespoints lw 2 pt 7 ps 0.4 lc rgb word(colors, (i-1)%11+1) "
      "dt 1+(i-1)/11 title word(names, i)\n"
      "unset multiplot\n"
      "unset format\n",
      reference.problem, reference.nll, EscapeEnhancedText(reference.source),
      data, data);
  return fmt::format(
      "# fisheropt compare: convergence plots of problem '{}'.\n"
      "# Re-run with: gnuplot {}.gp (in this directory).\n"
      "names = \"{}\"\n"
      "colors = \"#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 "
      "#7f7f7f #bcbd22 #17becf #000000\"\n"
      "set terminal pngcairo size 1500,700 enhanced font \"Sans,11\"\n"
      "set output \"{}.png\"\n{}"
      "set terminal svg size 1500,700 dynamic enhanced font \"Sans,11\"\n"
      "set output \"{}.svg\"\n{}"
      "unset output\n",
      reference.problem, reference.problem, word_list, reference.problem,
      panels, reference.problem, panels);
}

std::string FormatMarkdownIndex(const ComparisonResult& result,
                                const CompareOutputReport& report) {
  std::string out =
      "# fisheropt compare\n\n"
      "Every optimizer from the same start with the same stopping rules "
      "(Ceres' definitions). NLL is the summed negative log-likelihood; "
      "max KL is the largest ½ ΔθᵀCΔθ of one step (the step's KL divergence "
      "to second order when C is a Fisher). Plots show NLL − NLL* on a log "
      "scale, floored at 1e-16·|NLL*|.\n\n";
  if (!report.plots_written) {
    out += "_Plots skipped: " + report.note + "_\n\n";
  }
  for (const ProblemReference& reference : result.references) {
    out += fmt::format("## Problem '{}': {}\n\n", reference.problem,
                       reference.description);
    out += fmt::format("Reference optimum: {}; NLL* = {:.12f}\n\n",
                       reference.source, reference.nll);
    out +=
        "| optimizer | curvature | step control | iter | f-eval | g-eval | "
        "C-eval | time (ms) | final NLL | NLL − NLL* | ‖θ−θ*‖/‖θ*‖ | max KL "
        "| termination |\n"
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n";
    for (const ComparisonRow& row : result.rows) {
      if (row.problem != reference.problem) continue;
      const SolverSummary& s = row.summary;
      out += fmt::format(
          "| {} | {} | {} | {} | {} | {} | {} | {:.1f} | {:.10f} | {:.2e} | "
          "{:.2e} | {} | {} |\n",
          s.solver, s.curvature, s.step_control, s.num_iterations(),
          s.num_cost_evaluations, s.num_gradient_evaluations,
          s.num_curvature_evaluations, 1e3 * s.total_time_in_seconds,
          s.final_cost, row.nll_gap, row.relative_distance,
          FormatKl(MaxStepQuadraticForm(s)), ToString(s.termination_type));
    }
    out += "\n";
    if (report.plots_written) {
      out += fmt::format(
          "![{0}: NLL − NLL* against iteration and time]({0}.png)"
          "\n\n[SVG]({0}.svg) · ",
          reference.problem);
    }
    out += fmt::format("[per-iteration trace (CSV)](traces_{}.csv)\n\n",
                       reference.problem);
  }
  return out;
}

}  // namespace

double MaxStepQuadraticForm(const SolverSummary& summary) {
  // Only the Newton-like solver fills IterationSummary::quadratic_form; the
  // baselines leave it at 0, which is reported as "not available".
  double largest = 0.0;
  for (size_t i = 1; i < summary.iterations.size(); ++i) {
    largest = std::max(largest, summary.iterations[i].quadratic_form);
  }
  return largest > 0.0 ? largest : std::numeric_limits<double>::quiet_NaN();
}

std::string FormatTraceCsv(const ComparisonResult& result,
                           const std::string& problem) {
  const ProblemReference* reference = FindReference(result, problem);
  const double nll_star = reference != nullptr ? reference->nll : 0.0;
  std::string out =
      "problem,optimizer,iteration,time_seconds,nll,nll_minus_reference,"
      "gradient_norm,step_norm,damping,kl\n";
  for (const ComparisonRow& row : result.rows) {
    if (row.problem != problem) continue;
    const bool has_kl = !std::isnan(MaxStepQuadraticForm(row.summary));
    for (const IterationSummary& it : row.summary.iterations) {
      out += fmt::format(
          "{},{},{},{:.9e},{:.17g},{:.9e},{:.9e},{:.9e},{:.9e},{}\n", problem,
          row.summary.solver, it.iteration, it.cumulative_time_in_seconds,
          it.cost, it.cost - nll_star, it.gradient_norm, it.step_norm,
          it.damping,
          has_kl ? fmt::format("{:.9e}", it.quadratic_form) : std::string());
    }
  }
  return out;
}

std::vector<std::string> ComparisonOutputFileNames(const std::string& problem) {
  return {"traces_" + problem + ".csv",
          problem + ".dat",
          problem + ".gp",
          problem + ".png",
          problem + ".svg",
          problem + ".gnuplot.log",
          "index.md"};
}

bool WriteComparisonOutputs(const ComparisonResult& result,
                            const CompareOutputOptions& options,
                            CompareOutputReport* report, std::string* error) {
  namespace fs = std::filesystem;
  *report = CompareOutputReport();
  const fs::path directory(options.directory);
  std::error_code code;
  fs::create_directories(directory, code);
  if (code || !fs::is_directory(directory)) {
    *error = "cannot create the output directory " + options.directory +
             (code ? ": " + code.message() : "");
    return false;
  }
  for (const ProblemReference& reference : result.references) {
    const std::string csv = "traces_" + reference.problem + ".csv";
    if (!WriteFile(directory / csv, FormatTraceCsv(result, reference.problem),
                   error)) {
      return false;
    }
    report->files.push_back(csv);
  }

  // Plots: gnuplot is optional. Probe it once; a failure skips the plots.
  const std::string probe =
      ShellQuote(options.gnuplot) + " -e 'exit' > /dev/null 2>&1";
  report->plots_written = std::system(probe.c_str()) == 0;
  if (!report->plots_written) {
    report->note = "gnuplot ('" + options.gnuplot +
                   "') could not be run; install gnuplot-nox for the PNG/SVG "
                   "plots (the CSV traces are complete)";
  }
  for (const ProblemReference& reference : result.references) {
    if (!report->plots_written) break;
    std::vector<std::string> names;
    const std::string data = FormatGnuplotData(result, reference, &names);
    const std::string script = FormatGnuplotScript(reference, names);
    if (!WriteFile(directory / (reference.problem + ".dat"), data, error) ||
        !WriteFile(directory / (reference.problem + ".gp"), script, error)) {
      return false;
    }
    const std::string log = reference.problem + ".gnuplot.log";
    const std::string command = "cd " + ShellQuote(directory.string()) +
                                " && " + ShellQuote(options.gnuplot) + " " +
                                ShellQuote(reference.problem + ".gp") + " > " +
                                ShellQuote(log) + " 2>&1";
    if (std::system(command.c_str()) != 0 ||
        !fs::exists(directory / (reference.problem + ".png"))) {
      report->plots_written = false;
      report->note =
          "gnuplot failed on " + reference.problem + ".gp (see " + log + ")";
      break;
    }
    for (const char* extension : {".dat", ".gp", ".png", ".svg"}) {
      report->files.push_back(reference.problem + extension);
    }
  }
  if (!WriteFile(directory / "index.md", FormatMarkdownIndex(result, *report),
                 error)) {
    return false;
  }
  report->files.push_back("index.md");
  return true;
}

namespace {

// The user's CSV as a problem: a GLM from β = 0, reference by Newton.
std::unique_ptr<CatalogProblem> MakeDataProblem(const CompareOptions& options,
                                                std::string* error) {
  const ModelEntry* entry = FindModel(options.data_model);
  if (entry == nullptr || !entry->glm_family.has_value()) {
    std::string families;
    for (const std::string& name : GlmFamilyNames()) {
      families += (families.empty() ? "" : ", ") + name;
    }
    *error = "unknown --model '" + options.data_model +
             "' for --data (a GLM family: " + families + ")";
    return nullptr;
  }
  if (options.data_response.empty()) {
    *error = "--data needs --response COLUMN";
    return nullptr;
  }
  CsvTable table;
  if (!ReadCsvFile(options.data_path, &table, error)) return nullptr;
  DatasetSpec spec;
  spec.response = options.data_response;
  Dataset data;
  int dropped = 0;
  // The table's blocks are released as X fills.
  if (!BuildDataset(std::move(table), spec, &data, &dropped, error)) {
    return nullptr;
  }
  auto problem = std::make_unique<CatalogProblem>();
  problem->name = "data";
  problem->description =
      fmt::format("{} regression of '{}' on {} columns of {} ({} rows)",
                  options.data_model, options.data_response, data.NumFeatures(),
                  options.data_path, data.NumSamples());
  problem->model = entry->from_dataset(std::move(data), error);
  if (problem->model == nullptr) return nullptr;
  problem->start = Eigen::VectorXd::Zero(problem->model->NumParameters());
  return problem;
}

}  // namespace

bool RunComparison(const CompareOptions& options, ComparisonResult* result,
                   std::string* error) {
  std::vector<std::string> problem_names = options.problems;
  if (!options.data_path.empty()) {
    if (!problem_names.empty()) {
      *error = "give either --data or --problem, not both";
      return false;
    }
    problem_names = {"data"};
  } else if (problem_names.empty()) {
    problem_names = CatalogProblemNames();
    // With a NIST folder, the default run includes one NIST problem.
    if (!options.catalog.nist_directory.empty()) {
      problem_names.push_back("nist-Misra1a");
    }
  }
  const std::vector<std::string> optimizer_names =
      options.optimizers.empty() ? BuiltinOptimizerNames() : options.optimizers;
  std::vector<OptimizerSpec> specs(optimizer_names.size());
  for (size_t i = 0; i < optimizer_names.size(); ++i) {
    if (!FindOptimizer(optimizer_names[i], &specs[i], error)) return false;
  }
  if (!options.stopping.IsValid(error)) return false;
  *result = ComparisonResult();
  for (const std::string& name : problem_names) {
    std::unique_ptr<CatalogProblem> problem =
        options.data_path.empty()
            ? MakeCatalogProblem(name, options.catalog, error)
            : MakeDataProblem(options, error);
    if (problem == nullptr) return false;
    ProblemReference reference;
    if (!ComputeReference(*problem, &reference, error)) return false;
    for (const OptimizerSpec& spec : specs) {
      ComparisonRow row;
      row.problem = name;
      row.solution = problem->start;
      RunOptimizer(spec, options.stopping, *problem->model, &row.solution,
                   &row.summary);
      row.nll_gap = row.summary.final_cost - reference.nll;
      row.relative_distance =
          (row.solution - reference.optimum).norm() / reference.optimum.norm();
      result->rows.push_back(std::move(row));
    }
    result->references.push_back(std::move(reference));
  }
  return true;
}

std::string FormatComparison(const ComparisonResult& result) {
  std::string out;
  for (const ProblemReference& reference : result.references) {
    out += fmt::format("Problem '{}': {}\n", reference.problem,
                       reference.description);
    out += fmt::format("  reference optimum: {}; NLL* = {:.12f}\n\n",
                       reference.source, reference.nll);
    out += fmt::format(
        "  {:<19} {:<18} {:<19} {:>5} {:>6} {:>6} {:>6} {:>9} {:>20} {:>10} "
        "{:>11} {:>9}  {}\n",
        "optimizer", "curvature", "step control", "iter", "f-eval", "g-eval",
        "C-eval", "time(ms)", "final NLL", "NLL-NLL*", "|θ-θ*|/|θ*|", "max KL",
        "termination");
    for (const ComparisonRow& row : result.rows) {
      if (row.problem != reference.problem) continue;
      const SolverSummary& s = row.summary;
      if (s.iterations.empty()) {
        // The optimizer could not start on this model (e.g. no closed-form
        // Hessian for Newton): say why instead of printing empty numbers.
        out += fmt::format("  {:<19} {:<18} {:<19} not available: {}\n",
                           s.solver, s.curvature, s.step_control, s.message);
        continue;
      }
      out += fmt::format(
          "  {:<19} {:<18} {:<19} {:>5} {:>6} {:>6} {:>6} {:>9.1f} "
          "{:>20.10f} {:>10.2e} {:>11.2e} {:>9}  {}\n",
          s.solver, s.curvature, s.step_control, s.num_iterations(),
          s.num_cost_evaluations, s.num_gradient_evaluations,
          s.num_curvature_evaluations, 1e3 * s.total_time_in_seconds,
          s.final_cost, row.nll_gap, row.relative_distance,
          FormatKl(MaxStepQuadraticForm(s)), ToString(s.termination_type));
    }
    out += "\n";
  }
  return out;
}

}  // namespace fisheropt
