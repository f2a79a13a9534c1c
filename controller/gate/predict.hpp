// The predicted blast radius of a change, from the model and the change alone, before any
// lab: which links and BGP sessions it takes down, which DNS sites then lose every health
// target, which watched prefixes lose every path to each vantage point, which clients lose
// DNS and which reachability pairs lose every path. A pure function, milliseconds on
// fb-2021, so the audit can judge a change on it and `gate --predict-only` can answer
// before the lab. The lab is the ground truth: compare_prediction() names every
// disagreement between this and what a run measured.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "controller/frr/plan.hpp"
#include "controller/gate/gate.hpp"
#include "controller/measure/metrics.hpp"
#include "controller/model/topology.hpp"

namespace blastlab::gate {

// What the run will measure, so that the prediction speaks of the same things.
struct Watched {
  std::vector<std::string> vantages;  // routewatch nodes
  std::vector<std::string> prefixes;  // watched at every vantage point
  std::vector<std::string> kinds;     // parallel: anycast, covering, operator, other
  std::vector<std::string> clients;   // dnsprobe nodes (resolver and anycast targets)
  struct Pair {
    std::string from;
    std::string to;  // a node's name
  };
  std::vector<Pair> reach;
};

// One effect and the candidate lines that cause it (empty when it follows from other
// effects, e.g. a site that loses its health targets because links went down).
struct Cause {
  std::vector<SourceLine> lines;
};

struct PredictedLink {
  std::string a, a_ifname, b, b_ifname;
  Cause cause;
};

struct PredictedSession {
  std::string a, b;  // as frr::Session names them, a < b
  std::string why;   // "link bb1:pop1 down", "neighbor shut on pop1", "no IGP path"
  Cause cause;
};

struct PredictedRoute {
  std::string vantage, prefix, kind;
};

struct BlastPrediction {
  // Whether a prediction was made; when not, `basis` says why and nothing else is set.
  bool made = false;
  // The model the prediction rests on and what it leaves out, in words, for the report
  // ("routers with their own configs: link graph only, their routing policy is not
  // modelled").
  std::vector<std::string> basis;
  // The scalar metrics (predicted_scalars' names) the prediction does not speak for, because
  // the routing behind them is not modelled (the user's own routers): predicted_scalars
  // leaves them out and compare_prediction does not judge them.
  std::vector<std::string> unpredicted;
  std::vector<PredictedLink> links_down;
  std::vector<PredictedSession> sessions_down;
  std::vector<std::string> sites_lost;  // DNS hosts that withdraw (every target unreachable)
  std::vector<PredictedRoute> routes_lost;
  std::vector<std::string> clients_lost;  // clients whose DNS through their resolver fails
  std::vector<Watched::Pair> reach_lost;
  // Change lines the prediction does not model (they are assumed to change no routing),
  // each with where it is: "pop1.conf:12: ip ospf cost 100".
  std::vector<std::string> not_modelled;
  double elapsed_ms = 0;  // how long predicting took
};

BlastPrediction predict_blast_radius(const model::Topology& topology, const frr::RoutingPlan& plan,
                                     const std::vector<RouterChange>& changes,
                                     const Watched& watched);

// The prediction as the run's scalar metrics it predicts (sites.withdrawn,
// prefixes.anycast_lost, prefixes.covering_lost, prefixes.lost, vantage_prefixes.lost,
// clients.affected, reachability.pairs_lost, bgp.sessions_down), so that the policy's
// invariants can be judged on it. Empty when no prediction was made.
std::map<std::string, double> predicted_scalars(const BlastPrediction& prediction);

// Every disagreement between the prediction and what the run measured, one line each
// ("dns3 withdrew; the prediction kept it", "tr2 lost 198.51.100.0/24 for 0.051 s; the
// prediction kept it"). Empty when they agree.
std::vector<std::string> compare_prediction(const BlastPrediction& prediction,
                                            const measure::Metrics& measured);

}  // namespace blastlab::gate
