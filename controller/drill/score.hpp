// The score of a drill, out of 100, as a pure function of what the drill measured. The
// rules, meant to be explained to a trainee in one breath:
//
//   start at 100, then
//   - time:         nothing up to par (a quarter of the time limit), then up to 40 points
//                   off, in proportion, until the limit: 40 * (t - par) / (limit - par);
//   - dns:          up to 15 points off for the resolver queries that failed while the
//                   trainee worked: 15 * (1 - dns.success_ratio);
//   - reachability: up to 15 points off the same way: 15 * (1 - reachability.success_ratio);
//   - hints:        the cost of every hint taken;
//   - collateral:   5 points per configuration line left changed beyond the fault
//                   (collateral.hpp), at most 25;
//   each component rounded to whole points, the total never below 0. A drill not
//   restored within its time limit scores 0 whatever the rest; its components are still
//   given, so the trainee sees where the points would have gone.
//
// The outage components count what users lost while the trainee worked (the metrics are
// computed over the drill's window, from the fault's injection to the end); a metric the
// drill did not measure (no DNS probes, no reach probes) takes nothing off and says so.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "controller/drill/drill.hpp"
#include "controller/measure/metrics.hpp"

namespace blastlab::drill {

struct ScoreRules {
  double par_fraction = 0.25;
  int time_points = 40;
  int dns_points = 15;
  int reach_points = 15;
  int points_per_collateral_line = 5;
  int collateral_points = 25;
};

struct ScoreInput {
  bool restored = false;  // some `drill check` passed
  Millis time_limit{0};
  std::optional<Millis> time_to_restore;  // fault injection to the first passing check
  measure::Scalars outage;                // over the drill's window
  std::vector<Hint> hints_used;
  size_t collateral_lines = 0;
};

// One component's contribution: 0 or negative points, and why.
struct ScoreComponent {
  std::string name;  // time, dns, reachability, hints, collateral
  int points = 0;
  std::string detail;  // "restored in 420 s, par 225 s, limit 900 s"
};

struct Score {
  int total = 0;
  bool restored = false;                   // restored within the time limit
  std::vector<ScoreComponent> components;  // in the order above

  // "score 72/100: time -12 (...), dns -3 (...), ..." one component a line.
  std::string breakdown() const;
};

Score score_drill(const ScoreInput& input, const ScoreRules& rules = {});

}  // namespace blastlab::drill
