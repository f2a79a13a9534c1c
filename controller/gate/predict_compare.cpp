// The prediction against the lab: every site, route, client, pair and BGP session the run
// measured whose fate differs from the prediction's, one line each, with how long a loss
// lasted (a 51 ms loss of path exploration disagrees with a prediction that kept the route
// as much as an hour would, and the line says which it was). What the run did not measure,
// and what the prediction does not speak for (`unpredicted`), is not judged.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "controller/gate/predict.hpp"
#include "controller/gate/predict_internal.hpp"

namespace blastlab::gate {
namespace {

bool judged(const BlastPrediction& p, const std::string& metric) {
  return std::find(p.unpredicted.begin(), p.unpredicted.end(), metric) == p.unpredicted.end();
}

std::string seconds(double s) {
  return fmt::format("{:.3f} s", s);
}

void compare_sites(const BlastPrediction& p, const measure::Metrics& m,
                   std::vector<std::string>& lines) {
  std::set<std::string> predicted(p.sites_lost.begin(), p.sites_lost.end());
  for (const auto& site : m.sites) {
    if (site.no_events) continue;
    bool lost = predicted.count(site.node) > 0;
    if (site.withdrawn && !lost) lines.push_back(site.node + " withdrew; the prediction kept it");
    if (!site.withdrawn && lost) {
      std::string how = site.degraded      ? " (degraded)"
                        : site.guarded     ? " (held by its guard)"
                        : site.fail_static ? " (fail-static)"
                                           : "";
      lines.push_back(site.node + " kept announcing" + how + "; the prediction withdrew it");
    }
  }
}

void compare_routes(const BlastPrediction& p, const measure::Metrics& m,
                    std::vector<std::string>& lines) {
  std::set<std::pair<std::string, std::string>> predicted;
  for (const auto& r : p.routes_lost)
    predicted.insert({r.vantage, internal::network_text(r.prefix)});
  for (const auto& route : m.routes) {
    if (route.no_events) continue;
    bool lost = predicted.count({route.vantage, internal::network_text(route.prefix)}) > 0;
    if (route.lost && !lost) {
      lines.push_back(fmt::format("{} lost {} for {}; the prediction kept it", route.vantage,
                                  route.prefix, seconds(route.absent_s)));
    }
    if (!route.lost && lost) {
      lines.push_back(
          fmt::format("{} kept {}; the prediction lost it", route.vantage, route.prefix));
    }
  }
}

void compare_clients(const BlastPrediction& p, const measure::Metrics& m,
                     std::vector<std::string>& lines) {
  std::set<std::string> predicted(p.clients_lost.begin(), p.clients_lost.end());
  const double change = m.change_s.value_or(0);
  for (const auto& client : m.clients) {
    if (client.target != "resolver" || client.no_events) continue;
    double longest = 0;
    bool affected = false;
    for (const auto& w : client.outages) {
      if (w.end_s && *w.end_s <= change) continue;
      affected = true;
      longest = std::max(longest, w.duration_s);
    }
    bool lost = predicted.count(client.client) > 0;
    if (affected && !lost) {
      lines.push_back(
          fmt::format("{} lost DNS through its resolver for up to {}; the "
                      "prediction kept it",
                      client.client, seconds(longest)));
    }
    if (!affected && lost) {
      lines.push_back(client.client + " kept DNS through its resolver; the prediction lost it");
    }
  }
}

void compare_reach(const BlastPrediction& p, const measure::Metrics& m,
                   std::vector<std::string>& lines) {
  std::set<std::pair<std::string, std::string>> predicted;
  for (const auto& pair : p.reach_lost) predicted.insert({pair.from, pair.to});
  // A pair probed by several protocols is lost when any of them lost it.
  std::map<std::pair<std::string, std::string>, double> measured;  // -> outage, -1: kept
  for (const auto& pair : m.reach) {
    if (pair.no_events) continue;
    double& outage = measured.try_emplace({pair.from, pair.target}, -1.0).first->second;
    if (pair.lost) outage = std::max(outage, pair.outage_s);
  }
  for (const auto& [key, outage] : measured) {
    bool lost = predicted.count(key) > 0;
    if (outage >= 0 && !lost) {
      lines.push_back(fmt::format("{} lost {} for {}; the prediction kept the pair", key.first,
                                  key.second, seconds(outage)));
    }
    if (outage < 0 && lost) {
      lines.push_back(
          fmt::format("{} kept reaching {}; the prediction lost the pair", key.first, key.second));
    }
  }
}

void compare_sessions(const BlastPrediction& p, const measure::Metrics& m,
                      std::vector<std::string>& lines) {
  auto key = [](const std::string& x, const std::string& y) {
    return x < y ? std::pair{x, y} : std::pair{y, x};
  };
  std::map<std::pair<std::string, std::string>, std::string> predicted;
  for (const auto& s : p.sessions_down) predicted[key(s.a, s.b)] = s.why;
  std::set<std::pair<std::string, std::string>> measured;
  for (const auto& change : m.bgp) {
    if (change.state != "down" || change.at_s < m.change_s.value_or(0)) continue;
    measured.insert(key(change.node, change.peer_node.empty() ? change.peer : change.peer_node));
  }
  for (const auto& s : measured) {
    if (!predicted.count(s)) {
      lines.push_back(
          fmt::format("BGP session {}-{} went down; the prediction kept it", s.first, s.second));
    }
  }
  for (const auto& [s, why] : predicted) {
    if (!measured.count(s)) {
      lines.push_back(fmt::format("BGP session {}-{} stayed up; the prediction took it down ({})",
                                  s.first, s.second, why));
    }
  }
}

}  // namespace

std::vector<std::string> compare_prediction(const BlastPrediction& prediction,
                                            const measure::Metrics& measured) {
  std::vector<std::string> lines;
  if (!prediction.made) return lines;
  if (judged(prediction, "sites.withdrawn")) compare_sites(prediction, measured, lines);
  if (judged(prediction, "vantage_prefixes.lost")) compare_routes(prediction, measured, lines);
  if (judged(prediction, "clients.affected")) compare_clients(prediction, measured, lines);
  if (judged(prediction, "reachability.pairs_lost")) compare_reach(prediction, measured, lines);
  if (judged(prediction, "bgp.sessions_down")) compare_sessions(prediction, measured, lines);
  return lines;
}

}  // namespace blastlab::gate
