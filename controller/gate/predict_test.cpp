#include "controller/gate/predict.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace blastlab::gate {
namespace {

class PredictTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded =
        model::load_topology_file(std::string(BLASTLAB_SOURCE_DIR) + "/topologies/fb-2021.yaml");
    ASSERT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
    topology_ = *loaded.topology;
    plan_ = frr::plan_routing(topology_);
    // As the reference scripts watch: routes at the peers, DNS at every client.
    watched_.vantages = {"tr1", "tr2", "tr3", "ix1"};
    watched_.prefixes = {"198.51.100.0/26", "198.51.100.64/26", "198.51.100.0/24"};
    watched_.kinds = {"anycast", "anycast", "covering"};
    watched_.clients = {"client1", "client2", "client3", "client4"};
  }

  // `node`'s change shutting each of its interfaces toward a node of `roles` (a vtysh step's
  // each-link), in full words or abbreviated, from a candidate file NODE.conf.
  RouterChange shut_toward(const std::string& node, const std::set<model::Role>& roles,
                           bool abbreviated = false) {
    RouterChange change{.node = node};
    auto add = [&](const std::string& command) {
      change.commands.push_back(command);
      change.sources.push_back({node + ".conf", int(change.commands.size())});
    };
    for (const model::Link* link : topology_.links_of(node)) {
      const auto& us = link->a.node == node ? link->a : link->b;
      const auto& them = link->a.node == node ? link->b : link->a;
      if (!roles.count(topology_.find_node(them.node)->role)) continue;
      add((abbreviated ? "int " : "interface ") + us.ifname);
      add(abbreviated ? " shut" : " shutdown");
      add("exit");
    }
    return change;
  }

  std::vector<RouterChange> capacity_assessment(const std::vector<std::string>& routers) {
    std::vector<RouterChange> changes;
    for (const auto& router : routers) {
      changes.push_back(shut_toward(
          router, {model::Role::kBackbone, model::Role::kEdge, model::Role::kDatacenter}));
    }
    return changes;
  }

  BlastPrediction predict(const std::vector<RouterChange>& changes) {
    return predict_blast_radius(topology_, plan_, changes, watched_);
  }

  model::Topology topology_;
  frr::RoutingPlan plan_;
  Watched watched_;
};

std::set<std::pair<std::string, std::string>> lost_routes(const BlastPrediction& p) {
  std::set<std::pair<std::string, std::string>> lost;
  for (const auto& r : p.routes_lost) lost.insert({r.vantage, r.prefix});
  return lost;
}

TEST_F(PredictTest, The2021ChangeTakesEverySiteBothAnycastPrefixesAndEveryClient) {
  BlastPrediction p = predict(capacity_assessment({"bb1", "bb2", "bb3", "bb4"}));
  ASSERT_TRUE(p.made);
  EXPECT_EQ(p.links_down.size(), 28u);  // every link of the backbone, not the exchange's
  EXPECT_EQ(p.sites_lost, (std::vector<std::string>{"dns1", "dns2", "dns3", "dns4", "dns5", "dns6",
                                                    "dns7", "dns8"}));
  std::set<std::pair<std::string, std::string>> expected;
  for (const auto& peer : watched_.vantages) {
    expected.insert({peer, "198.51.100.0/26"});
    expected.insert({peer, "198.51.100.64/26"});
  }
  // The covering prefix stays: bb1 and bb3 announce it at the exchange.
  EXPECT_EQ(lost_routes(p), expected);
  EXPECT_EQ(p.clients_lost, watched_.clients);
  // Every iBGP session: 6 among the reflectors, 4 x 12 to the PoPs and data centers.
  EXPECT_EQ(p.sessions_down.size(), 54u);
  for (const auto& s : p.sessions_down) EXPECT_TRUE(s.why.starts_with("no IGP path")) << s.why;
  EXPECT_TRUE(p.not_modelled.empty());
  EXPECT_GT(p.elapsed_ms, 0);
  RecordProperty("elapsed_ms", std::to_string(p.elapsed_ms));
  // Each link down names the candidate line that shuts it.
  const auto& first = p.links_down.front();
  ASSERT_EQ(first.cause.lines.size(), 2u) << first.a << ":" << first.b;  // bb1 and bb2 both shut it
  EXPECT_EQ(first.cause.lines[0].file, "bb1.conf");
}

TEST_F(PredictTest, TheWestStageTakesTheWestSitesAndNothingOutside) {
  BlastPrediction p = predict(capacity_assessment({"bb1", "bb2"}));
  ASSERT_TRUE(p.made);
  EXPECT_EQ(p.sites_lost, (std::vector<std::string>{"dns1", "dns2", "dns3", "dns4"}));
  EXPECT_TRUE(p.routes_lost.empty());
  EXPECT_TRUE(p.clients_lost.empty());
}

