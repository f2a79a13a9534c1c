// The report of one run, for people and for machines, rendered from its Metrics and the
// outcome of the script's expectations: report.json (versioned schema, docs/report.md),
// report.txt (the terminal summary), report.html (self-contained, with an SVG timeline)
// and junit.xml (one test case per expectation, for CI gates). Pure functions of their
// inputs; write_report() is the only one that touches the disk.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/measure/metrics.hpp"

namespace blastlab::report {

// One `expect` line of the script and how the run fared against it.
struct ExpectationResult {
  std::string text;    // as written: "dns.success_ratio >= 0.99"
  std::string where;   // "scripts/x.yaml:31:5"
  std::string metric;  // "dns.success_ratio"
  std::string op;      // ">=", "<=", ">", "<", "==", "!="
  double threshold = 0;
  std::optional<double> value;  // absent: the run did not produce the metric
  std::string missing;          // with no value: why (measure::Scalars::why_missing)
  bool passed = false;          // false when the value is absent
};

// The one verdict of a run, which report.json, report.txt, the HTML badge, junit.xml and
// the exit code all say: `incomplete` when the measurement has a hole (an agent wrote
// nothing, died or fell silent) or the run was cut short, whatever else held, because
// then nothing it says can be trusted whole; else `fail` when an expectation or a step
// failed; else `pass`.
enum class Verdict { kPass, kFail, kIncomplete };
std::string_view to_string(Verdict verdict);
std::optional<Verdict> verdict_from_string(std::string_view text);

// The lab's graph, drawn from the run's topology by graph/ (the report reads no
// topology): report.html shows the SVG, and the Mermaid text under it for copying.
struct LabGraph {
  std::string svg;      // an inline <svg> element
  std::string mermaid;  // the same graph as a Mermaid flowchart
};

struct Report {
  measure::Metrics metrics;
  std::vector<ExpectationResult> expectations;
  std::string events_path;  // the merged events.jsonl the metrics came from
  // The width of one ClientTargetMetrics::success_by_bucket bucket: the run's
  // RunContext::bucket_us, which Metrics does not carry.
  int64_t bucket_us = 1'000'000;
  // Absent in a report read back from report.json, which does not carry it: no graph then.
  std::optional<LabGraph> graph;
  bool passed() const;  // every expectation passed
  bool steps_failed() const;
  Verdict verdict() const;
  // Why the verdict is not `pass`, one line each (empty for a pass).
  std::vector<std::string> verdict_reasons() const;
};

nlohmann::ordered_json report_json(const Report& report);
// Reads report.json back (to compare runs, or re-render one): the inverse of report_json.
// Fields it does not know are ignored (newer minor additions); throws std::runtime_error
// naming the field when one is missing or of the wrong type, or when the schema is not
// blastlab.report or its version is newer than this reader.
Report report_from_json(const nlohmann::json& json);
// The terminal summary; `color` adds ANSI colours for a TTY.
std::string report_text(const Report& report, bool color = false);
// One HTML file with inline CSS and SVG: no scripts or fonts fetched from anywhere.
std::string report_html(const Report& report);
std::string report_junit(const Report& report);

struct ReportFiles {
  std::string json;
  std::string text;
  std::string html;
  std::string junit;
};
// Writes report.json, report.txt, report.html and junit.xml into dir (created if
// missing); throws std::runtime_error naming the file that could not be written.
ReportFiles write_report(const std::string& dir, const Report& report);

}  // namespace blastlab::report
