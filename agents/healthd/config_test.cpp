// Config validation: a good file loads; every bad one is rejected naming file and field.
#include "agents/healthd/config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "agents/healthd/test_fakes.hpp"

namespace blastlab::healthd {
namespace {

using json = nlohmann::json;

json good() {
  return json::parse(R"({
    "node": "dns1", "pathspace": "minimal_dns1", "vtysh": "/usr/bin/vtysh", "asn": 65001,
    "prefixes": ["198.51.100.0/26"], "degrade_route_map": "HEALTHD-DEGRADE",
    "targets": [{"name": "dc1", "address": "198.18.0.1"}],
    "checks": ["tcp", "icmp", "dns"], "port": 80,
    "dns": {"server": "198.51.100.12", "zone": "example.net"},
    "interval_ms": 1000, "timeout_ms": 500, "rise": 2, "fall": 3,
    "action": "fail-static", "events": "/run/blastlab/lab1/events/healthd-dns1.jsonl"})");
}

// The one problem parsing `config` reports, or a failure listing them all.
std::string only_problem(const json& config) {
  try {
    parse_config(config.dump(), "h.json");
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.problems().size(), 1u) << e.what();
    return e.problems().empty() ? "" : e.problems()[0];
  }
  ADD_FAILURE() << "accepted " << config.dump();
  return "";
}

TEST(HealthdConfigTest, ReadsEveryField) {
  Config c = parse_config(good().dump(), "h.json");
  EXPECT_EQ(c.node, "dns1");
  EXPECT_EQ(c.pathspace, "minimal_dns1");
  EXPECT_EQ(c.asn, 65001u);
  EXPECT_EQ(c.prefixes, std::vector<std::string>{"198.51.100.0/26"});
  EXPECT_EQ(c.degrade_route_map, "HEALTHD-DEGRADE");
  ASSERT_EQ(c.targets.size(), 1u);
  EXPECT_EQ(c.targets[0].address, "198.18.0.1");
  EXPECT_EQ(c.checks, (std::vector<CheckKind>{CheckKind::kTcp, CheckKind::kIcmp, CheckKind::kDns}));
  EXPECT_EQ(c.remote_checks(), (std::vector<CheckKind>{CheckKind::kTcp, CheckKind::kIcmp}));
  ASSERT_TRUE(c.dns);
  EXPECT_EQ(c.dns->zone, "example.net");
  EXPECT_EQ(c.interval.count(), 1000);
  EXPECT_EQ(c.timeout.count(), 500);
  EXPECT_EQ(c.rise, 2);
  EXPECT_EQ(c.fall, 3);
  EXPECT_EQ(c.action, Action::kFailStatic);
}

TEST(HealthdConfigTest, VtyshConfigDirIsOptional) {
  EXPECT_EQ(parse_config(good().dump(), "h.json").vtysh_config_dir, "");
  json j = good();
  j["vtysh_config_dir"] = "/run/blastlab/lab1/vtysh";
  EXPECT_EQ(parse_config(j.dump(), "h.json").vtysh_config_dir, "/run/blastlab/lab1/vtysh");
  j["vtysh_config_dir"] = "";
  EXPECT_EQ(only_problem(j), "h.json: vtysh_config_dir: is empty; give a non-empty string");
}

// A container of an exported lab has one FRR, reached without -N, which already announces
// the prefixes when healthd starts.
TEST(HealthdConfigTest, PathspaceAndAnnouncedAtStartAreOptional) {
  EXPECT_FALSE(parse_config(good().dump(), "h.json").announced_at_start);
  json j = good();
  j.erase("pathspace");
  j["announced_at_start"] = true;
  Config c = parse_config(j.dump(), "h.json");
  EXPECT_EQ(c.pathspace, "");
  EXPECT_TRUE(c.announced_at_start);
  j["announced_at_start"] = "yes";
  EXPECT_EQ(only_problem(j), "h.json: announced_at_start: is string \"yes\"; give true or false");
}

TEST(HealthdConfigTest, DnsIsOptionalWithoutTheDnsCheck) {
  json j = good();
  j["checks"] = {"http"};
  j.erase("dns");
  EXPECT_FALSE(parse_config(j.dump(), "h.json").dns);
}

struct BadCase {
  const char* what;
  std::function<void(json&)> change;
  const char* expected;  // the start of the problem line
};

