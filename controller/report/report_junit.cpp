// junit.xml: the run as a JUnit test suite, the format every CI system shows natively. One
// test case per expectation, so a gate's failure names the invariant that broke and the
// measured value; one per step, failed when the step failed (skipped when it never ran);
// and a "run" case that fails when the run is incomplete (cut short, or an agent wrote
// nothing, died or fell silent), because then everything was judged on partial data. The
// suite's `verdict` property is report.json's.
#include <fmt/format.h>

#include <vector>

#include "controller/report/format.hpp"
#include "controller/report/junit.hpp"
#include "controller/report/report.hpp"

namespace blastlab::report {

namespace {

std::string expectation_failure(const ExpectationResult& e) {
  if (!e.value) {
    return fmt::format("{}: the run did not produce this metric ({}); expected {} {}", e.metric,
                       e.missing.empty() ? "not measured" : e.missing, e.op, number(e.threshold));
  }
  return fmt::format("{} = {}, expected {} {}", e.metric, number(*e.value), e.op,
                     number(e.threshold));
}

// Why the measurement cannot be trusted whole: the run cut short, agents silent or dead.
std::vector<std::string> incomplete_reasons(const measure::Metrics& m) {
  std::vector<std::string> reasons;
  if (m.cut_short)
    reasons.push_back("run cut short: " +
                      (m.cut_short_reason.empty() ? "the run ended early" : m.cut_short_reason));
  for (const auto& gap : m.gaps) {
    std::string when = gap.from_s ? fmt::format(" at {:.1f} s", *gap.from_s) : "";
    reasons.push_back(fmt::format("{} on {} {}{}{}", gap.agent, gap.node, gap.what, when,
                                  gap.detail.empty() ? "" : ": " + gap.detail));
  }
  return reasons;
}

}  // namespace

std::string report_junit(const Report& report) {
  const auto& m = report.metrics;
  std::string time = fmt::format("{:.3f}", m.duration_s);
  JunitSuite suite{.name = "blastlab." + script_name(m.script),
                   .time = time,
                   .timestamp = utc_time(m.start_ts, true),
                   .properties = {{"verdict", std::string(to_string(report.verdict()))},
                                  {"lab", m.lab},
                                  {"topology", m.topology},
                                  {"script", m.script},
                                  {"events", report.events_path}}};
  auto& cases = suite.cases;

  // "run": the verdict's incompleteness, so a CI that reads only test cases sees it.
  JunitCase run{.name = "run", .time = time};
  if (auto reasons = incomplete_reasons(m); !reasons.empty()) {
    run.failure_type = "incomplete";
    run.message = "incomplete: " + reasons.front() +
                  (reasons.size() > 1 ? fmt::format(" (and {} more)", reasons.size() - 1) : "");
    run.text = "The measurement is incomplete; every figure of the run is partial:";
    for (const auto& r : reasons) run.text += "\n- " + r;
  }
  cases.push_back(run);

  for (const auto& step : m.steps) {
    JunitCase c{.name = fmt::format("step {} ({})", step.name, step.kind)};
    if (step.state == measure::StepState::kFailed) {
      c.failure_type = "step";
      c.message =
          fmt::format("step {} failed{}", step.name, step.error.empty() ? "" : ": " + step.error);
      c.text = c.message;
    } else if (step.state == measure::StepState::kSkipped) {
      c.skipped = true;
      c.message = "skipped: an earlier step failed, refused or halted";
    } else if (step.state != measure::StepState::kDone &&
               step.state != measure::StepState::kRefused &&
               step.state != measure::StepState::kHalted) {
      c.failure_type = "step";
      c.message = fmt::format("step {} was still running when the run ended", step.name);
      c.text = c.message;
    }
    cases.push_back(c);
  }

  for (const auto& e : report.expectations) {
    JunitCase c{.name = e.text};
    if (!e.passed) {
      c.failure_type = "expectation";
      c.message = expectation_failure(e);
      c.text = c.message + (e.where.empty() ? "" : "\nat " + e.where);
    }
    cases.push_back(c);
  }
  return junit_xml(suite);
}

}  // namespace blastlab::report
