#include "controller/frr/render.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "controller/frr/daemons.hpp"
#include "controller/frr/test_support.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::frr {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(RenderRouter, EdgeBgpCarriesLabTimersAndPolicies) {
  auto topology = minimal();
  auto plan = plan_routing(topology);
  auto config = render_router(topology, *plan.find("pop1"));
  const std::string& bgpd = config.daemons.at(Daemon::kBgpd);
  EXPECT_TRUE(has_line(bgpd, "router bgp 64500")) << bgpd;
  EXPECT_TRUE(has_line(bgpd, " timers bgp 1 3"));
  EXPECT_TRUE(has_line(bgpd, " bgp graceful-restart-disable"));
  EXPECT_TRUE(has_line(bgpd, " neighbor 198.19.0.11 remote-as 65001"));  // dns1
  EXPECT_TRUE(has_line(bgpd, " neighbor 198.19.0.11 timers connect 1"));
  EXPECT_TRUE(has_line(bgpd, "  neighbor 198.19.0.11 route-map FROM-DNS in"));
  EXPECT_TRUE(has_line(bgpd, "  neighbor 198.19.0.15 route-map TO-PEER out"));  // transit1
  EXPECT_TRUE(has_line(bgpd, " neighbor 198.18.0.2 update-source lo"));         // bb1
  EXPECT_TRUE(has_line(bgpd, "ip prefix-list ANYCAST seq 5 permit 198.51.100.0/26"));
  EXPECT_TRUE(has_line(bgpd, "ip prefix-list OPERATOR seq 10 permit 198.51.100.0/24"));
  EXPECT_EQ(bgpd.find("route-reflector-client"), std::string::npos);
  const std::string& ospfd = config.daemons.at(Daemon::kOspfd);
  EXPECT_TRUE(has_line(ospfd,
                       "interface dns1\n ip ospf area 0\n ip ospf network point-to-point\n"
                       " ip ospf hello-interval 1\n ip ospf dead-interval 3\n"
                       " ip ospf passive"))
      << ospfd;
}

TEST(RenderRouter, DnsHostLeavesAnnouncementsToHealthd) {
  auto topology = minimal();
  auto plan = plan_routing(topology);
  auto config = render_router(topology, *plan.find("dns1"));
  const std::string& bgpd = config.daemons.at(Daemon::kBgpd);
  EXPECT_TRUE(has_line(bgpd, " no bgp network import-check"));
  EXPECT_TRUE(has_line(bgpd,
                       "route-map HEALTHD-DEGRADE permit 10\n set as-path prepend 65001 "
                       "65001 65001"));
  EXPECT_EQ(bgpd.find("  network "), std::string::npos);
  EXPECT_EQ(config.daemons.count(Daemon::kOspfd), 0u);
}

TEST(RenderRouter, IntegratedConfigHoldsEveryDaemonOnce) {
  auto topology = minimal();
  auto plan = plan_routing(topology);
  auto config = render_router(topology, *plan.find("bb1"));
  const std::string& all = config.integrated;
  EXPECT_EQ(all.find("hostname bb1"), all.rfind("hostname bb1"));
  EXPECT_TRUE(has_line(all, "ip route 198.51.100.0/24 blackhole"));
  EXPECT_TRUE(has_line(all, "  neighbor 198.18.0.4 route-reflector-client"));
  EXPECT_TRUE(has_line(all, "  network 198.51.100.0/24"));
  EXPECT_TRUE(has_line(all, "router ospf"));
}

// FRR itself is the judge of the syntax: vtysh's dry run parses every rendered frr.conf
// with every daemon's command tree and fails on any line it does not know.
TEST(RenderRouter, FrrAcceptsEveryRenderedConfig) {
  std::string vtysh = "/usr/bin/vtysh";
  if (!std::filesystem::exists(vtysh)) GTEST_SKIP() << "FRR is not installed";
  auto topology = minimal();
  auto plan = plan_routing(topology);
  auto dir =
      std::filesystem::temp_directory_path() / ("frr_render_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto runner = proc::make_process_runner();
  for (const auto& router : plan.routers) {
    auto path = dir / (router.node + ".conf");
    std::ofstream(path) << render_router(topology, router).integrated;
    auto result =
        runner->run({.argv = {vtysh, "-C", "-f", path.string()}}, std::chrono::seconds(20));
    EXPECT_EQ(result.exit_code, 0) << router.node << ":\n" << result.out << result.err;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace blastlab::frr