TEST(HealthdConfigTest, EachBadFieldIsNamed) {
  std::vector<BadCase> cases = {
      {"missing", [](json& j) { j.erase("node"); }, "h.json: node: missing; give a non-empty"},
      {"empty", [](json& j) { j["vtysh"] = ""; }, "h.json: vtysh: is empty"},
      {"mistyped", [](json& j) { j["asn"] = "65001"; }, "h.json: asn: is string"},
      {"asn 0", [](json& j) { j["asn"] = 0; }, "h.json: asn: 0 is out of range"},
      {"rise 0", [](json& j) { j["rise"] = 0; }, "h.json: rise: 0 is out of range; give a whole"},
      {"fall float", [](json& j) { j["fall"] = 2.5; }, "h.json: fall: is number 2.5"},
      {"port", [](json& j) { j["port"] = 70000; }, "h.json: port: 70000 is out of range"},
      {"bad prefix", [](json& j) { j["prefixes"][0] = "198.51.100/26"; },
       "h.json: prefixes[0]: \"198.51.100/26\" is not an IPv4 prefix"},
      {"host bits", [](json& j) { j["prefixes"][0] = "198.51.100.1/26"; },
       "h.json: prefixes[0]: '198.51.100.1/26' has host bits set; give the network, "
       "198.51.100.0/26"},
      {"no prefixes", [](json& j) { j["prefixes"] = json::array(); }, "h.json: prefixes: is empty"},
      {"unknown check", [](json& j) { j["checks"][1] = "ping"; },
       "h.json: checks[1]: unknown check \"ping\"; allowed: tcp, icmp, http, dns"},
      {"check twice", [](json& j) { j["checks"][1] = "tcp"; }, "h.json: checks[1]: check 'tcp'"},
      {"no action", [](json& j) { j.erase("action"); },
       "h.json: action: missing; give one of withdraw, degrade, fail-static"},
      {"unknown action", [](json& j) { j["action"] = "panic"; },
       "h.json: action: unknown action 'panic'; allowed: withdraw, degrade, fail-static"},
      {"target address", [](json& j) { j["targets"][0]["address"] = "dc1"; },
       "h.json: targets[0].address: 'dc1' is not an IPv4 address"},
      {"target local", [](json& j) { j["targets"][0]["name"] = "local"; },
       "h.json: targets[0].name: 'local' is reserved"},
      {"target twice", [](json& j) { j["targets"].push_back(j["targets"][0]); },
       "h.json: targets[1].name: 'dc1' is used twice"},
      {"dns missing", [](json& j) { j.erase("dns"); }, "h.json: dns: missing; checks has dns"},
      {"dns server", [](json& j) { j["dns"]["server"] = "ns1"; }, "h.json: dns.server: 'ns1'"},
      {"dns zone", [](json& j) { j["dns"]["zone"] = "a..b"; }, "h.json: dns.zone: 'a..b' is not"},
      {"timeout", [](json& j) { j["timeout_ms"] = 1000; },
       "h.json: timeout_ms: 1000 is not shorter than interval_ms 1000"},
      {"route-map", [](json& j) { j["degrade_route_map"] = "A B"; },
       "h.json: degrade_route_map: 'A B' is not a route-map name"},
      {"unknown field", [](json& j) { j["intervall_ms"] = 5; },
       "h.json: intervall_ms: unknown field; allowed: node,"},
  };
  for (const BadCase& c : cases) {
    json j = good();
    c.change(j);
    std::string problem = only_problem(j);
    EXPECT_EQ(problem.rfind(c.expected, 0), 0u) << c.what << ": got " << problem;
  }
}

json good_guard() {
  return json::parse(R"({"min_sites": 1, "port": 5301, "address": "198.18.0.9",
    "peers": [{"name": "dns2", "address": "198.18.0.13"},
              {"name": "dns3", "address": "198.18.0.17"}]})");
}

TEST(HealthdConfigTest, GuardIsOptional) {
  EXPECT_FALSE(parse_config(good().dump(), "h.json").guard);
  json j = good();
  j["guard"] = good_guard();
  Config c = parse_config(j.dump(), "h.json");
  ASSERT_TRUE(c.guard);
  EXPECT_EQ(c.guard->min_sites, 1);
  EXPECT_EQ(c.guard->port, 5301);
  EXPECT_EQ(c.guard->address, "198.18.0.9");
  ASSERT_EQ(c.guard->peers.size(), 2u);
  EXPECT_EQ(c.guard->peers[1].name, "dns3");
  EXPECT_EQ(c.guard->peers[1].address, "198.18.0.17");
}

