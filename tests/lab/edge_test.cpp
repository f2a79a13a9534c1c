// Root tests of the living lab on minimal.yaml: FRR converges, the anycast DNS answers
// through the client's resolver and straight at the anycast address, and the health checks
// behave as in October 2021: cut one PoP off the data centers and only its site withdraws
// while DNS keeps answering from the other; cut every PoP and every site withdraws, the
// peers lose the anycast prefix and the resolver answers SERVFAIL, until the links return.
// With fail-static the same cut leaves the prefix announced and DNS answering.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "tests/lab/lab_fixture.hpp"

namespace blastlab::testing {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kAnycastPrefix = "198.51.100.0/26";
constexpr const char* kNameServer = "198.51.100.12";

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct DigAnswer {
  std::string status;  // NOERROR, SERVFAIL, ..., or "no answer" when dig got none
  std::string answer;  // the first A record's address
  std::string nsid;    // which anycast site answered, when asked
};

class EdgeTest : public LabTest {
 protected:
  void up_lab(const std::string& topology_path) {
    lab_ = lab_name("edge");
    auto result = blastlab({"up", topology_path, "--name", lab_, "--timeout", "60s"}, 90s);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  }

  DigAnswer dig(const std::string& node, const std::string& server, const std::string& name,
                bool nsid = false) {
    std::vector<std::string> argv = {"dig", "+tries=1", "+time=1", "@" + server, name, "A"};
    if (nsid) argv.push_back("+nsid");
    auto r = in_node(lab_, node, argv, 10s);
    DigAnswer a;
    std::smatch m;
    if (std::regex_search(r.out, m, std::regex("status: ([A-Z]+)"))) {
      a.status = m[1];
    } else {
      a.status = "no answer";
    }
    if (std::regex_search(r.out, m, std::regex(name + "\\.\\s+\\d+\\s+IN\\s+A\\s+(\\S+)")))
      a.answer = m[1];
    if (std::regex_search(r.out, m, std::regex("NSID: [0-9a-f ]+\\(\"([^\"]+)\"\\)")))
      a.nsid = m[1];
    return a;
  }

  // A name no cache has seen: the resolver must ask the anycast servers every time.
  std::string fresh_name() { return "q" + std::to_string(++queries_) + ".probe.example.net"; }

  bool has_route(const std::string& node, const std::string& prefix) {
    auto r = in_node(lab_, node, {"ip", "-4", "route", "show", "exact", prefix});
    return r.exit_code == 0 && r.out.find(prefix.substr(0, prefix.find('/'))) != std::string::npos;
  }

  // Polls until `ok` holds; on timeout fails naming what it waited for and what it saw.
  void wait_for(const std::string& what, std::chrono::milliseconds deadline,
                const std::function<bool(std::string&)>& ok) {
    auto end = Clock::now() + deadline;
    std::string seen;
    while (Clock::now() < end) {
      if (ok(seen)) return;
      std::this_thread::sleep_for(100ms);
    }
    FAIL() << "waited " << deadline.count() << " ms for " << what << "; last seen: " << seen;
  }

  std::vector<json> healthd_events(const std::string& node) {
    std::vector<json> events;
    std::ifstream in(run_dir_ + "/" + lab_ + "/events/healthd-" + node + ".jsonl");
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) events.push_back(json::parse(line, nullptr, false));
    }
    return events;
  }

  // The ts of the first event of kind `event` at or after `since_us`, or 0.
  int64_t first_event(const std::string& node, const std::string& event, int64_t since_us,
                      const std::string& state = "") {
    for (const auto& e : healthd_events(node)) {
      if (!e.is_object() || e.value("event", "") != event || e.value("ts", int64_t{0}) < since_us)
        continue;
      if (!state.empty() && e.value("state", "") != state) continue;
      return e.value("ts", int64_t{0});
    }
    return 0;
  }

  void set_link(const std::string& a, const std::string& b, const std::string& state) {
    auto r = blastlab({"link", lab_, a, b, state});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }

  void expect_dns_answers(const std::string& why) {
    wait_for("the resolver on client1 to answer NOERROR " + why, 10s, [&](std::string& seen) {
      auto a = dig("client1", "127.0.0.1", fresh_name());
      seen = a.status;
      return a.status == "NOERROR" && a.answer == "192.0.2.81";
    });
  }

  // minimal.yaml with another health action, written into this test's directory.
  std::string minimal_with_action(const std::string& action) {
    std::ifstream in(source_path("topologies/minimal.yaml"));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto at = text.find("action: withdraw");
    EXPECT_NE(at, std::string::npos) << "minimal.yaml no longer says `action: withdraw`";
    if (at != std::string::npos)
      text.replace(at, std::string("action: withdraw").size(), "action: " + action);
    return write_file(action + ".yaml", text);
  }

  std::string lab_;
  int queries_ = 0;
};

