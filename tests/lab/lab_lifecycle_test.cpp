// Root tests of the lab lifecycle on real namespaces, through the real `blastlab` binary:
// every link pings after `up`, links go down and up, netem shows in the RTT, and `down`
// (also after SIGKILL or Ctrl-C in the middle of `up`) leaves the host as it was.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "controller/model/topology.hpp"
#include "tests/lab/lab_fixture.hpp"

namespace blastlab::testing {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

model::Topology minimal() {
  auto loaded = model::load_topology_file(source_path("topologies/minimal.yaml"));
  EXPECT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
  return *loaded.topology;
}

// The generated lab these tests build has every address planned.
std::string address_only(const std::optional<model::Ipv4Prefix>& p) {
  if (!p) return "(none)";
  return p->address.str();
}

// A chain of n backbone routers: big enough that `up` takes a while to build.
std::string chain_topology(int n) {
  std::string text = "name: chain\nnodes:\n";
  for (int i = 0; i < n; ++i) text += "  r" + std::to_string(i) + ": {role: backbone}\n";
  text += "links:\n";
  for (int i = 0; i + 1 < n; ++i)
    text += "  - [r" + std::to_string(i) + ", r" + std::to_string(i + 1) + "]\n";
  return text;
}

size_t namespaces_of(const std::string& lab) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns", ec))
    if (entry.path().filename().string().starts_with(lab + ".")) ++n;
  return n;
}

size_t journal_lines(const std::string& path) {
  std::ifstream in(path);
  size_t n = 0;
  std::string line;
  while (std::getline(in, line)) ++n;
  return n;
}

// ping's "rtt min/avg/max/mdev = a/b/c/d ms" summary: field 0 min, 1 avg, 2 max.
double rtt_field_ms(const std::string& ping_output, int field) {
  std::smatch m;
  static const std::regex rtt(R"(= ([0-9.]+)/([0-9.]+)/([0-9.]+)/)");
  if (!std::regex_search(ping_output, m, rtt)) return -1;
  return std::stod(m[field + 1]);
}

