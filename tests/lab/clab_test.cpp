// The user's own network, end to end on the real lab: topologies/ospf-bgp.clab.yml, a
// containerlab topology of seven FRR routers running OSPF and BGP from their own configs
// (topologies/ospf-bgp/*.conf) and two hosts configured by exec lines, brought up without
// Docker. The routes below were written by reading those configs, not taken from the lab:
// a routing mistake in the lab (or in how blastlab applies a config) shows up as a
// difference here.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/lab/lab_fixture.hpp"

namespace blastlab::testing {
namespace {

using nlohmann::json;

// What a router's kernel holds for one prefix: the protocol and the interfaces it leaves by.
struct Route {
  std::string protocol;
  std::set<std::string> devices;
  bool operator==(const Route&) const = default;
};
using Table = std::map<std::string, Route>;

std::ostream& operator<<(std::ostream& out, const Route& r) {
  out << r.protocol << " via";
  for (const auto& d : r.devices) out << " " << d;
  return out;
}

// `ip -o -4 route`, without the routes of the node's own links (proto kernel).
Table parse_routes(const std::string& text) {
  Table table;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string word; words >> word;) w.push_back(word);
    if (w.empty()) continue;
    size_t i = w[0] == "blackhole" ? 1 : 0;
    std::string prefix = w[i];
    if (prefix.find('/') == std::string::npos && prefix != "default") prefix += "/32";
    Route route;
    for (size_t j = i; j + 1 < w.size(); ++j) {
      if (w[j] == "proto") route.protocol = w[j + 1];
      if (w[j] == "dev") route.devices.insert(w[j + 1]);
    }
    if (w[0] == "blackhole") route.devices.insert("blackhole");
    if (route.protocol == "kernel") continue;
    table[prefix] = route;
  }
  return table;
}

Route ospf(std::set<std::string> devices) {
  return {"ospf", std::move(devices)};
}
Route bgp(std::set<std::string> devices) {
  return {"bgp", std::move(devices)};
}

// Read from the configs. AS 64500 (r1-r5, OSPF area 0, point-to-point links of cost 10,
// loopbacks and h1's network 198.51.100.0/26 passive at r4) peers with x1 (AS 64510, at
// r1) and x2 (AS 64520, at r2); x1 and x2 peer with each other. r1..r5 take x1's networks
// (203.0.113.0/26, 198.18.0.11/32) through r1 and x2's (192.0.2.0/24, 198.18.0.12/32)
// through r2, one AS hop being shorter than two; the route reflector r3 passes them on
// with r1's or r2's loopback as next hop (next-hop-self), which OSPF resolves. AS 64500
// sends the others only 198.51.100.0/26.
std::map<std::string, Table> expected_tables() {
  // The OSPF part every router of AS 64500 has, from where it sits: r1-eth1-r3,
  // r2-eth1-r3, r3-eth3-r4, r1-eth2-r5, r2-eth2-r5, r4-eth2-r5.
  std::map<std::string, Table> t;
  t["r1"] = {
      {"198.18.0.2/32", ospf({"eth1", "eth2"})},   {"198.18.0.3/32", ospf({"eth1"})},
      {"198.18.0.4/32", ospf({"eth1", "eth2"})},   {"198.18.0.5/32", ospf({"eth2"})},
      {"198.18.1.2/31", ospf({"eth1"})},           {"198.18.1.4/31", ospf({"eth1"})},
      {"198.18.1.8/31", ospf({"eth2"})},           {"198.18.1.10/31", ospf({"eth2"})},
      {"198.51.100.0/26", ospf({"eth1", "eth2"})}, {"203.0.113.0/26", bgp({"eth3"})},
      {"198.18.0.11/32", bgp({"eth3"})},           {"192.0.2.0/24", bgp({"eth1", "eth2"})},
      {"198.18.0.12/32", bgp({"eth1", "eth2"})},
  };
  t["r2"] = {
      {"198.18.0.1/32", ospf({"eth1", "eth2"})},   {"198.18.0.3/32", ospf({"eth1"})},
      {"198.18.0.4/32", ospf({"eth1", "eth2"})},   {"198.18.0.5/32", ospf({"eth2"})},
      {"198.18.1.0/31", ospf({"eth1"})},           {"198.18.1.4/31", ospf({"eth1"})},
      {"198.18.1.6/31", ospf({"eth2"})},           {"198.18.1.10/31", ospf({"eth2"})},
      {"198.51.100.0/26", ospf({"eth1", "eth2"})}, {"192.0.2.0/24", bgp({"eth3"})},
      {"198.18.0.12/32", bgp({"eth3"})},           {"203.0.113.0/26", bgp({"eth1", "eth2"})},
      {"198.18.0.11/32", bgp({"eth1", "eth2"})},
  };
  t["r3"] = {
      {"198.18.0.1/32", ospf({"eth1"})},  {"198.18.0.2/32", ospf({"eth2"})},
      {"198.18.0.4/32", ospf({"eth3"})},  {"198.18.0.5/32", ospf({"eth1", "eth2", "eth3"})},
      {"198.18.1.6/31", ospf({"eth1"})},  {"198.18.1.8/31", ospf({"eth2"})},
      {"198.18.1.10/31", ospf({"eth3"})}, {"198.51.100.0/26", ospf({"eth3"})},
      {"203.0.113.0/26", bgp({"eth1"})},  {"198.18.0.11/32", bgp({"eth1"})},
      {"192.0.2.0/24", bgp({"eth2"})},    {"198.18.0.12/32", bgp({"eth2"})},
  };
  t["r4"] = {
      {"198.18.0.1/32", ospf({"eth1", "eth2"})}, {"198.18.0.2/32", ospf({"eth1", "eth2"})},
      {"198.18.0.3/32", ospf({"eth1"})},         {"198.18.0.5/32", ospf({"eth2"})},
      {"198.18.1.0/31", ospf({"eth1"})},         {"198.18.1.2/31", ospf({"eth1"})},
      {"198.18.1.6/31", ospf({"eth2"})},         {"198.18.1.8/31", ospf({"eth2"})},
      {"203.0.113.0/26", bgp({"eth1", "eth2"})}, {"198.18.0.11/32", bgp({"eth1", "eth2"})},
      {"192.0.2.0/24", bgp({"eth1", "eth2"})},   {"198.18.0.12/32", bgp({"eth1", "eth2"})},
  };
  t["r5"] = {
      {"198.18.0.1/32", ospf({"eth1"})},
      {"198.18.0.2/32", ospf({"eth2"})},
      {"198.18.0.3/32", ospf({"eth1", "eth2", "eth3"})},
      {"198.18.0.4/32", ospf({"eth3"})},
      {"198.18.1.0/31", ospf({"eth1"})},
      {"198.18.1.2/31", ospf({"eth2"})},
      {"198.18.1.4/31", ospf({"eth3"})},
      {"198.51.100.0/26", ospf({"eth3"})},
      {"203.0.113.0/26", bgp({"eth1"})},
      {"198.18.0.11/32", bgp({"eth1"})},
      {"192.0.2.0/24", bgp({"eth2"})},
      {"198.18.0.12/32", bgp({"eth2"})},
  };
  // x1: eth1 to r1, eth2 to x2, eth3 to h2's network; x2: eth1 to r2, eth2 to x1, and a
  // blackhole static for the aggregate it originates.
  t["x1"] = {
      {"198.51.100.0/26", bgp({"eth1"})},
      {"192.0.2.0/24", bgp({"eth2"})},
      {"198.18.0.12/32", bgp({"eth2"})},
  };
  t["x2"] = {
      {"198.51.100.0/26", bgp({"eth1"})},
      {"203.0.113.0/26", bgp({"eth2"})},
      {"198.18.0.11/32", bgp({"eth2"})},
      {"192.0.2.0/24", {"static", {"blackhole"}}},
  };
  t["h1"] = {{"default", {"static", {"eth1"}}}};
  t["h2"] = {{"default", {"static", {"eth1"}}}};
  return t;
}