TEST_F(EdgeTest, MinimalConvergesAndAnswersDnsThroughResolverAndAnycast) {
  up_lab(source_path("topologies/minimal.yaml"));
  // Converged means routed; the resolver's first answer and the last best-path choices may
  // take a moment more, which each wait bounds.
  wait_for("the resolver to answer www.example.net with 192.0.2.80", 5s, [&](std::string& seen) {
    auto a = dig("client1", "127.0.0.1", "www.example.net");
    seen = a.status + " " + a.answer;
    return a.status == "NOERROR" && a.answer == "192.0.2.80";
  });
  // client1 hangs off transit1, which reaches pop1 directly: the nearest site answers.
  wait_for("the anycast address to answer from dns1, the nearest site", 5s, [&](std::string& seen) {
    auto a = dig("client1", kNameServer, "www.example.net", true);
    seen = a.status + " " + a.answer + " from " + a.nsid;
    return a.status == "NOERROR" && a.answer == "192.0.2.80" && a.nsid == "dns1";
  });
  for (const char* peer : {"transit1", "transit2"}) {
    EXPECT_TRUE(has_route(peer, kAnycastPrefix)) << peer;
    EXPECT_TRUE(has_route(peer, "198.51.100.0/24")) << peer;
  }
  auto status = blastlab({"status", lab_, "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  auto s = json::parse(status.out);
  EXPECT_TRUE(s["healthy"].get<bool>()) << status.out;
  auto config = blastlab({"config", lab_, "pop1"});
  EXPECT_NE(config.out.find("router bgp 64500"), std::string::npos) << config.out;
  auto vtysh = blastlab({"vtysh", lab_, "pop1", "-c", "show bgp summary"});
  EXPECT_EQ(vtysh.exit_code, 0) << vtysh.err;
  EXPECT_NE(vtysh.out.find("dns1"), std::string::npos) << vtysh.out;
  // The resolver's statistics, on the node's own loopback; no socket file whose path a
  // long run directory could cut.
  auto stats = blastlab({"exec", lab_, "client1", "--", "unbound-control", "-c",
                         run_dir_ + "/" + lab_ + "/nodes/client1/unbound.conf", "stats_noreset"});
  EXPECT_EQ(stats.exit_code, 0) << stats.out << stats.err;
  EXPECT_NE(stats.out.find("total.num.queries="), std::string::npos) << stats.out;
}

TEST_F(EdgeTest, CuttingOnePopWithdrawsOnlyThatSiteAndDnsKeepsAnswering) {
  up_lab(source_path("topologies/minimal.yaml"));
  int64_t cut = now_us();
  set_link("bb1", "pop1", "down");
  // interval 1 s x fall 3, plus 1 s.
  constexpr int64_t kBudgetUs = 4'000'000;
  wait_for("dns1's healthd to withdraw", 10s, [&](std::string& seen) {
    int64_t ts = first_event("dns1", "withdraw", cut);
    seen = ts ? std::to_string(ts - cut) + " us after the cut" : "no withdraw event";
    return ts != 0;
  });
  int64_t withdrawn = first_event("dns1", "withdraw", cut);
  EXPECT_LE(withdrawn - cut, kBudgetUs) << "withdrawal took " << (withdrawn - cut) << " us";
  EXPECT_EQ(first_event("dns2", "withdraw", cut), 0) << "dns2 still reaches the data center";
  for (const char* peer : {"transit1", "transit2"})
    EXPECT_TRUE(has_route(peer, kAnycastPrefix)) << peer << " lost the anycast prefix";
  expect_dns_answers("through the other site");
  wait_for("the anycast address to answer from dns2", 5s, [&](std::string& seen) {
    auto a = dig("client1", kNameServer, "www.example.net", true);
    seen = a.status + " from " + a.nsid;
    return a.status == "NOERROR" && a.nsid == "dns2";
  });
}

TEST_F(EdgeTest, CuttingEveryPopWithdrawsEverySiteUntilTheLinksReturn) {
  up_lab(source_path("topologies/minimal.yaml"));
  int64_t cut = now_us();
  set_link("bb1", "pop1", "down");
  set_link("bb2", "pop2", "down");
  for (const char* dns : {"dns1", "dns2"}) {
    wait_for(std::string(dns) + "'s healthd to withdraw", 10s, [&](std::string& seen) {
      seen = "no withdraw event";
      return first_event(dns, "withdraw", cut) != 0;
    });
  }
  for (const char* peer : {"transit1", "transit2"}) {
    wait_for(std::string(peer) + " to lose " + kAnycastPrefix, 10s,
             [&](std::string&) { return !has_route(peer, kAnycastPrefix); });
  }
  wait_for("the resolver to answer SERVFAIL", 15s, [&](std::string& seen) {
    seen = dig("client1", "127.0.0.1", fresh_name()).status;
    return seen == "SERVFAIL";
  });

  int64_t restored = now_us();
  set_link("bb1", "pop1", "up");
  set_link("bb2", "pop2", "up");
  for (const char* dns : {"dns1", "dns2"}) {
    wait_for(std::string(dns) + "'s healthd to announce again", 20s,
             [&](std::string&) { return first_event(dns, "announce", restored) != 0; });
  }
  for (const char* peer : {"transit1", "transit2"}) {
    wait_for(std::string(peer) + " to learn " + kAnycastPrefix + " again", 15s,
             [&](std::string&) { return has_route(peer, kAnycastPrefix); });
  }
  expect_dns_answers("after the links returned");
}

TEST_F(EdgeTest, FailStaticKeepsThePrefixAndDnsWhenEveryBackendFails) {
  up_lab(minimal_with_action("fail-static"));
  int64_t cut = now_us();
  set_link("bb1", "pop1", "down");
  set_link("bb2", "pop2", "down");
  for (const char* dns : {"dns1", "dns2"}) {
    wait_for(std::string(dns) + " to report fail-static", 10s,
             [&](std::string&) { return first_event(dns, "site", cut, "fail-static") != 0; });
    EXPECT_EQ(first_event(dns, "withdraw", cut), 0) << dns << " withdrew under fail-static";
  }
  for (const char* peer : {"transit1", "transit2"})
    EXPECT_TRUE(has_route(peer, kAnycastPrefix)) << peer << " lost the anycast prefix";
  expect_dns_answers("with every backend down");
}

// degrade keeps the site announced with a longer AS path: the world still sees the prefix
// but prefers the other site, so transit1 now forwards toward transit2.
TEST_F(EdgeTest, DegradeKeepsThePrefixButTheWorldPrefersTheOtherSite) {
  up_lab(minimal_with_action("degrade"));
  auto route_dev = [&](std::string& seen) {
    auto r = in_node(lab_, "transit1", {"ip", "-4", "route", "show", "exact", kAnycastPrefix});
    seen = r.out;
    return r.out;
  };
  wait_for("transit1 to forward the anycast prefix to pop1", 5s, [&](std::string& seen) {
    return route_dev(seen).find("dev pop1") != std::string::npos;
  });
  int64_t cut = now_us();
  set_link("bb1", "pop1", "down");
  wait_for("dns1's healthd to degrade", 10s,
           [&](std::string&) { return first_event("dns1", "degrade", cut) != 0; });
  EXPECT_EQ(first_event("dns1", "withdraw", cut), 0) << "dns1 withdrew under degrade";
  wait_for("transit1 to prefer transit2's shorter path", 5s, [&](std::string& seen) {
    return route_dev(seen).find("dev transit2") != std::string::npos;
  });
  auto paths = blastlab({"vtysh", lab_, "transit1", "-c", "show bgp ipv4 unicast 198.51.100.0/26"});
  EXPECT_NE(paths.out.find("64500 65001 65001 65001 65001"), std::string::npos)
      << "pop1's path should still be there, prepended:\n"
      << paths.out;
  expect_dns_answers("while dns1 is degraded");
}

TEST_F(EdgeTest, ADaemonThatDiesShowsInStatus) {
  up_lab(source_path("topologies/minimal.yaml"));
  auto status = [&] {
    auto r = blastlab({"status", lab_, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  };
  pid_t victim = 0;
  auto before = status();
  for (const auto& node : before["nodes"]) {
    if (node["name"] != "transit2") continue;
    for (const auto& p : node["processes"])
      if (p["what"] == "bgpd") victim = p["pid"].get<pid_t>();
  }
  ASSERT_GT(victim, 0) << "no bgpd recorded on transit2";
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  wait_for("status to show transit2's bgpd dead", 5s, [&](std::string& seen) {
    auto s = status();
    seen = s.dump();
    for (const auto& node : s["nodes"]) {
      if (node["name"] != "transit2") continue;
      for (const auto& p : node["processes"])
        if (p["what"] == "bgpd" && !p["running"].get<bool>()) return !s["healthy"].get<bool>();
    }
    return false;
  });
  auto text = blastlab({"status", lab_});
  EXPECT_NE(text.out.find("bgpd:DEAD"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("DEGRADED"), std::string::npos) << text.out;
}

// healthd needs two passing rounds a second apart before a site announces, so no lab can
// converge in half a second: `up` must give up, say what was missing, and leave nothing.
TEST_F(EdgeTest, UpThatDoesNotConvergeNamesWhatIsMissingAndRemovesTheLab) {
  lab_ = lab_name("edge");
  auto r = blastlab(
      {"up", source_path("topologies/minimal.yaml"), "--name", lab_, "--timeout", "500ms"}, 60s);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("did not converge"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("198.51.100.0/26 (anycast) at transit1"), std::string::npos) << r.err;
  auto status = blastlab({"status", lab_});
  EXPECT_EQ(status.exit_code, 2) << "the lab should be gone: " << status.out;
  std::error_code ec;
  EXPECT_FALSE(std::filesystem::exists("/run/netns/" + lab_ + ".pop1", ec));
}

}  // namespace
}  // namespace blastlab::testing
