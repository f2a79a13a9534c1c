#include "controller/experiment/compare.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "controller/experiment/log.hpp"
#include "controller/experiment/run.hpp"
#include "controller/files/safe_write.hpp"
#include "controller/measure/metrics.hpp"

namespace blastlab::experiment {

using scenario::Script;
namespace {

namespace fs = std::filesystem;

}  // namespace

int CompareResult::exit_code() const {
  if (interrupted) return 130;
  int code = 0;
  for (const auto& v : comparison.variants) {
    auto result = report::variant_result(v);
    if (result == report::VariantOutcome::kError || result == report::VariantOutcome::kIncomplete)
      return 3;
    if (result == report::VariantOutcome::kFail) code = 1;
  }
  return code;
}

std::string change_outcome(const measure::Metrics& metrics) {
  for (const auto& step : metrics.steps) {
    if (step.state == measure::StepState::kRefused) return "refused by " + step.name;
    if (step.state == measure::StepState::kHalted) return "halted by " + step.name;
    if (step.state == measure::StepState::kFailed) return step.name + " failed";
  }
  bool changed = std::any_of(metrics.steps.begin(), metrics.steps.end(), [](const auto& s) {
    return measure::changes_lab(s.kind) && s.state == measure::StepState::kDone;
  });
  return changed ? "applied" : "not run";
}

CompareResult run_comparison(const VariantSet& set, const CompareOptions& options,
                             lab::LabManager& labs, netns::Netlink& netlink,
                             proc::ProcessRunner& runner, const std::atomic<bool>* interrupted) {
  CompareResult result;
  auto& comparison = result.comparison;
  comparison.name = set.name;
  comparison.description = set.description;
  if (!set.variants.empty()) {
    comparison.topology = set.variants.front().topology_source;
    comparison.script = set.variants.front().script_source;
  }
  comparison.started_at = fmt::format(
      "{:%Y-%m-%dT%H:%M:%SZ}",
      fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
  files::create_directories(options.out_dir, "comparison directory");
  for (size_t i = 0; i < set.variants.size(); ++i) {
    const Variant& variant = set.variants[i];
    if (interrupted && interrupted->load()) break;
    std::string dir = (fs::path(options.out_dir) / variant.name).string();
    fs::remove_all(dir);
    files::create_directories(dir, "variant directory");
    files::write_file_atomically(dir + "/" + variant.topology_file_name, variant.topology_text,
                                 "variant file");
    files::write_file_atomically(dir + "/script.yaml", variant.script_text, "variant file");
    std::cerr << fmt::format("\n== variant {}/{}: {}{}\n", i + 1, set.variants.size(), variant.name,
                             variant.description.empty() ? "" : " — " + variant.description);
    report::VariantResult row;
    row.name = variant.name;
    row.description = variant.description;
    row.dir = variant.name;
    RunOptions run;
    run.topology_path = dir + "/" + variant.topology_file_name;
    run.load = variant.load;
    run.script_path = dir + "/script.yaml";
    run.lab_name = options.lab_name;
    run.out_dir = dir;
    run.up_timeout = options.up_timeout;
    run.observer = options.observer;
    run.aborted = options.aborted;
    auto started = std::chrono::steady_clock::now();
    try {
      RunResult ran =
          run_experiment(variant.topology, variant.script, run, labs, netlink, runner, interrupted);
      row.exit_code = ran.exit_code();
      row.scalars = measure::scalar_metrics(ran.report.metrics).values;
      row.expectations = ran.report.expectations;
      row.change = change_outcome(ran.report.metrics);
      if (i == 0) {
        result.reference = ran.report;
        result.reference_ran = true;
      }
      if (ran.interrupted) result.interrupted = true;
    } catch (const std::exception& e) {
      auto* lab_error = dynamic_cast<const lab::LabError*>(&e);
      row.exit_code = lab_error ? lab_error->exit_code() : 3;
      row.error = e.what();
      row.change = "not run";
      logger()->error("variant {}: {}", variant.name, e.what());
      if (interrupted && interrupted->load()) result.interrupted = true;
    }
    row.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cerr << fmt::format("== variant {}: {} ({}, {:.1f} s)\n", variant.name,
                             to_string(report::variant_result(row)), row.change, row.wall_s);
    comparison.variants.push_back(std::move(row));
  }
  report::write_comparison(comparison, options.out_dir);
  return result;
}

}  // namespace blastlab::experiment
