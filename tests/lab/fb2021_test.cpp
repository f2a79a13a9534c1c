// The reference experiment on the real lab. One `blastlab compare` runs five variants of
// scripts/fb-2021-whatifs.yaml on fresh fb-2021 labs: the change as it ran in 2021, healthd
// failing static, the audit tool without its bug, the guard and the staged rollout. The 2021
// run must tell the 2021 story: every site withdraws, every peer loses both DNS prefixes
// while the covering prefix stays, the clients' DNS through their resolvers drops to nothing
// during the outage and comes back after the rollback. Failing static keeps DNS answering;
// the fixed audit tool refuses the change, which then never runs; the guard holds every
// site; the staged rollout halts after the west and the east keeps DNS up.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/lab/lab_fixture.hpp"

namespace blastlab::testing {
namespace {

using nlohmann::json;

json read_json(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "no " << path;
  return json::parse(in, nullptr, false);
}

class Fb2021Test : public LabTest {};

TEST_F(Fb2021Test, TheReferenceExperimentAndItsSafeguards) {
  std::string out = run_dir_ + "/fb-2021";
  auto result = blastlab(
      {"compare", source_path("scripts/fb-2021-whatifs.yaml"), "--only",
       "as-in-2021,fail-static,audit-fixed,guard,staged", "--out", out, "--name", lab_name("fb")},
      std::chrono::seconds(600));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;

  // As in 2021: every site withdraws after the change.
  json report = read_json(out + "/as-in-2021/report.json");
  ASSERT_TRUE(report.is_object());
  double change = report["run"]["change_s"].get<double>();
  double rollback = report["run"]["rollback_s"].get<double>();
  ASSERT_EQ(report["sites"].size(), 8u);
  for (const auto& site : report["sites"]) {
    EXPECT_TRUE(site["withdrawn"].get<bool>()) << site.dump();
    EXPECT_TRUE(site["reannounced_after"]["measured_s"].is_number()) << site.dump();
  }
  // Every peer loses both DNS prefixes; the covering prefix stays everywhere.
  std::set<std::string> peers;
  int anycast_lost = 0;
  for (const auto& route : report["routes"]) {
    peers.insert(route["vantage"].get<std::string>());
    EXPECT_TRUE(route["present_at_start"].get<bool>()) << route.dump();
    if (route["kind"] == "anycast") {
      EXPECT_TRUE(route["lost"].get<bool>()) << route.dump();
      EXPECT_TRUE(route["regained_after"]["measured_s"].is_number()) << route.dump();
      ++anycast_lost;
    }
    if (route["kind"] == "covering") {
      // Path exploration may take it away for tens of milliseconds (1 run in 3 here); it is
      // back by itself long before the rollback.
      EXPECT_LT(route["absent_s"].get<double>(), 1.0) << route.dump();
      for (const auto& window : route["absent_windows"]) {
        ASSERT_TRUE(window["end_s"].is_number()) << route.dump();
        EXPECT_LT(window["end_s"].get<double>(), rollback) << route.dump();
      }
    }
  }
  EXPECT_EQ(peers, (std::set<std::string>{"tr1", "tr2", "tr3", "ix1"}));
  EXPECT_EQ(anycast_lost, 8);  // 2 prefixes x 4 peers
  // Every client's DNS through its resolver drops to nothing between the change and the
  // rollback, and answers again at the end.
  int resolvers = 0;
  for (const auto& client : report["clients"]) {
    if (client["target"] != "resolver") continue;
    ++resolvers;
    const auto& buckets = client["success_by_bucket"];
    double bucket_s = report["run"]["bucket_s"].get<double>();
    bool zero_during_outage = false;
    for (size_t i = 0; i < buckets.size(); ++i) {
      double at = double(i) * bucket_s;
      if (at > change && at + bucket_s < rollback && buckets[i].get<double>() == 0.0)
        zero_during_outage = true;
    }
    EXPECT_TRUE(zero_during_outage) << client.dump();
    ASSERT_FALSE(buckets.empty());
    EXPECT_EQ(buckets[buckets.size() - 2].get<double>(), 1.0) << client.dump();
    EXPECT_TRUE(client["recovered_after_rollback_s"].is_number()) << client.dump();
  }
  EXPECT_EQ(resolvers, 4);
  EXPECT_TRUE(report["recovery"]["complete"].get<bool>());

  // Failing static: DNS keeps answering.
  json fail_static = read_json(out + "/fail-static/report.json");
  EXPECT_GE(fail_static["dns_success_ratio"].get<double>(), 0.99) << fail_static["clients"].dump();
  EXPECT_EQ(fail_static["blast_radius"]["sites_withdrawn"], 0);

  // The audit tool without its bug: the change is refused and never runs.
  json fixed = read_json(out + "/audit-fixed/report.json");
  std::map<std::string, std::string> states;
  for (const auto& step : fixed["steps"])
    states[step["name"].get<std::string>()] = step["state"].get<std::string>();
  EXPECT_EQ(states["audit-tool"], "refused");
  EXPECT_EQ(states["capacity-assessment"], "skipped");
  EXPECT_FALSE(fixed["run"]["change_s"].is_number()) << fixed["run"].dump();
  EXPECT_EQ(fixed["blast_radius"]["sites_withdrawn"], 0);
  for (const auto& site : fixed["sites"]) EXPECT_FALSE(site["withdrawn"].get<bool>());

  // The guard: no site withdraws, each says it is held, DNS keeps answering.
  json guard = read_json(out + "/guard/report.json");
  EXPECT_EQ(guard["blast_radius"]["sites_withdrawn"], 0);
  EXPECT_GE(guard["dns_success_ratio"].get<double>(), 0.99);
  std::ifstream guard_events(out + "/guard/events.jsonl");
  std::set<std::string> guarded;
  for (std::string line; std::getline(guard_events, line);) {
    auto e = json::parse(line, nullptr, false);
    if (e.is_object() && e.value("agent", "") == "healthd" && e.value("event", "") == "site" &&
        e.value("state", "") == "guarded")
      guarded.insert(e.value("node", ""));
  }
  EXPECT_EQ(guarded.size(), 8u);
  for (const auto& site : guard["sites"]) EXPECT_TRUE(site["guarded"].get<bool>()) << site.dump();

  // The staged rollout: the west's sites withdraw, the gate halts before the east is
  // touched, and the clients' DNS keeps answering.
  json staged = read_json(out + "/staged/report.json");
  std::map<std::string, std::string> stage_states;
  for (const auto& step : staged["steps"])
    stage_states[step["name"].get<std::string>()] = step["state"].get<std::string>();
  EXPECT_EQ(stage_states["gate-west"], "halted");
  EXPECT_EQ(stage_states["stage-east"], "skipped");
  for (const auto& site : staged["sites"]) {
    std::string node = site["node"].get<std::string>();
    bool west = node <= "dns4";
    EXPECT_EQ(site["withdrawn"].get<bool>(), west) << site.dump();
  }
  EXPECT_GE(staged["dns_success_ratio"].get<double>(), 0.99);

  // The comparison names the five, the reference first.
  json comparison = read_json(out + "/compare.json");
  ASSERT_EQ(comparison["variants"].size(), 5u) << comparison.dump();
  EXPECT_EQ(comparison["variants"][0]["name"], "as-in-2021");
  EXPECT_TRUE(std::filesystem::exists(out + "/compare.html"));
  EXPECT_NE(result.out.find("as-in-2021"), std::string::npos);
}

}  // namespace
}  // namespace blastlab::testing
