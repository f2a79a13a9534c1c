#include "controller/drill/collateral.hpp"

#include <gtest/gtest.h>

namespace blastlab::drill {
namespace {

constexpr const char* kPre = R"(frr version 8.4.4
hostname pop3
interface eth1
 ip address 198.18.1.1/31
exit
!
route-map FROM-DNS permit 10
 match ip address prefix-list ANYCAST
exit
!
router bgp 64500
 neighbor 198.18.1.0 remote-as 64500
exit
!
end
)";

// The fault: a typo in the route-map's prefix-list.
std::string faulted() {
  std::string text = kPre;
  return text.replace(text.find("prefix-list ANYCAST"), 19, "prefix-list ANYCST");
}

TEST(Collateral, TheRightFixLeavesNone) {
  EXPECT_TRUE(collateral_lines(kPre, faulted(), kPre).empty());
}

TEST(Collateral, TheFaultLeftInPlaceIsNoCollateral) {
  // Not fixed: the restored conditions say so; the fault's own line is not the trainee's.
  EXPECT_TRUE(collateral_lines(kPre, faulted(), faulted()).empty());
}

TEST(Collateral, AFixThatChangesSomethingElseGivesThoseLines) {
  std::string final_config = kPre;
  final_config.replace(final_config.find(" ip address 198.18.1.1/31\n"), 26,
                       " ip address 198.18.1.1/31\n shutdown\n");
  final_config.replace(final_config.find(" neighbor 198.18.1.0 remote-as 64500\n"), 37, "");
  auto lines = collateral_lines(kPre, faulted(), final_config);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text(), "- router bgp 64500 > neighbor 198.18.1.0 remote-as 64500");
  EXPECT_EQ(lines[1].text(), "+ interface eth1 > shutdown");
  EXPECT_TRUE(lines[1].added);
}

TEST(Collateral, AWorkaroundInsteadOfTheFixCountsItsLines) {
  // The trainee created the misspelt prefix-list instead of correcting the route-map.
  std::string final_config = faulted();
  final_config.insert(final_config.find("route-map"),
                      "ip prefix-list ANYCST seq 5 permit 198.51.100.0/26\n");
  auto lines = collateral_lines(kPre, faulted(), final_config);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text(), "+ ip prefix-list ANYCST seq 5 permit 198.51.100.0/26");
}

TEST(Collateral, PerRouter) {
  std::string changed = std::string(kPre) + "ip route 10.0.0.0/8 Null0\n";
  auto lines = collateral_lines({{"pop3", kPre, faulted(), kPre}, {"bb1", kPre, kPre, changed}});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].router, "bb1");
  EXPECT_EQ(lines[0].text(), "+ ip route 10.0.0.0/8 Null0");
}

TEST(WithoutHealthdLines, DropsOnlyTheAnycastNetworkStatements) {
  const std::string config =
      "router bgp 64501\n"
      " address-family ipv4 unicast\n"
      "  network 198.51.100.0/26\n"
      "  network 198.51.100.64/26 route-map DEGRADE\n"
      "  network 203.0.113.0/24\n"
      " exit-address-family\n"
      "exit\n";
  EXPECT_EQ(without_healthd_lines(config, {"198.51.100.0/26", "198.51.100.64/26"}),
            "router bgp 64501\n"
            " address-family ipv4 unicast\n"
            "  network 203.0.113.0/24\n"
            " exit-address-family\n"
            "exit\n");
  // A longer prefix that starts the same is not healthd's.
  EXPECT_EQ(without_healthd_lines("  network 198.51.100.0/260\n", {"198.51.100.0/26"}),
            "  network 198.51.100.0/260\n");
}

}  // namespace
}  // namespace blastlab::drill