TEST_F(LabTest, UpPingsEveryLinkAndDownRestoresTheHost) {
  auto topo = minimal();
  ASSERT_EQ(topo.nodes.size(), 10u);
  std::string lab = lab_name("up");
  auto up = blastlab({"up", source_path("topologies/minimal.yaml"), "--name", lab});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;

  auto status = blastlab({"status", lab, "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  auto s = json::parse(status.out);
  EXPECT_EQ(s["state"], "up");
  EXPECT_TRUE(s["healthy"].get<bool>()) << status.out;
  EXPECT_EQ(s["nodes"].size(), 10u);

  for (const auto& link : topo.links) {
    auto r = in_node(lab, link.a.node, {"ping", "-n", "-c1", "-W2", address_only(link.b.address)});
    EXPECT_EQ(r.exit_code, 0) << link.a.node << " -> " << link.b.node << " ("
                              << link.b.address->str() << "): " << r.out << r.err;
    r = in_node(lab, link.b.node, {"ping", "-n", "-c1", "-W2", address_only(link.a.address)});
    EXPECT_EQ(r.exit_code, 0) << link.b.node << " -> " << link.a.node << ": " << r.out << r.err;
  }
  // Every node's loopback is configured and up.
  for (const auto& node : topo.nodes) {
    auto r = in_node(lab, node.name, {"ping", "-n", "-c1", "-W1", address_only(node.loopback)});
    EXPECT_EQ(r.exit_code, 0) << node.name << " loopback " << node.loopback->str();
  }

  auto down = blastlab({"down", lab});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_EQ(before_.diff(HostSnapshot::take()), "");
  EXPECT_FALSE(std::filesystem::exists(run_dir_ + "/" + lab));
}

TEST_F(LabTest, LinkDownBreaksPingAndUpRestoresIt) {
  auto topo = minimal();
  std::string lab = lab_name("lnk");
  ASSERT_EQ(blastlab({"up", source_path("topologies/minimal.yaml"), "--name", lab}).exit_code, 0);
  const auto* link = topo.links_of("pop1").front();  // bb1 - pop1
  const auto& far = link->a.node == "pop1" ? link->b : link->a;
  std::string target = address_only(far.address);
  ASSERT_TRUE(ping_until(lab, "pop1", target, true, 5s)) << "pop1 never reached " << target;

  auto r = blastlab({"link", lab, "bb1", "pop1", "down"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ping_until(lab, "pop1", target, false, 5s)) << "ping still works with the link down";
  auto s = json::parse(blastlab({"status", lab, "--json"}).out);
  EXPECT_FALSE(s["healthy"].get<bool>());

  r = blastlab({"link", lab, "bb1", "pop1", "up"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ping_until(lab, "pop1", target, true, 5s)) << "ping did not come back after link up";
  s = json::parse(blastlab({"status", lab, "--json"}).out);
  EXPECT_TRUE(s["healthy"].get<bool>());

  EXPECT_EQ(blastlab({"link", lab, "bb1", "nosuch", "down"}).exit_code, 2);
  EXPECT_EQ(blastlab({"link", lab, "bb1", "dns1", "down"}).exit_code, 2);  // not linked
}

// bb1's address on its link to bb2, as seen from bb2's side: pings from bb1 cross that link.
std::string bb2_address_from_bb1(const model::Topology& topo) {
  for (const auto* l : topo.links_of("bb1")) {
    if (l->a.node == "bb2") return address_only(l->a.address);
    if (l->b.node == "bb2") return address_only(l->b.address);
  }
  return "";
}

TEST_F(LabTest, NetemDelayShowsInTheRoundTripTime) {
  auto topo = minimal();
  std::string lab = lab_name("nem");
  ASSERT_EQ(blastlab({"up", source_path("topologies/minimal.yaml"), "--name", lab}).exit_code, 0);
  std::string target = bb2_address_from_bb1(topo);
  auto before = in_node(lab, "bb1", {"ping", "-n", "-c3", "-i0.2", "-W2", target});
  ASSERT_EQ(before.exit_code, 0) << before.out;
  EXPECT_LT(rtt_field_ms(before.out, 1), 5.0) << before.out;

  auto r = blastlab({"netem", lab, "bb1", "bb2", "--delay", "25ms"});
  if (r.exit_code == 3 && r.err.find("no netem qdisc") != std::string::npos) {
    // Kernels built without sch_netem (CONFIG_NET_SCH_NETEM unset, as on this project's CI
    // machines) cannot delay packets in the kernel. The refusal must say so and must leave
    // the link exactly as it was.
    RecordProperty("netem", "unsupported by this kernel");
    std::cout << "NOTE: this kernel has no sch_netem; checked the refusal instead of the delay\n";
    auto s = json::parse(blastlab({"status", lab, "--json"}).out);
    EXPECT_TRUE(s["healthy"].get<bool>());
    for (const auto& link : s["links"]) EXPECT_TRUE(link["a"]["netem"].is_null()) << link;
    auto after = in_node(lab, "bb1", {"ping", "-n", "-c3", "-i0.2", "-W2", target});
    EXPECT_LT(rtt_field_ms(after.out, 1), 5.0) << after.out;
    return;
  }
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto delayed = in_node(lab, "bb1", {"ping", "-n", "-c3", "-i0.2", "-W2", target});
  ASSERT_EQ(delayed.exit_code, 0) << delayed.out;
  EXPECT_GE(rtt_field_ms(delayed.out, 1), 49.0) << delayed.out;  // 25ms each way
  EXPECT_LT(rtt_field_ms(delayed.out, 1), 80.0) << delayed.out;

  ASSERT_EQ(blastlab({"netem", lab, "bb1", "bb2", "--clear"}).exit_code, 0);
  auto cleared = in_node(lab, "bb1", {"ping", "-n", "-c3", "-i0.2", "-W2", target});
  EXPECT_LT(rtt_field_ms(cleared.out, 1), 10.0) << cleared.out;
}

TEST_F(LabTest, RateLimitShowsInTheRoundTripTime) {
  auto topo = minimal();
  std::string lab = lab_name("rat");
  ASSERT_EQ(blastlab({"up", source_path("topologies/minimal.yaml"), "--name", lab}).exit_code, 0);
  std::string target = bb2_address_from_bb1(topo);
  // Echoes of 1428 bytes take 11.4ms to serialise at 1mbit; unshaped, a veth returns them in
  // a small fraction of a millisecond.
  const std::vector<std::string> burst = {"ping",    "-n",     "-q",  "-c30",
                                          "-i0.005", "-s1400", "-W2", target};
  auto plain = in_node(lab, "bb1", burst);
  ASSERT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_LT(rtt_field_ms(plain.out, 1), 2.0) << plain.out;

  auto r = blastlab({"netem", lab, "bb1", "bb2", "--rate", "1mbit"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = json::parse(blastlab({"status", lab, "--json"}).out);
  bool shaped = false;
  for (const auto& link : s["links"])
    if (!link["a"]["netem"].is_null()) shaped = link["a"]["netem"]["rate_bps"] == 1000000;
  EXPECT_TRUE(shaped) << s.dump(2);
  auto limited = in_node(lab, "bb1", burst);
  EXPECT_GE(rtt_field_ms(limited.out, 1), 5.0) << limited.out;

  ASSERT_EQ(blastlab({"netem", lab, "bb1", "bb2", "--clear"}).exit_code, 0);
  auto cleared = in_node(lab, "bb1", burst);
  EXPECT_LT(rtt_field_ms(cleared.out, 1), 2.0) << cleared.out;

  EXPECT_EQ(blastlab({"netem", lab, "bb1", "bb2", "--delay", "ten"}).exit_code, 2);
  EXPECT_EQ(blastlab({"netem", lab, "bb1", "bb2", "--loss", "150%"}).exit_code, 2);
}

TEST_F(LabTest, TwoLabsCoexist) {
  std::string a = lab_name("ca");
  std::string b = lab_name("cb");
  ASSERT_EQ(blastlab({"up", source_path("topologies/minimal.yaml"), "--name", a}).exit_code, 0);
  ASSERT_EQ(blastlab({"up", source_path("topologies/minimal.yaml"), "--name", b}).exit_code, 0);
  for (const auto& lab : {a, b}) {
    auto s = json::parse(blastlab({"status", lab, "--json"}).out);
    EXPECT_TRUE(s["healthy"].get<bool>()) << lab;
  }
  // Taking one down leaves the other untouched.
  ASSERT_EQ(blastlab({"down", a}).exit_code, 0);
  auto s = json::parse(blastlab({"status", b, "--json"}).out);
  EXPECT_TRUE(s["healthy"].get<bool>());
  auto topo = minimal();
  const auto* link = topo.links_of("dc1").front();
  EXPECT_TRUE(ping_until(b, link->a.node, address_only(link->b.address), true, 3s));
}

TEST_F(LabTest, SigkillDuringUpThenDownAllLeavesNothing) {
  std::string topo = write_file("chain.yaml", chain_topology(150));
  std::string lab = lab_name("kil");
  std::string log = run_dir_ + "/up.log";
  auto up = start_blastlab({"up", topo, "--name", lab}, log);
  // Kill it while it is building: some namespaces exist, the rest and the links do not yet.
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (namespaces_of(lab) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(200us);
  ASSERT_GT(namespaces_of(lab), 0u) << "up never got going; its log: " << log;
  ::kill(up->pid(), SIGKILL);
  EXPECT_EQ(up->wait(), 128 + SIGKILL);
  EXPECT_NE(before_.diff(HostSnapshot::take()), "") << "the kill came too late to test anything";

  auto down = blastlab({"down", "--all"});
  EXPECT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_EQ(before_.diff(HostSnapshot::take()), "");
  EXPECT_FALSE(std::filesystem::exists(run_dir_ + "/" + lab));
}

TEST_F(LabTest, InterruptDuringUpCleansUp) {
  std::string topo = write_file("chain.yaml", chain_topology(80));
  std::string lab = lab_name("int");
  auto up = start_blastlab({"up", topo, "--name", lab}, run_dir_ + "/up.log");
  std::string journal = run_dir_ + "/" + lab + "/journal.jsonl";
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (journal_lines(journal) < 10 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  ASSERT_GE(journal_lines(journal), 10u);
  ::kill(up->pid(), SIGINT);
  auto code = up->wait_for(30s);
  ASSERT_TRUE(code) << "up did not stop within 30s of SIGINT";
  EXPECT_EQ(*code, 130);
  EXPECT_EQ(before_.diff(HostSnapshot::take()), "");
  EXPECT_FALSE(std::filesystem::exists(run_dir_ + "/" + lab));
}

TEST_F(LabTest, BadInputExitsTwoAndBuildsNothing) {
  std::string bad =
      write_file("bad.yaml", "nodes:\n  r1: {role: backbone}\nlinks:\n  - [r1, r9]\n");
  std::string lab = lab_name("bad");
  auto r = blastlab({"up", bad, "--name", lab});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.yaml:4:"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(run_dir_ + "/" + lab));
  EXPECT_EQ(before_.diff(HostSnapshot::take()), "");

  EXPECT_EQ(
      blastlab({"up", source_path("topologies/minimal.yaml"), "--name", "Bad_Name"}).exit_code, 2);
  EXPECT_EQ(blastlab({"down", "nosuchlab"}).exit_code, 2);
  EXPECT_EQ(blastlab({"up", "--no-such-flag"}).exit_code, 2);
}

TEST_F(LabTest, UpRefusesALabNameInUse) {
  std::string lab = lab_name("dup");
  ASSERT_EQ(blastlab({"up", source_path("topologies/minimal.yaml"), "--name", lab}).exit_code, 0);
  auto again = blastlab({"up", source_path("topologies/minimal.yaml"), "--name", lab});
  EXPECT_EQ(again.exit_code, 3);
  auto s = json::parse(blastlab({"status", lab, "--json"}).out);
  EXPECT_TRUE(s["healthy"].get<bool>()) << "the refused `up` must not disturb the running lab";
}

TEST_F(LabTest, ExecRunsInsideTheNode) {
  std::string lab = lab_name("exe");
  ASSERT_EQ(blastlab({"up", source_path("topologies/minimal.yaml"), "--name", lab}).exit_code, 0);
  auto r = blastlab({"exec", lab, "bb1", "--", "cat", "/proc/sys/net/ipv4/ip_forward"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\n");
  r = blastlab({"exec", lab, "bb1", "--", "sh", "-c", "exit 7"});
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_EQ(blastlab({"exec", lab, "nosuch", "--", "true"}).exit_code, 2);
}

}  // namespace
}  // namespace blastlab::testing
