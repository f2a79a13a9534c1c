// The side-by-side comparison of what-if variants of one experiment (`blastlab compare`):
// each variant is a full run in its own directory, and the comparison puts their headline
// figures in one table with the first variant as the reference the others are judged
// against. Rendered as compare.txt (a terminal table that fits 100 columns), compare.json
// (versioned schema "blastlab.compare", docs/compare.md) and compare.html (self-contained,
// cells coloured better/worse than the reference, an SVG bar chart of DNS success). Pure
// functions of their input; write_comparison() is the only one that touches the disk.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "controller/report/report.hpp"

namespace blastlab::report {

inline constexpr int kCompareSchemaVersion = 1;

// One variant: how its run ended and the scalar metrics of its report.
struct VariantResult {
  std::string name;         // "baseline", "audit-fixed", ...
  std::string description;  // one line
  std::string dir;          // the variant's run directory, relative to the comparison's dir
  int exit_code = 0;        // the run's: 0 pass, 1 expectation/step failed, 2 bad input, 3 env
  std::string change;       // "applied", "refused by audit", "halted after stage-1", "not run"
  // The run's scalar metrics (measure::scalar_metrics names); empty when the run produced
  // no report.
  std::map<std::string, double> scalars;
  std::vector<ExpectationResult> expectations;  // as in Report
  std::string error;                            // when the run failed before a report
  double wall_s = 0;
};

struct Comparison {
  std::string name;  // "fb-2021-whatifs"
  std::string description;
  std::string topology, script;         // file names
  std::string started_at;               // ISO 8601 UTC
  std::vector<VariantResult> variants;  // in file order; the first is the reference
};

// How a variant ended: pass (exit 0, every expectation held), fail (exit 1 or an
// expectation failed), incomplete (exit 3 with a report: a measurement gap, or cut short)
// or error (any other exit code, or an error before the run produced a report).
enum class VariantOutcome { kPass, kFail, kIncomplete, kError };
// "pass", "fail", "incomplete", "error": the words of compare.json's "result".
std::string_view to_string(VariantOutcome outcome);
VariantOutcome variant_result(const VariantResult& variant);

// The terminal table, at most 100 columns wide, with a legend and a line per variant.
std::string comparison_text(const Comparison& comparison);
// Schema "blastlab.compare", version kCompareSchemaVersion (docs/compare.md).
nlohmann::ordered_json comparison_json(const Comparison& comparison);
// The inverse of comparison_json. Keys it does not know are ignored; throws
// std::runtime_error naming the field when one is missing or of the wrong type, or when
// the schema is not blastlab.compare or its version is newer than this reader.
Comparison comparison_from_json(const nlohmann::json& json);
// One HTML file with inline CSS and SVG: no script, nothing fetched. Links to each
// variant's report.html by its relative dir.
std::string comparison_html(const Comparison& comparison);
// Writes compare.json, compare.txt and compare.html into dir (created if missing); throws
// std::runtime_error naming the file that could not be written.
void write_comparison(const Comparison& comparison, const std::string& dir);

}  // namespace blastlab::report