TEST_F(PredictTest, OnePopCutWrittenInAbbreviationsTakesItsSiteAlone) {
  BlastPrediction p = predict({shut_toward("pop1", {model::Role::kBackbone}, true)});
  ASSERT_TRUE(p.made);
  ASSERT_EQ(p.links_down.size(), 2u);
  EXPECT_EQ(p.links_down[0].cause.lines, (std::vector<SourceLine>{{"pop1.conf", 2}}));
  EXPECT_EQ(p.sites_lost, std::vector<std::string>{"dns1"});
  EXPECT_TRUE(p.routes_lost.empty());
  EXPECT_TRUE(p.clients_lost.empty());
  // pop1's iBGP sessions to the four reflectors lose their IGP path.
  ASSERT_EQ(p.sessions_down.size(), 4u);
  EXPECT_EQ(p.sessions_down[0].why, "no IGP path between bb1 and pop1");
  EXPECT_TRUE(p.not_modelled.empty());
}

TEST_F(PredictTest, AHarmlessChangePredictsNothingAndNamesWhatItDoesNotModel) {
  RouterChange change{.node = "pop1",
                      .commands = {"interface bb1", " description uplink to bb1", "exit",
                                   "router bgp 64500", " bgp default local-preference 200", "exit"},
                      .sources = {{"pop1.conf", 3},
                                  {"pop1.conf", 4},
                                  {"pop1.conf", 5},
                                  {"pop1.conf", 9},
                                  {"pop1.conf", 10},
                                  {"pop1.conf", 11}}};
  BlastPrediction p = predict({change});
  ASSERT_TRUE(p.made);
  EXPECT_TRUE(p.links_down.empty());
  EXPECT_TRUE(p.sessions_down.empty());
  EXPECT_TRUE(p.sites_lost.empty());
  EXPECT_TRUE(p.routes_lost.empty());
  EXPECT_TRUE(p.clients_lost.empty());
  EXPECT_EQ(p.not_modelled,
            (std::vector<std::string>{"pop1.conf:4: description uplink to bb1",
                                      "pop1.conf:10: bgp default local-preference 200"}));
}

TEST_F(PredictTest, ANeighborShutTakesItsSessionAndTheSiteStaysHealthy) {
  const frr::RouterPlan* pop1 = plan_.find("pop1");
  ASSERT_NE(pop1, nullptr);
  std::string dns1;
  for (const auto& n : pop1->neighbors)
    if (n.node == "dns1") dns1 = n.address.str();
  BlastPrediction p = predict({{.node = "pop1",
                                .commands = {"router bg 64500", " nei " + dns1 + " shut"},
                                .sources = {{"pop1.conf", 1}, {"pop1.conf", 2}}}});
  ASSERT_EQ(p.sessions_down.size(), 1u);
  EXPECT_EQ(p.sessions_down[0].why, "neighbor dns1 shut on pop1");
  EXPECT_EQ(p.sessions_down[0].cause.lines, (std::vector<SourceLine>{{"pop1.conf", 2}}));
  // dns1 still reaches the data centers: it keeps announcing, to no one; the other sites
  // carry the anycast prefixes to every peer.
  EXPECT_TRUE(p.sites_lost.empty());
  EXPECT_TRUE(p.routes_lost.empty());
  EXPECT_TRUE(p.clients_lost.empty());
}

TEST_F(PredictTest, PassiveUplinksCutTheIgpWithoutALinkDown) {
  BlastPrediction p = predict(
      {{.node = "pop1",
        .commands = {"int bb1", " ip ospf pass", "int bb2", " ip os pas"},
        .sources = {{"pop1.conf", 1}, {"pop1.conf", 2}, {"pop1.conf", 3}, {"pop1.conf", 4}}}});
  EXPECT_TRUE(p.links_down.empty());
  EXPECT_EQ(p.sites_lost, std::vector<std::string>{"dns1"});
  EXPECT_EQ(p.sessions_down.size(), 4u);
  EXPECT_TRUE(p.routes_lost.empty());
}

TEST_F(PredictTest, AWrongRemoteAsTakesTheSessionAndTheOtherExitKeepsTheCovering) {
  std::string ix1;
  for (const auto& n : plan_.find("bb1")->neighbors)
    if (n.node == "ix1") ix1 = n.address.str();
  BlastPrediction p = predict({{.node = "bb1",
                                .commands = {"router bgp 64500", " neighbor " + ix1 + " rem 64999"},
                                .sources = {{"bb1.conf", 1}, {"bb1.conf", 2}}}});
  ASSERT_EQ(p.sessions_down.size(), 1u);
  EXPECT_EQ(p.sessions_down[0].a, "bb1");
  EXPECT_EQ(p.sessions_down[0].b, "ix1");
  EXPECT_EQ(p.sessions_down[0].why, "remote-as 64999 for ix1 on bb1, which is AS 64540");
  EXPECT_TRUE(p.routes_lost.empty());  // bb3 still announces the covering prefix at ix1
}

