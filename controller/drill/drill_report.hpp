// The report of one drill, for the trainee and the instructor: what was put in, when the
// trainee asked for hints, changed the routers and checked, whether and when the network
// came back, the score with each component, and the collateral left behind. As data, then
// rendered as text (80 columns, for the terminal), JSON (drill-report.json, for tools) and
// HTML (one self-contained file with the run's timeline). Pure functions of the result.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "controller/drill/collateral.hpp"
#include "controller/drill/score.hpp"
#include "controller/measure/metrics.hpp"

namespace blastlab::drill {

// Something that happened during the drill, at a time from the fault's injection.
struct Marker {
  enum class Kind { kFault, kHint, kChange, kCheck };
  Kind kind = Kind::kFault;
  double at_s = 0;
  std::string text;     // "vtysh on pop3: interface eth1 / no shutdown", "2 of 3 conditions hold"
  bool passed = false;  // checks only
};
std::string_view to_string(Marker::Kind kind);

struct DrillResult {
  std::string drill;  // name
  std::string title;
  std::string file;
  std::string lab;
  std::string fault;  // the fault's name
  uint64_t seed = 0;
  std::string reveal;
  double time_limit_s = 0;
  double fault_s = 0;                // the injection, from the run's start (the metrics' time axis)
  std::optional<double> restored_s;  // from the injection to the first passing check
  std::vector<Marker> markers;       // in time order
  std::vector<ConfigChange> collateral;
  Score score;
  // The drill's measurement, for the timeline's lanes; its steps are not used (the
  // markers are drawn instead).
  measure::Metrics metrics;
};

// The fields of drill-report.json, in this order:
//   schema ("blastlab.drill-report"), schema_version (1),
//   drill, title, file, lab, fault, seed, reveal,
//   time_limit_s, fault_s (from the run's start), restored (bool),
//   restored_s (from the fault, null when not restored),
//   score: {total, restored, components: [{name, points, detail}]},
//   markers: [{at_s (from the fault), kind (fault, hint, change, check), text, passed
//             (checks only)}],
//   collateral: [{router, context: [headers], line, added}].
nlohmann::ordered_json drill_report_json(const DrillResult& result);
std::string drill_report_text(const DrillResult& result);
std::string drill_report_html(const DrillResult& result);

}  // namespace blastlab::drill
