#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "controller/gate/predict.hpp"

namespace blastlab::gate {
namespace {

// A run of two sites, one prefix at two vantage points, one client, one reachability pair and
// one BGP session, all as the prediction below says: dns1 withdrew, tr1 lost the anycast
// prefix, client1 lost DNS, h1 lost h2, the session bb1-pop1 went down.
measure::Metrics agreeing_run() {
  measure::Metrics m;
  m.change_s = 5;
  m.sites = {{.node = "dns1", .pop = "pop1", .withdrawn = true}, {.node = "dns2", .pop = "pop2"}};
  m.routes = {
      {.vantage = "tr1",
       .prefix = "198.51.100.0/26",
       .kind = "anycast",
       .present_at_start = true,
       .lost = true,
       .absent_s = 7},
      {.vantage = "tr2", .prefix = "198.51.100.0/26", .kind = "anycast", .present_at_start = true}};
  m.clients = {{.client = "client1",
                .target = "resolver",
                .outages = {{.start_s = 6, .end_s = 14, .duration_s = 8}}},
               {.client = "client2", .target = "resolver"}};
  m.reach = {{.from = "h1", .target = "h2", .proto = "icmp", .lost = true, .outage_s = 3},
             {.from = "h1", .target = "h3", .proto = "icmp"}};
  m.bgp = {{.at_s = 6, .node = "bb1", .peer = "198.18.0.9", .state = "down", .peer_node = "pop1"},
           {.at_s = 6, .node = "pop1", .peer = "198.18.0.1", .state = "down", .peer_node = "bb1"}};
  return m;
}

BlastPrediction prediction() {
  BlastPrediction p;
  p.made = true;
  p.sites_lost = {"dns1"};
  p.routes_lost = {{"tr1", "198.51.100.0/26", "anycast"}};
  p.clients_lost = {"client1"};
  p.reach_lost = {{"h1", "h2"}};
  p.sessions_down = {{.a = "bb1", .b = "pop1", .why = "no IGP path between bb1 and pop1"}};
  return p;
}

TEST(ComparePrediction, AgreementGivesNoLines) {
  EXPECT_TRUE(compare_prediction(prediction(), agreeing_run()).empty());
}

TEST(ComparePrediction, EveryDisagreementHasItsLine) {
  measure::Metrics m = agreeing_run();
  m.sites[0].withdrawn = false;
  m.sites[0].degraded = true;
  m.sites[1].withdrawn = true;
  m.routes[0].lost = false;
  m.routes[1].lost = true;
  m.routes[1].absent_s = 0.051;
  m.clients[0].outages.clear();
  m.clients[1].outages = {{.start_s = 6, .end_s = 8.5, .duration_s = 2.5}};
  m.reach[0].lost = false;
  m.reach[1].lost = true;
  m.reach[1].outage_s = 1.25;
  m.bgp = {{.at_s = 6, .node = "tr1", .peer = "198.18.0.20", .state = "down", .peer_node = "pop5"}};
  EXPECT_EQ(compare_prediction(prediction(), m),
            (std::vector<std::string>{
                "dns1 kept announcing (degraded); the prediction withdrew it",
                "dns2 withdrew; the prediction kept it",
                "tr1 kept 198.51.100.0/26; the prediction lost it",
                "tr2 lost 198.51.100.0/26 for 0.051 s; the prediction kept it",
                "client1 kept DNS through its resolver; the prediction lost it",
                "client2 lost DNS through its resolver for up to 2.500 s; the prediction kept it",
                "h1 kept reaching h2; the prediction lost the pair",
                "h1 lost h3 for 1.250 s; the prediction kept the pair",
                "BGP session pop5-tr1 went down; the prediction kept it",
                "BGP session bb1-pop1 stayed up; the prediction took it down (no IGP path between "
                "bb1 and pop1)"}));
}

TEST(ComparePrediction, WhatThePredictionDoesNotSpeakForIsNotJudged) {
  BlastPrediction p = prediction();
  p.unpredicted = {"sites.withdrawn", "vantage_prefixes.lost", "clients.affected",
                   "bgp.sessions_down"};
  measure::Metrics m = agreeing_run();
  m.sites[1].withdrawn = true;
  m.routes[1].lost = true;
  m.bgp.clear();
  EXPECT_TRUE(compare_prediction(p, m).empty());
  EXPECT_TRUE(compare_prediction(BlastPrediction{}, m).empty());
}

TEST(ComparePrediction, AnOutageEndedBeforeTheChangeIsNoLoss) {
  measure::Metrics m = agreeing_run();
  m.clients[1].outages = {{.start_s = 1, .end_s = 2, .duration_s = 1}};
  EXPECT_TRUE(compare_prediction(prediction(), m).empty());
}

}  // namespace
}  // namespace blastlab::gate
