// The blastlab-healthd binary as the controller runs it: exit codes for bad input, and a
// real run against a 127.0.0.1 listener with a stand-in vtysh that records its arguments,
// stopped by SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>

#include <fstream>
#include <thread>

#include "agents/healthd/socket_util.hpp"
#include "agents/healthd/test_fakes.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::healthd {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

json config_for(const testing::TempDir& dir, uint16_t port) {
  return {{"node", "dns1"},
          {"pathspace", "minimal_dns1"},
          {"vtysh", dir.file("vtysh")},
          {"vtysh_config_dir", dir.file("vtysh.d")},
          {"asn", 65001},
          {"prefixes", {"198.51.100.0/26"}},
          {"degrade_route_map", "HEALTHD-DEGRADE"},
          {"targets", {{{"name", "dc1"}, {"address", "127.0.0.1"}}}},
          {"checks", {"tcp"}},
          {"port", port},
          {"interval_ms", 100},
          {"timeout_ms", 50},
          {"rise", 1},
          {"fall", 1},
          {"action", "withdraw"},
          {"events", dir.file("events/healthd-dns1.jsonl")}};
}

std::string write(const testing::TempDir& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir.file(name)) << text;
  return dir.file(name);
}

TEST(HealthdMainTest, BadConfigExitsTwoNamingTheField) {
  testing::TempDir dir;
  json config = config_for(dir, 80);
  config["rise"] = 0;
  auto runner = proc::make_process_runner();
  auto r =
      runner->run({.argv = {HEALTHD_BINARY, "--config", write(dir, "h.json", config.dump())}}, 5s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            dir.file("h.json") + ": rise: 0 is out of range; give a whole number from 1 to 1000\n");
}

TEST(HealthdMainTest, MissingFlagExitsTwo) {
  auto runner = proc::make_process_runner();
  EXPECT_EQ(runner->run({.argv = {HEALTHD_BINARY}}, 5s).exit_code, 2);
}

TEST(HealthdMainTest, AnnouncesThroughVtyshAndStopsOnSigterm) {
  testing::TempDir dir;
  // Listening on 127.0.0.1 so the tcp check toward dc1 passes.
  Fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in sa = *ipv4_socket_address("127.0.0.1", 0);
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  ASSERT_EQ(::listen(listener.get(), 64), 0);
  socklen_t len = sizeof sa;
  ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&sa), &len);
  write(dir, "vtysh", "#!/bin/sh\nprintf '%s|' \"$@\" >> " + dir.file("vtysh.args") + "\n");
  std::filesystem::permissions(dir.file("vtysh"), std::filesystem::perms::owner_all);
  std::string config = write(dir, "h.json", config_for(dir, ntohs(sa.sin_port)).dump());

  auto runner = proc::make_process_runner();
  auto healthd = runner->start(
      {.argv = {HEALTHD_BINARY, "--config", config}, .stderr_path = dir.file("stderr")});
  std::string events_path = dir.file("events/healthd-dns1.jsonl");
  auto deadline = std::chrono::steady_clock::now() + 10s;
  bool announced = false;
  while (!announced && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    if (!std::filesystem::exists(events_path)) continue;
    for (const json& e : testing::read_events(events_path))
      announced = announced || (e["event"] == "announce" && e["ok"] == true);
  }
  ASSERT_TRUE(announced) << "no successful announce event in 10 s";
  ASSERT_EQ(::kill(healthd->pid(), SIGTERM), 0);
  EXPECT_EQ(healthd->wait_for(5s), 0) << "healthd did not exit 0 within 5 s of SIGTERM";

  std::ifstream args(dir.file("vtysh.args"));
  std::string recorded((std::istreambuf_iterator<char>(args)), {});
  EXPECT_EQ(recorded, "--config_dir|" + dir.file("vtysh.d") +
                          "|-N|minimal_dns1|-c|configure terminal|-c|router bgp 65001|-c|"
                          "address-family ipv4 unicast|-c|network 198.51.100.0/26|");
  auto events = testing::read_events(events_path);
  EXPECT_EQ(events.front()["event"], "start");
  EXPECT_EQ(events.back()["event"], "stop");
  EXPECT_EQ(events.back()["signal"], "SIGTERM");
  EXPECT_EQ(events.back()["announcement"], "announce");
}

TEST(HealthdMainTest, AGuardAddressThisHostDoesNotHaveExitsThree) {
  testing::TempDir dir;
  json config = config_for(dir, 80);
  config["guard"] = {{"min_sites", 1},
                     {"port", 5301},
                     {"address", "192.0.2.1"},
                     {"peers", {{{"name", "dns2"}, {"address", "192.0.2.2"}}}}};
  auto runner = proc::make_process_runner();
  auto r =
      runner->run({.argv = {HEALTHD_BINARY, "--config", write(dir, "h.json", config.dump())}}, 5s);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err,
            "blastlab-healthd: bind the guard's UDP socket to 192.0.2.1:5301: cannot assign "
            "requested address\n");
}

TEST(HealthdMainTest, WithTheGuardItTellsItsPeersWhetherItAnnounces) {
  testing::TempDir dir;
  // The peer, dns2, on 127.0.0.2 at a port the kernel picks; healthd uses the same port.
  Fd peer(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in sa = *ipv4_socket_address("127.0.0.2", 0);
  ASSERT_EQ(::bind(peer.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  socklen_t len = sizeof sa;
  ::getsockname(peer.get(), reinterpret_cast<sockaddr*>(&sa), &len);
  write(dir, "vtysh", "#!/bin/sh\nexit 0\n");
  std::filesystem::permissions(dir.file("vtysh"), std::filesystem::perms::owner_all);
  json config = config_for(dir, 9);  // nothing listens on 127.0.0.1:9: the site stays down
  config["guard"] = {{"min_sites", 1},
                     {"port", ntohs(sa.sin_port)},
                     {"address", "127.0.0.1"},
                     {"peers", {{{"name", "dns2"}, {"address", "127.0.0.2"}}}}};

  auto runner = proc::make_process_runner();
  auto healthd =
      runner->start({.argv = {HEALTHD_BINARY, "--config", write(dir, "h.json", config.dump())},
                     .stderr_path = dir.file("stderr")});
  std::string payload;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (payload.empty() && std::chrono::steady_clock::now() < deadline) {
    char buffer[512];
    ssize_t n = ::recv(peer.get(), buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) payload.assign(buffer, size_t(n));
    if (payload.empty()) std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(::kill(healthd->pid(), SIGTERM), 0);
  EXPECT_EQ(healthd->wait_for(5s), 0) << "healthd did not exit 0 within 5 s of SIGTERM";
  ASSERT_FALSE(payload.empty()) << "no datagram from healthd on 127.0.0.2 in 10 s";
  EXPECT_EQ(payload, R"({"node":"dns1","announcing":false,"guarded":false,"seq":1})");
  auto events = testing::read_events(dir.file("events/healthd-dns1.jsonl"));
  EXPECT_EQ(events.front()["min_sites"], 1);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[1]["event"], "check");
  bool guard_seen = false;
  for (const json& e : events) {
    if (e["event"] != "guard") continue;
    guard_seen = true;
    EXPECT_EQ(e["announcing"], 0);
    EXPECT_EQ(e["peers"], json::array());
  }
  EXPECT_TRUE(guard_seen) << "no guard event";
}

}  // namespace
}  // namespace blastlab::healthd
