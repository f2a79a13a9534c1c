// The columns of the comparison table, shared by compare.txt and compare.html so both show
// the same figure the same way and judge it in the same direction: which scalar metric a
// column comes from, how its cell reads, and whether more of it is better or worse. The
// direction of every metric is kept in this one table (compare_columns.cpp). Internal to
// report/: not part of its public header.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/report/compare.hpp"

namespace blastlab::report {

enum class Better { kHigher, kLower };

// How a variant's cell compares with the reference's. kNone: nothing to compare (a value
// missing on either side, or the reference row itself).
enum class Judgement { kNone, kSame, kBetter, kWorse };

// What the cells need to know about the whole comparison: every variant runs the same
// topology, so a total one run reveals holds for all of them.
struct ComparisonTotals {
  std::optional<int> clients;  // from clients.affected / clients.affected_fraction
};
ComparisonTotals comparison_totals(const Comparison& comparison);

// One cell: its text ("62.1%", "8/8", "–") and the number it is judged by (absent: "–").
struct MetricCell {
  std::string text;
  std::optional<double> value;
};

struct MetricColumn {
  const char* key;      // "dns": the HTML class and the test's handle
  const char* header;   // "DNS ok": the short header of the terminal table
  const char* title;    // "DNS success": the header of the HTML table
  const char* meaning;  // the legend, in words
  const char* metrics;  // the scalar metrics it is read from, as the legend names them
  Better better;
  MetricCell (*cell)(const VariantResult& variant, const ComparisonTotals& totals);
  // Shown only when some variant has a value: the reachability columns of an experiment
  // that probes no reachability would be dashes, and would cost the change its width.
  bool only_when_measured = false;
};

// The metric columns in table order (the change and the result follow them).
const std::vector<MetricColumn>& metric_columns();
// The columns this comparison shows: every one, less the only_when_measured ones that no
// variant has a value for.
std::vector<MetricColumn> shown_columns(const Comparison& comparison);

// Same when the two cells read the same (so "0.0%" never shows as better than "0.0%"),
// else better or worse by the column's direction.
Judgement judge(const MetricCell& cell, const MetricCell& reference, Better better);

// The result column: PASS, FAIL n/m (n of m expectations failed), INCOMPLETE or ERROR n
// (exit code).
struct Outcome {
  VariantOutcome kind;
  std::string text;  // "PASS", "FAIL 2/5", "ERROR 3"
};
Outcome outcome(const VariantResult& variant);
inline constexpr const char* kOutcomeMeaning =
    "PASS: exit 0 and every expectation held; FAIL n/m: n of the m expectations failed "
    "(exit 1); INCOMPLETE: a measurement gap or a run cut short (exit 3, with its report); "
    "ERROR n: the run exited n without a report (2 bad input, 3 environment or runtime "
    "failure)";
inline constexpr const char* kChangeMeaning = "what became of the change in this variant";
inline constexpr const char* kMissingMeaning = "the run did not produce the metric";
inline constexpr const char* kMissing = "\u2013";

// Control characters (a newline in a description) as spaces, so one value stays one line.
std::string one_line(std::string_view text);
// Words in lines of at most `width` display columns; a word longer than that is cut.
std::vector<std::string> wrap_words(std::string_view text, size_t width);
// At most `width` display columns, the end replaced by "…" when cut.
std::string clip(std::string_view text, size_t width);

// Whether the run produced a report to link to: its scalars are empty otherwise.
inline bool has_report(const VariantResult& variant) {
  return !variant.scalars.empty();
}

}  // namespace blastlab::report