class ClabTest : public LabTest {};

TEST_F(ClabTest, TheOspfBgpExampleComesUpWithoutDockerWithEveryRouteItsConfigsImply) {
  std::string lab = lab_name("clab");
  auto up = blastlab({"up", source_path("topologies/ospf-bgp.clab.yml"), "--name", lab},
                     std::chrono::seconds(120));
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;

  for (const auto& [node, want] : expected_tables()) {
    SCOPED_TRACE(node);
    auto r = in_node(lab, node, {"ip", "-o", "-4", "route"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Table got = parse_routes(r.out);
    for (const auto& [prefix, route] : want) {
      auto it = got.find(prefix);
      if (it == got.end()) {
        ADD_FAILURE() << node << " has no route to " << prefix << "; its table:\n" << r.out;
        continue;
      }
      EXPECT_EQ(it->second, route) << node << " " << prefix;
    }
    for (const auto& [prefix, route] : got) {
      EXPECT_TRUE(want.count(prefix))
          << node << " holds " << prefix << " (" << route << "), which its configs do not imply";
    }
  }
  // The hosts reach each other across both ASes.
  EXPECT_TRUE(ping_until(lab, "h1", "203.0.113.10", true, std::chrono::seconds(5)));
  EXPECT_TRUE(ping_until(lab, "h2", "198.51.100.10", true, std::chrono::seconds(5)));
  // The user's config runs as written, and `config` says what the lab added and left out.
  auto config = blastlab({"config", lab, "r1"});
  EXPECT_EQ(config.exit_code, 0);
  EXPECT_NE(config.out.find("! r1: the user's own configuration, " +
                            source_path("topologies/ospf-bgp/r1.conf")),
            std::string::npos)
      << config.out;
  EXPECT_NE(config.out.find(read_text(source_path("topologies/ospf-bgp/r1.conf"))),
            std::string::npos);
  EXPECT_EQ(blastlab({"down", lab}).exit_code, 0);
  EXPECT_EQ(before_.diff(HostSnapshot::take()), "");
}

// The lab keeps the user's own addresses only because it is sealed: while it is up, the
// host's namespace has no interface, address or route of it, and no node has a way out.
TEST_F(ClabTest, AUserNetworkStaysSealedFromTheHost) {
  std::string lab = lab_name("seal");
  auto host_routes = [&] {
    return runner_
        ->run({.argv = {"ip", "-o", "-4", "route", "show", "table", "all"}},
              std::chrono::seconds(5))
        .out;
  };
  auto host_addresses = [&] {
    return runner_->run({.argv = {"ip", "-o", "-4", "address"}}, std::chrono::seconds(5)).out;
  };
  std::string routes_before = host_routes();
  std::string addresses_before = host_addresses();
  auto up = blastlab({"up", source_path("topologies/ospf-bgp.clab.yml"), "--name", lab},
                     std::chrono::seconds(120));
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_EQ(before_.diff(HostSnapshot::take()).find("host link"), std::string::npos)
      << "a lab interface appeared in the host's namespace";
  EXPECT_EQ(host_routes(), routes_before);
  EXPECT_EQ(host_addresses(), addresses_before);
  for (const char* node : {"r1", "r4", "x1", "x2", "h1", "h2"}) {
    SCOPED_TRACE(node);
    // Only the lab's own links: lo and the veths the topology gives.
    auto links = in_node(lab, node, {"ip", "-o", "link", "show"});
    std::istringstream lines(links.out);
    for (std::string line; std::getline(lines, line);) {
      EXPECT_TRUE(line.find(": lo:") != std::string::npos ||
                  line.find(": eth") != std::string::npos)
          << line;
    }
  }
  // The host's own addresses are unreachable from inside: h1's default route leads into
  // the lab and nowhere else.
  std::istringstream addresses(addresses_before);
  for (std::string line; std::getline(addresses, line);) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string word; words >> word;) w.push_back(word);
    if (w.size() < 4 || w[2] != "inet" || w[3].rfind("127.", 0) == 0) continue;
    std::string address = w[3].substr(0, w[3].find('/'));
    auto ping = in_node(lab, "h1", {"ping", "-n", "-c1", "-W1", address});
    EXPECT_NE(ping.exit_code, 0) << "h1 reached the host's " << address;
  }
  EXPECT_EQ(blastlab({"down", lab}).exit_code, 0);
}