TEST_F(PredictTest, RemovingTheCoveringOriginationEverywhereLosesItAtEveryPeer) {
  std::vector<RouterChange> changes;
  for (std::string bb : {"bb1", "bb2", "bb3", "bb4"}) {
    changes.push_back({.node = bb,
                       .commands = {"router bgp 64500", " address-family ipv4 unicast",
                                    "  no network 198.51.100.0/24"},
                       .sources = {{bb + ".conf", 1}, {bb + ".conf", 2}, {bb + ".conf", 3}}});
  }
  BlastPrediction p = predict(changes);
  std::set<std::pair<std::string, std::string>> expected;
  for (const auto& peer : watched_.vantages) expected.insert({peer, "198.51.100.0/24"});
  EXPECT_EQ(lost_routes(p), expected);
  EXPECT_TRUE(p.sites_lost.empty());
  EXPECT_TRUE(p.clients_lost.empty());
}

TEST_F(PredictTest, FailStaticKeepsEverySiteAnnouncing) {
  topology_.services.dns->health.action = model::HealthAction::kFailStatic;
  BlastPrediction p = predict(capacity_assessment({"bb1", "bb2", "bb3", "bb4"}));
  EXPECT_TRUE(p.sites_lost.empty());
  EXPECT_TRUE(p.routes_lost.empty());
  EXPECT_TRUE(p.clients_lost.empty());
}

// The drill's wrong target (drills/pop-uplinks.yaml): dns1 pings its own PoP's router,
// which the cut leaves reachable, so the isolated site stays healthy and announcing.
TEST_F(PredictTest, ASiteCheckingItsOwnPopKeepsAnnouncingWhenThePopIsCutOff) {
  for (auto& node : topology_.nodes)
    if (node.name == "dns1") node.health = model::HealthOverride{{"pop1"}, {"icmp"}, {}};
  BlastPrediction p = predict({shut_toward("pop1", {model::Role::kBackbone})});
  ASSERT_TRUE(p.made);
  EXPECT_TRUE(p.sites_lost.empty());
  EXPECT_EQ(p.sessions_down.size(), 4u);  // pop1's iBGP sessions go all the same
  // The rest of the west probes the data centers as before.
  BlastPrediction west = predict(capacity_assessment({"bb1", "bb2"}));
  EXPECT_EQ(west.sites_lost, (std::vector<std::string>{"dns2", "dns3", "dns4"}));
}

TEST_F(PredictTest, TheMinSitesGuardHoldsTheFirstSitesByName) {
  topology_.services.dns->health.min_sites = 2;
  // With the whole backbone cut no site sees another: every one is held by its guard.
  BlastPrediction all = predict(capacity_assessment({"bb1", "bb2", "bb3", "bb4"}));
  EXPECT_TRUE(all.sites_lost.empty());
  // pop1 and pop2 cut off: dns1 and dns2 see no other site announcing, and both are held.
  BlastPrediction two = predict({shut_toward("pop1", {model::Role::kBackbone}),
                                 shut_toward("pop2", {model::Role::kBackbone})});
  EXPECT_TRUE(two.sites_lost.empty());
}

TEST_F(PredictTest, ScalarsOfThe2021Prediction) {
  BlastPrediction p = predict(capacity_assessment({"bb1", "bb2", "bb3", "bb4"}));
  std::map<std::string, double> expected = {
      {"sites.withdrawn", 8},
      {"prefixes.lost", 2},
      {"prefixes.anycast_lost", 2},
      {"prefixes.covering_lost", 0},
      {"vantage_prefixes.lost", 8},
      {"clients.affected", 4},
      {"reachability.pairs_lost", 0},
      // 54 sessions, each counted at both ends as the run counts them.
      {"bgp.sessions_down", 108}};
  EXPECT_EQ(predicted_scalars(p), expected);
  EXPECT_TRUE(predicted_scalars(BlastPrediction{}).empty());
}

TEST_F(PredictTest, ReachabilityPairsFollowTheLinksLeft) {
  watched_.reach = {{"client1", "client4"}, {"dc1", "dc3"}, {"dc1", "dc2"}};
  BlastPrediction p = predict(capacity_assessment({"bb1", "bb2"}));
  // The peers' mesh still joins the clients; dc1 lost the backbone.
  ASSERT_EQ(p.reach_lost.size(), 2u);
  EXPECT_EQ(p.reach_lost[0].to, "dc3");
  EXPECT_EQ(p.reach_lost[1].to, "dc2");
}

TEST_F(PredictTest, AChangeForAnUnknownNodeMakesNoPrediction) {
  BlastPrediction p = predict({{.node = "nosuch", .commands = {"interface x"}, .sources = {{}}}});
  EXPECT_FALSE(p.made);
  ASSERT_EQ(p.basis.size(), 1u);
  EXPECT_TRUE(p.basis[0].starts_with("no prediction"));
}

}  // namespace
}  // namespace blastlab::gate