TEST(HealthdConfigTest, EachBadGuardFieldIsNamed) {
  std::vector<BadCase> cases = {
      {"not an object", [](json& j) { j["guard"] = 2; },
       "h.json: guard: is number 2; give an object"},
      {"no min_sites", [](json& j) { j["guard"].erase("min_sites"); },
       "h.json: guard.min_sites: missing; give a whole number from 1 to 1000"},
      {"min_sites 0", [](json& j) { j["guard"]["min_sites"] = 0; },
       "h.json: guard.min_sites: 0 is out of range"},
      {"min_sites too many", [](json& j) { j["guard"]["min_sites"] = 3; },
       "h.json: guard.min_sites: 3 is more than the 2 peer(s) listed; a site can see at most "
       "every other site announcing, so give 1 to 2"},
      {"no port", [](json& j) { j["guard"].erase("port"); }, "h.json: guard.port: missing"},
      {"port 0", [](json& j) { j["guard"]["port"] = 0; },
       "h.json: guard.port: 0 is out of range; give a whole number from 1 to 65535"},
      {"no address", [](json& j) { j["guard"].erase("address"); },
       "h.json: guard.address: missing"},
      {"bad address", [](json& j) { j["guard"]["address"] = "dns1"; },
       "h.json: guard.address: 'dns1' is not an IPv4 address"},
      {"no peers", [](json& j) { j["guard"].erase("peers"); },
       "h.json: guard.peers: missing; give a non-empty list"},
      {"empty peers", [](json& j) { j["guard"]["peers"] = json::array(); },
       "h.json: guard.peers: is empty; give every other DNS site"},
      {"peer not object", [](json& j) { j["guard"]["peers"][0] = "dns2"; },
       "h.json: guard.peers[0]: is string; give {\"name\": ..., \"address\": ...}"},
      {"peer without name", [](json& j) { j["guard"]["peers"][0].erase("name"); },
       "h.json: guard.peers[0].name: missing"},
      {"peer bad address", [](json& j) { j["guard"]["peers"][1]["address"] = "10.0.0"; },
       "h.json: guard.peers[1].address: '10.0.0' is not an IPv4 address"},
      {"peer bad name", [](json& j) { j["guard"]["peers"][1]["name"] = "dns 3"; },
       "h.json: guard.peers[1].name: 'dns 3' is not a node name"},
      {"peer is self", [](json& j) { j["guard"]["peers"][0]["name"] = "dns1"; },
       "h.json: guard.peers[0].name: 'dns1' is this node; list only the other sites"},
      {"peer twice", [](json& j) { j["guard"]["peers"][1]["name"] = "dns2"; },
       "h.json: guard.peers[1].name: 'dns2' is listed twice"},
      {"peer shares our address", [](json& j) { j["guard"]["peers"][0]["address"] = "198.18.0.9"; },
       "h.json: guard.peers[0].address: '198.18.0.9' is used twice"},
      {"peer unknown field", [](json& j) { j["guard"]["peers"][0]["port"] = 1; },
       "h.json: guard.peers[0].port: unknown field; allowed: name, address"},
      {"unknown field", [](json& j) { j["guard"]["min-sites"] = 1; },
       "h.json: guard.min-sites: unknown field; allowed: min_sites, port, address, peers"},
  };
  for (const BadCase& c : cases) {
    json j = good();
    j["guard"] = good_guard();
    c.change(j);
    std::string problem = only_problem(j);
    EXPECT_EQ(problem.rfind(c.expected, 0), 0u) << c.what << ": got " << problem;
  }
}

TEST(HealthdConfigTest, ReportsEveryProblemAtOnce) {
  json j = good();
  j["rise"] = 0;
  j["action"] = "panic";
  j.erase("events");
  try {
    parse_config(j.dump(), "h.json");
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.problems().size(), 3u) << e.what();
  }
}

TEST(HealthdConfigTest, SyntaxErrorGivesTheBytePosition) {
  try {
    parse_config("{\"node\": \"dns1\",, }", "h.json");
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    std::string what = e.what();
    EXPECT_EQ(what.rfind("h.json: (syntax): not valid JSON at byte 17: ", 0), 0u) << what;
  }
}

TEST(HealthdConfigTest, TopLevelMustBeAnObject) {
  EXPECT_THROW(parse_config("[1, 2]", "h.json"), ConfigError);
}

TEST(HealthdConfigTest, UnreadableFileIsNamed) {
  try {
    load_config("/nonexistent/healthd.json");
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    std::string what = e.what();
    EXPECT_EQ(what,
              "/nonexistent/healthd.json: (file): cannot read: No such file or directory, "
              "give a readable JSON file");
  }
}

TEST(HealthdConfigTest, LoadsFromAFile) {
  testing::TempDir dir;
  std::ofstream(dir.file("h.json")) << good().dump(2);
  EXPECT_EQ(load_config(dir.file("h.json")).node, "dns1");
}

}  // namespace
}  // namespace blastlab::healthd
