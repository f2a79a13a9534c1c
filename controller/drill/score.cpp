#include "controller/drill/score.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace blastlab::drill {
namespace {

std::string seconds(Millis d) {
  return fmt::format("{:g} s", double(d.count()) / 1000);
}

// Points off for the share of an outage metric that failed.
ScoreComponent outage_component(const measure::Scalars& outage, const std::string& name,
                                const std::string& metric, int most) {
  ScoreComponent c{.name = name, .points = 0, .detail = ""};
  const double* ratio = outage.find(metric);
  if (!ratio) {
    c.detail = fmt::format("{} not measured: {}", metric, outage.why_missing(metric));
    return c;
  }
  // Rounded to a millionth first, so that 0.9 fails 10%, not 9.99...%.
  double failed = std::clamp(std::round((1 - *ratio) * 1e6) / 1e6, 0.0, 1.0);
  c.points = -int(std::lround(most * failed));
  c.detail = fmt::format("{} {:.3f}, {:.1f}% failed", metric, *ratio, failed * 100);
  return c;
}

}  // namespace

Score score_drill(const ScoreInput& input, const ScoreRules& rules) {
  Score score;
  score.restored =
      input.restored && input.time_to_restore && *input.time_to_restore <= input.time_limit;
  Millis limit = input.time_limit;
  auto par = Millis(std::llround(double(limit.count()) * rules.par_fraction));
  ScoreComponent time{.name = "time", .points = 0, .detail = ""};
  if (!score.restored) {
    time.points = -rules.time_points;
    time.detail = fmt::format("not restored within the limit of {}", seconds(limit));
  } else {
    Millis t = *input.time_to_restore;
    if (t > par && limit > par) {
      double over = double((t - par).count()) / double((limit - par).count());
      time.points = -int(std::lround(rules.time_points * over));
    }
    time.detail =
        fmt::format("restored in {}, par {}, limit {}", seconds(t), seconds(par), seconds(limit));
  }
  score.components.push_back(time);
  score.components.push_back(
      outage_component(input.outage, "dns", "dns.success_ratio", rules.dns_points));
  score.components.push_back(outage_component(input.outage, "reachability",
                                              "reachability.success_ratio", rules.reach_points));
  ScoreComponent hints{.name = "hints", .points = 0, .detail = ""};
  std::string costs;
  for (const auto& hint : input.hints_used) {
    hints.points -= hint.cost;
    costs += (costs.empty() ? "" : " + ") + std::to_string(hint.cost);
  }
  hints.detail = input.hints_used.empty()
                     ? "none taken"
                     : fmt::format("{} taken: {}", input.hints_used.size(), costs);
  score.components.push_back(hints);
  int collateral = int(std::min<size_t>(input.collateral_lines * rules.points_per_collateral_line,
                                        size_t(rules.collateral_points)));
  score.components.push_back(
      {.name = "collateral",
       .points = -collateral,
       .detail = fmt::format("{} line(s) left changed beyond the fault", input.collateral_lines)});
  int total = 100;
  for (const auto& c : score.components) total += c.points;
  score.total = score.restored ? std::max(0, total) : 0;
  return score;
}

std::string Score::breakdown() const {
  std::string out = restored ? fmt::format("score {}/100\n", total)
                             : fmt::format("score 0/100: not restored within the time limit\n");
  for (const auto& c : components)
    out += fmt::format("  {:<13}{:>4}  {}\n", c.name, c.points, c.detail);
  return out;
}

}  // namespace blastlab::drill
