// The present-set logic: which routes are watched (exact prefix, main table, IPv4, not
// cloned), which messages change what is visible (add, duplicate add, remove, remove of
// something absent, a second route under a present prefix), and how a dump replaces the
// table and reports its differences.
#include "agents/routewatch/watcher.hpp"

#include <gtest/gtest.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

namespace blastlab::routewatch {
namespace {

model::Ipv4Prefix prefix(const char* text) {
  return *model::Ipv4Prefix::parse(text);
}

const model::Ipv4Prefix kWatched = prefix("198.51.100.0/26");
const model::Ipv4Prefix kOther = prefix("198.51.100.64/26");

RouteMessage add(model::Ipv4Prefix p, const char* gateway = "198.18.0.1", uint32_t metric = 20,
                 uint8_t protocol = RTPROT_BGP) {
  RouteMessage m;
  m.family = AF_INET;
  m.table = RT_TABLE_MAIN;
  m.protocol = protocol;
  m.type = RTN_UNICAST;
  m.priority = metric;
  m.prefix = p;
  m.gateway = gateway;
  return m;
}

RouteMessage removal(model::Ipv4Prefix p, const char* gateway = "198.18.0.1",
                     uint32_t metric = 20) {
  RouteMessage m = add(p, gateway, metric);
  m.removed = true;
  return m;
}

std::string describe(const std::optional<RouteChange>& change) {
  if (!change) return "nothing";
  return std::string(to_string(change->action)) + " " + change->prefix.str() + " " +
         protocol_name(change->protocol) + " " + change->gateway;
}

// A watcher past its (empty) initial dump, as the agent leaves it.
Watcher started(std::vector<model::Ipv4Prefix> prefixes) {
  Watcher w(std::move(prefixes));
  w.begin_dump();
  w.finish_dump();
  return w;
}

TEST(WatcherTest, WatchesOnlyExactPrefixesOfTheIpv4MainTable) {
  Watcher w({kWatched, prefix("203.0.113.0/24")});
  EXPECT_TRUE(w.watches(add(kWatched)));
  EXPECT_FALSE(w.watches(add(kOther)));
  // Exact match only: the /24 watch does not see the /26 inside it, nor the /25.
  EXPECT_FALSE(w.watches(add(prefix("203.0.113.0/26"))));
  EXPECT_FALSE(w.watches(add(prefix("203.0.113.0/25"))));
  EXPECT_FALSE(w.watches(add(prefix("198.51.100.0/24"))));

  RouteMessage local = add(kWatched);
  local.table = RT_TABLE_LOCAL;
  EXPECT_FALSE(w.watches(local));
  RouteMessage vrf = add(kWatched);
  vrf.table = 1000;
  EXPECT_FALSE(w.watches(vrf));
  RouteMessage ipv6 = add(kWatched);
  ipv6.family = AF_INET6;
  EXPECT_FALSE(w.watches(ipv6));
  RouteMessage cloned = add(kWatched);
  cloned.flags = RTM_F_CLONED;
  EXPECT_FALSE(w.watches(cloned));
}

TEST(WatcherTest, AddThenDuplicateAddThenRemoveThenRemoveOfAbsent) {
  Watcher w = started({kWatched});
  EXPECT_EQ(describe(w.apply(add(kWatched))), "add 198.51.100.0/26 bgp 198.18.0.1");
  EXPECT_EQ(w.present(), std::vector<model::Ipv4Prefix>{kWatched});
  EXPECT_EQ(describe(w.apply(add(kWatched))), "nothing");
  EXPECT_EQ(describe(w.apply(removal(kWatched))), "remove 198.51.100.0/26 bgp 198.18.0.1");
  EXPECT_TRUE(w.present().empty());
  EXPECT_EQ(describe(w.apply(removal(kWatched))), "nothing");
}

TEST(WatcherTest, OtherTablesAndPrefixesChangeNothing) {
  Watcher w = started({kWatched});
  RouteMessage local = add(kWatched);
  local.table = RT_TABLE_LOCAL;
  EXPECT_EQ(describe(w.apply(local)), "nothing");
  EXPECT_EQ(describe(w.apply(add(kOther))), "nothing");
  EXPECT_TRUE(w.present().empty());
}

TEST(WatcherTest, ReplacedNexthopIsAChangeNotASecondAdd) {
  Watcher w = started({kWatched});
  w.apply(add(kWatched, "198.18.0.1"));
  EXPECT_EQ(describe(w.apply(add(kWatched, "198.18.0.5"))),
            "change 198.51.100.0/26 bgp 198.18.0.5");
  EXPECT_EQ(describe(w.apply(removal(kWatched, "198.18.0.5"))),
            "remove 198.51.100.0/26 bgp 198.18.0.5");
}

TEST(WatcherTest, PrefixStaysPresentWhileAnyOfItsRoutesIs) {
  Watcher w = started({kWatched});
  w.apply(add(kWatched, "198.18.0.1", 20));
  // A backup with a worse metric is not what the kernel uses: nothing visible changes.
  EXPECT_EQ(describe(w.apply(add(kWatched, "198.18.0.9", 200, RTPROT_STATIC))), "nothing");
  // The best goes; the backup takes over, and the prefix was never lost.
  EXPECT_EQ(describe(w.apply(removal(kWatched, "198.18.0.1", 20))),
            "change 198.51.100.0/26 static 198.18.0.9");
  EXPECT_EQ(describe(w.apply(removal(kWatched, "198.18.0.9", 200))),
            "remove 198.51.100.0/26 static 198.18.0.9");
}

TEST(WatcherTest, InitialDumpReportsNothingUntilItEnds) {
  Watcher w({kWatched, kOther});
  w.begin_dump();
  EXPECT_TRUE(w.dumping());
  EXPECT_EQ(describe(w.apply(add(kWatched))), "nothing");
  EXPECT_TRUE(w.present().empty()) << "the dump is not current before it ends";
  std::vector<RouteChange> changes = w.finish_dump();
  EXPECT_FALSE(w.dumping());
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(describe(changes[0]), "add 198.51.100.0/26 bgp 198.18.0.1");
  EXPECT_EQ(w.present(), std::vector<model::Ipv4Prefix>{kWatched});
}

TEST(WatcherTest, NotificationsDuringADumpApplyInArrivalOrder) {
  // A route the dump already listed is removed before the dump ends: the table at the end
  // of the dump does not have it.
  Watcher w({kWatched, kOther});
  w.begin_dump();
  w.apply(add(kWatched));
  w.apply(add(kOther));
  w.apply(removal(kWatched));
  w.finish_dump();
  EXPECT_EQ(w.present(), std::vector<model::Ipv4Prefix>{kOther});
}

TEST(WatcherTest, ResyncReportsTheDifferencesInWatchOrder) {
  model::Ipv4Prefix third = prefix("203.0.113.0/24");
  Watcher w = started({kWatched, kOther, third});
  w.apply(add(kWatched, "198.18.0.1"));
  w.apply(add(kOther, "198.18.0.1"));
  // Messages were lost; the new dump finds kWatched gone, kOther on another gateway and
  // third new.
  w.begin_dump();
  w.apply(add(third, "198.18.0.3"));
  w.apply(add(kOther, "198.18.0.2"));
  std::vector<RouteChange> changes = w.finish_dump();
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(describe(changes[0]), "remove 198.51.100.0/26 bgp 198.18.0.1");
  EXPECT_EQ(describe(changes[1]), "change 198.51.100.64/26 bgp 198.18.0.2");
  EXPECT_EQ(describe(changes[2]), "add 203.0.113.0/24 bgp 198.18.0.3");
  EXPECT_EQ(w.present(), (std::vector<model::Ipv4Prefix>{kOther, third}));
}

TEST(WatcherTest, ResyncThatFindsTheSameTableReportsNothing) {
  Watcher w = started({kWatched});
  w.apply(add(kWatched));
  w.begin_dump();
  w.apply(add(kWatched));
  EXPECT_TRUE(w.finish_dump().empty());
}

TEST(WatcherTest, RestartedDumpDiscardsTheHalfBuiltTable) {
  Watcher w = started({kWatched});
  w.begin_dump();
  w.apply(add(kWatched));
  w.begin_dump();  // the first dump was interrupted; its table must not leak into the next
  EXPECT_TRUE(w.finish_dump().empty());
  EXPECT_TRUE(w.present().empty());
}

TEST(WatcherTest, AnotherInterfaceAloneIsAChangeOfRoute) {
  Watcher watcher({kWatched});
  watcher.begin_dump();
  RouteMessage first = add(kWatched);
  first.oif = 3;
  watcher.apply(first);
  watcher.finish_dump();
  EXPECT_EQ(watcher.route(kWatched)->oif, 3u);
  RouteMessage moved = first;
  moved.oif = 4;
  auto change = watcher.apply(moved);
  ASSERT_TRUE(change);
  EXPECT_EQ(change->action, RouteAction::kChange);
  EXPECT_EQ(change->oif, 4u);
  EXPECT_EQ(change->gateway, "198.18.0.1");
}

}  // namespace
}  // namespace blastlab::routewatch
