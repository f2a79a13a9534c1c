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

}  // namespace
}  // namespace blastlab::healthd