TEST_F(ClabTest, AHostLinkDownShowsReachabilityLostAndRegainedInTheReport) {
  std::string out = run_dir_ + "/out-clab";
  auto result = blastlab(
      {"run", source_path("topologies/ospf-bgp.clab.yml"),
       source_path("scripts/ospf-bgp-host-down.yaml"), "--out", out, "--name", lab_name("hdown")},
      std::chrono::seconds(180));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  json report = json::parse(read_text(out + "/report.json"), nullptr, false);
  ASSERT_TRUE(report.is_object()) << "no report.json in " << out;
  EXPECT_EQ(report["verdict"], "pass") << report["verdict_reasons"].dump();
  double change = report["run"]["change_s"].get<double>();
  double rollback = report["run"]["rollback_s"].get<double>();
  const json& reach = report["reachability"];
  ASSERT_EQ(reach["pairs"].size(), 2u) << reach.dump();
  EXPECT_EQ(reach["pairs_lost"], 2);
  for (const auto& p : reach["pairs"]) {
    SCOPED_TRACE(p.dump());
    ASSERT_FALSE(p["outages"].empty());
    double from = p["outages"][0]["start_s"].get<double>();
    double to = p["outages"][0]["end_s"].get<double>();
    EXPECT_GE(from, change);
    EXPECT_LT(from, rollback);
    EXPECT_GT(to, rollback) << "regained before the link came back";
    EXPECT_LT(to, rollback + 10);
  }
  EXPECT_TRUE(report["recovery"]["reachability_s"].is_number()) << report["recovery"].dump();
}

// A user network running IS-IS alone: `up` returns once the adjacencies are Up and the
// routes have held still, so the routes are all there the moment it returns.
TEST_F(ClabTest, AnIsisNetworkIsUpWithEveryRouteTheMomentUpReturns) {
  std::string lab = lab_name("isis");
  auto up = blastlab({"up", source_path("tests/data/isis/lab.yaml"), "--name", lab},
                     std::chrono::seconds(60));
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  // r1 - eth1 - r2 - eth2 - r3; r2's own eth2 subnet is 198.19.0.2/31.
  std::map<std::string, Table> want = {
      {"r1",
       {{"198.18.0.2/32", {"isis", {"eth1"}}},
        {"198.18.0.3/32", {"isis", {"eth1"}}},
        {"198.19.0.2/31", {"isis", {"eth1"}}}}},
      {"r3",
       {{"198.18.0.1/32", {"isis", {"eth1"}}},
        {"198.18.0.2/32", {"isis", {"eth1"}}},
        {"198.19.0.0/31", {"isis", {"eth1"}}}}},
  };
  for (const auto& [node, routes] : want) {
    auto r = in_node(lab, node, {"ip", "-o", "-4", "route"});
    EXPECT_EQ(parse_routes(r.out), routes) << node << ":\n" << r.out;
  }
  EXPECT_EQ(blastlab({"down", lab}).exit_code, 0);
}

}  // namespace
}  // namespace blastlab::testing
