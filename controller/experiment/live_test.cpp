#include "controller/experiment/live.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace blastlab::experiment {
namespace {

measure::Event event(int64_t ts, const std::string& agent, const std::string& node,
                     const std::string& kind, nlohmann::json fields) {
  fields["ts"] = ts;
  fields["agent"] = agent;
  fields["node"] = node;
  fields["event"] = kind;
  return {ts, agent, node, kind, fields};
}

measure::Event query(int64_t sent, bool ok) {
  return event(sent, "dnsprobe", "client1", "query",
               {{"target", "resolver"}, {"result", ok ? "ok" : "servfail"}});
}

TEST(LiveViewTest, StreaksFollowSendTimeNotArrival) {
  LiveView view("/nonexistent");
  view.add(query(1, true));
  view.add(query(3, false));
  view.add(query(4, false));
  EXPECT_EQ(view.dns_streak("client1", 2), false);
  view.add(query(2, false));  // a late timeout, sent before the others
  EXPECT_EQ(view.dns_streak("client1", 3), false);
  EXPECT_EQ(view.dns_streak("client1", 4), std::nullopt);
  EXPECT_EQ(view.dns_streak("client9", 1), std::nullopt);
  view.add(query(5, true));
  EXPECT_EQ(view.dns_streak("client1", 1), true);
  EXPECT_DOUBLE_EQ(*view.dns_success_since(3), 1.0 / 3);
}

TEST(LiveViewTest, TalliesEachClientsAnswersAndEachPairsProbesSinceATime) {
  LiveView view("/nonexistent");
  view.add(query(1, true));
  view.add(query(2, false));
  view.add(query(3, true));
  auto dns = view.dns_since("client1", 2);
  EXPECT_EQ(dns.answered, 2);
  EXPECT_EQ(dns.ok, 1);
  EXPECT_EQ(view.dns_since("client9", 0).answered, 0);
  auto probe = [&](int64_t sent, const std::string& target, const std::string& result) {
    view.add(event(sent, "reachprobe", "dns3", "probe", {{"target", target}, {"result", result}}));
  };
  probe(1, "dc1", "timeout");
  probe(2, "dc1", "ok");
  probe(2, "dc4", "unreachable");
  auto dc1 = view.reach_since("dns3", "dc1", 1);
  EXPECT_EQ(dc1.answered, 2);
  EXPECT_EQ(dc1.ok, 1);
  EXPECT_EQ(view.reach_since("dns3", "dc4", 0).ok, 0);
  EXPECT_EQ(view.reach_since("dns3", "dc4", 0).answered, 1);
  EXPECT_EQ(view.reach_since("dc1", "dns3", 0).answered, 0);
}

TEST(LiveViewTest, CountsPrefixesAndSites) {
  LiveView view("/nonexistent");
  view.add(event(1, "routewatch", "t1", "start", {{"prefixes", {"a", "b"}}}));
  view.add(event(1, "routewatch", "t1", "dump", {{"present", {"a", "b"}}}));
  view.add(event(2, "routewatch", "t1", "route", {{"prefix", "a"}, {"action", "remove"}}));
  EXPECT_TRUE(view.has_reported("routewatch", "t1"));
  EXPECT_FALSE(view.has_reported("routewatch", "t2"));
  EXPECT_EQ(view.prefixes_watched(), 2);
  EXPECT_EQ(view.prefixes_present(), 1);
  view.add(event(1, "healthd", "dns1", "announce", {{"ok", true}}));
  view.add(event(1, "healthd", "dns2", "announce", {{"ok", true}}));
  view.add(event(2, "healthd", "dns2", "withdraw", {{"ok", true}}));
  EXPECT_EQ(view.sites_announcing(), 1);
  EXPECT_EQ(view.sites_seen(), 2);
}

TEST(LiveViewTest, FollowsFilesLineByLineAcrossPolls) {
  auto dir = std::filesystem::temp_directory_path() / ("live-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  LiveView view(dir.string());
  std::ofstream out(dir / "dnsprobe-client1.jsonl");
  out << query(1, false).data.dump() << "\n" << query(2, false).data.dump().substr(0, 20);
  out.flush();
  view.poll();
  EXPECT_EQ(view.dns_streak("client1", 1), false);
  EXPECT_EQ(view.dns_streak("client1", 2), std::nullopt);  // the second line is not complete
  out << query(2, false).data.dump().substr(20) << "\n";
  out.flush();
  view.poll();
  EXPECT_EQ(view.dns_streak("client1", 2), false);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace blastlab::experiment
