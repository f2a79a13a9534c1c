// The rise/fall machine and the site rule with its min-sites guard, without clocks or sockets.
#include "agents/healthd/state.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace blastlab::healthd {
namespace {

TEST(RiseFallTest, StartsDown) {
  RiseFall m(2, 3);
  EXPECT_FALSE(m.up());
}

TEST(RiseFallTest, RisesAfterRiseConsecutivePasses) {
  RiseFall m(2, 3);
  EXPECT_FALSE(m.record(true));
  EXPECT_FALSE(m.up());
  EXPECT_TRUE(m.record(true));
  EXPECT_TRUE(m.up());
  EXPECT_FALSE(m.record(true));  // staying up is no transition
}

TEST(RiseFallTest, FallsAfterFallConsecutiveFailures) {
  RiseFall m(1, 3);
  ASSERT_TRUE(m.record(true));
  EXPECT_FALSE(m.record(false));
  EXPECT_FALSE(m.record(false));
  EXPECT_TRUE(m.up());
  EXPECT_TRUE(m.record(false));
  EXPECT_FALSE(m.up());
}

TEST(RiseFallTest, OppositeResultResetsTheCount) {
  RiseFall m(1, 3);
  ASSERT_TRUE(m.record(true));
  m.record(false);
  m.record(false);
  EXPECT_EQ(m.streak(), 2);
  m.record(true);
  EXPECT_EQ(m.streak(), 0);
  m.record(false);
  m.record(false);
  EXPECT_TRUE(m.up()) << "two failures after the reset are not three in a row";
  EXPECT_TRUE(m.record(false));
}

TEST(RiseFallTest, FlappingNeverCrosses) {
  RiseFall down(2, 2);
  RiseFall up(2, 2);
  up.record(true);
  up.record(true);
  ASSERT_TRUE(up.up());
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(down.record(i % 2 == 0));
    EXPECT_FALSE(up.record(i % 2 == 1));
  }
  EXPECT_FALSE(down.up());
  EXPECT_TRUE(up.up());
}

TEST(RiseFallTest, RiseAndFallOfOneActAtOnce) {
  RiseFall m(1, 1);
  EXPECT_TRUE(m.record(true));
  EXPECT_TRUE(m.record(false));
  EXPECT_TRUE(m.record(true));
}

SiteInput input(Action action, size_t up, bool ever_announced) {
  return {.local_checked = false,
          .local_up = false,
          .targets_checked = true,
          .targets_up = up,
          .targets_total = 2,
          .action = action,
          .ever_announced = ever_announced};
}

TEST(DecideSiteTest, OneTargetUpIsHealthyForEveryAction) {
  for (Action a : {Action::kWithdraw, Action::kDegrade, Action::kFailStatic}) {
    SiteDecision d = decide_site(input(a, 1, false));
    EXPECT_EQ(d.state, SiteState::kHealthy) << to_string(a);
    EXPECT_EQ(d.announcement, Announcement::kAnnounced) << to_string(a);
    EXPECT_EQ(d.reason, "1 of 2 targets up");
  }
}

TEST(DecideSiteTest, EveryTargetDownFollowsTheAction) {
  SiteDecision w = decide_site(input(Action::kWithdraw, 0, true));
  EXPECT_EQ(w.state, SiteState::kUnhealthy);
  EXPECT_EQ(w.announcement, Announcement::kWithdrawn);
  SiteDecision d = decide_site(input(Action::kDegrade, 0, true));
  EXPECT_EQ(d.state, SiteState::kDegraded);
  EXPECT_EQ(d.announcement, Announcement::kDegraded);
  SiteDecision f = decide_site(input(Action::kFailStatic, 0, true));
  EXPECT_EQ(f.state, SiteState::kFailStatic);
  EXPECT_EQ(f.announcement, Announcement::kAnnounced);
  EXPECT_NE(f.reason.find("every backend failed at once"), std::string::npos) << f.reason;
}

TEST(DecideSiteTest, NothingIsAnnouncedBeforeTheFirstAnnouncement) {
  for (Action a : {Action::kWithdraw, Action::kDegrade, Action::kFailStatic}) {
    SiteDecision d = decide_site(input(a, 0, false));
    EXPECT_EQ(d.state, SiteState::kUnhealthy) << to_string(a);
    EXPECT_EQ(d.announcement, Announcement::kWithdrawn) << to_string(a);
  }
}

TEST(DecideSiteTest, LocalDnsDownWithdrawsWhateverTheAction) {
  for (Action a : {Action::kWithdraw, Action::kDegrade, Action::kFailStatic}) {
    for (size_t up : {0, 2}) {
      SiteInput in = input(a, up, true);
      in.local_checked = true;
      in.local_up = false;
      SiteDecision d = decide_site(in);
      EXPECT_EQ(d.state, SiteState::kUnhealthy) << to_string(a);
      EXPECT_EQ(d.announcement, Announcement::kWithdrawn) << to_string(a);
      EXPECT_NE(d.reason.find("local dns"), std::string::npos) << d.reason;
    }
  }
}

TEST(DecideSiteTest, LocalUpWithTargetsUpIsHealthy) {
  SiteInput in = input(Action::kWithdraw, 2, false);
  in.local_checked = true;
  in.local_up = true;
  EXPECT_EQ(decide_site(in).announcement, Announcement::kAnnounced);
}

TEST(DecideSiteTest, WithoutRemoteChecksTheLocalCheckDecides) {
  SiteInput in = input(Action::kWithdraw, 0, false);
  in.local_checked = true;
  in.targets_checked = false;
  in.local_up = true;
  EXPECT_EQ(decide_site(in).announcement, Announcement::kAnnounced);
  in.local_up = false;
  EXPECT_EQ(decide_site(in).announcement, Announcement::kWithdrawn);
}

TEST(GivesUpTest, OrdersWithdrawnBelowDegradedBelowAnnounced) {
  using A = Announcement;
  EXPECT_TRUE(gives_up(A::kAnnounced, A::kDegraded));
  EXPECT_TRUE(gives_up(A::kAnnounced, A::kWithdrawn));
  EXPECT_TRUE(gives_up(A::kDegraded, A::kWithdrawn));
  for (A a : {A::kWithdrawn, A::kDegraded, A::kAnnounced}) EXPECT_FALSE(gives_up(a, a));
  EXPECT_FALSE(gives_up(A::kWithdrawn, A::kAnnounced));
  EXPECT_FALSE(gives_up(A::kDegraded, A::kAnnounced));
  EXPECT_FALSE(gives_up(A::kWithdrawn, A::kDegraded));
}

// A site that announces, whose every target is down, with the guard on; enough peers count
// as confirmed for the 3 rounds the guard asks for.
SiteInput guarded_input(Action action, int min_sites, size_t peers) {
  SiteInput in = input(action, 0, true);
  in.announced = Announcement::kAnnounced;
  in.guard_enabled = true;
  in.min_sites = min_sites;
  in.peers_announcing = peers;
  in.confirm_rounds = 3;
  in.confirmed_rounds = peers >= size_t(min_sites) ? 3 : 0;
  return in;
}

TEST(DecideSiteGuardTest, AloneTheSiteKeepsItsAnnouncement) {
  SiteDecision d = decide_site(guarded_input(Action::kWithdraw, 2, 0));
  EXPECT_EQ(d.state, SiteState::kGuarded);
  EXPECT_EQ(d.announcement, Announcement::kAnnounced);
  EXPECT_EQ(d.reason.rfind("guard: 0 other sites seen announcing, min-sites 2; ", 0), 0u)
      << d.reason;
  EXPECT_NE(d.reason.find("every target down; withdrawing"), std::string::npos) << d.reason;
  EXPECT_EQ(to_string(d.state), std::string("guarded"));
  EXPECT_EQ(decide_site(guarded_input(Action::kWithdraw, 2, 1))
                .reason.rfind("guard: 1 other site seen announcing, min-sites 2", 0),
            0u);
}

TEST(DecideSiteGuardTest, EnoughPeersLetTheRuleWithdraw) {
  for (size_t peers : {2, 3}) {
    SiteDecision d = decide_site(guarded_input(Action::kWithdraw, 2, peers));
    EXPECT_EQ(d.state, SiteState::kUnhealthy) << peers;
    EXPECT_EQ(d.announcement, Announcement::kWithdrawn) << peers;
  }
}

TEST(DecideSiteGuardTest, EnoughPeersMustBeConfirmedForConfirmRounds) {
  SiteInput in = guarded_input(Action::kWithdraw, 1, 1);
  for (int confirmed : {0, 1, 2}) {
    in.confirmed_rounds = confirmed;
    SiteDecision d = decide_site(in);
    EXPECT_EQ(d.state, SiteState::kGuarded) << confirmed;
    EXPECT_EQ(d.announcement, Announcement::kAnnounced) << confirmed;
    EXPECT_EQ(d.reason.rfind(fmt::format("guard: 1 other site seen announcing while every check "
                                         "fails, {} of 3 rounds; keeping the announcement "
                                         "instead of: every target down; withdrawing",
                                         confirmed),
                             0),
              0u)
        << d.reason;
  }
  in.confirmed_rounds = 3;
  EXPECT_EQ(decide_site(in).announcement, Announcement::kWithdrawn);
}

TEST(DecideSiteGuardTest, DegradeIsHeldBackLikeAWithdrawal) {
  SiteDecision held = decide_site(guarded_input(Action::kDegrade, 1, 0));
  EXPECT_EQ(held.state, SiteState::kGuarded);
  EXPECT_EQ(held.announcement, Announcement::kAnnounced);
  SiteDecision degraded = decide_site(guarded_input(Action::kDegrade, 1, 1));
  EXPECT_EQ(degraded.announcement, Announcement::kDegraded);
  // Already degraded: the rule keeps it so, nothing to hold back.
  SiteInput in = guarded_input(Action::kDegrade, 1, 0);
  in.announced = Announcement::kDegraded;
  EXPECT_EQ(decide_site(in).state, SiteState::kDegraded);
}

TEST(DecideSiteGuardTest, ABrokenLocalNameServerWithdrawsAnyway) {
  SiteInput in = guarded_input(Action::kWithdraw, 1, 0);
  in.local_checked = true;
  in.local_up = false;
  SiteDecision d = decide_site(in);
  EXPECT_EQ(d.state, SiteState::kUnhealthy);
  EXPECT_EQ(d.announcement, Announcement::kWithdrawn);
  EXPECT_NE(d.reason.find("local dns check down"), std::string::npos) << d.reason;
}

TEST(DecideSiteGuardTest, NothingIsKeptThatIsNotAnnounced) {
  SiteInput never = guarded_input(Action::kWithdraw, 1, 0);
  never.ever_announced = false;
  never.announced = Announcement::kWithdrawn;
  EXPECT_EQ(decide_site(never).announcement, Announcement::kWithdrawn);
  SiteInput withdrawn = guarded_input(Action::kWithdraw, 1, 0);
  withdrawn.announced = Announcement::kWithdrawn;  // withdrew earlier, with peers around
  EXPECT_EQ(decide_site(withdrawn).state, SiteState::kUnhealthy);
  EXPECT_EQ(decide_site(withdrawn).announcement, Announcement::kWithdrawn);
}

// Every combination of the inputs against the guard's contract, stated property by property
// rather than as a second implementation of the rule.
TEST(DecideSiteGuardTest, ExhaustiveContract) {
  using A = Announcement;
  size_t guarded = 0;
  size_t cases = 0;
  for (Action action : {Action::kWithdraw, Action::kDegrade, Action::kFailStatic})
    for (int local = 0; local < 3; ++local)  // not checked, up, down
      for (bool targets_checked : {true, false})
        for (size_t up : {0, 1, 2})
          for (bool ever : {false, true})
            for (A announced : {A::kWithdrawn, A::kDegraded, A::kAnnounced})
              for (int min_sites : {1, 2, 3})
                for (size_t peers : {0, 1, 2, 3, 4})
                  for (int confirmed : {0, 1, 2, 3}) {
                    SiteInput in = input(action, up, ever);
                    in.local_checked = local != 0;
                    in.local_up = local == 1;
                    in.targets_checked = targets_checked;
                    in.announced = announced;
                    in.min_sites = min_sites;
                    in.peers_announcing = peers;
                    in.confirmed_rounds = confirmed;
                    in.confirm_rounds = 2;
                    SiteDecision off = decide_site(in);  // guard_enabled false
                    in.guard_enabled = true;
                    SiteDecision on = decide_site(in);
                    std::string where = fmt::format(
                        "action {} local {} targets_checked {} up {} ever {} announced {} min {} "
                        "peers {} confirmed {}",
                        to_string(action), local, targets_checked, up, ever, to_string(announced),
                        min_sites, peers, confirmed);
                    ++cases;
                    bool local_broken = local == 2;
                    bool holds = ever && announced != A::kWithdrawn;
                    bool should_guard = !local_broken && holds &&
                                        gives_up(announced, off.announcement) &&
                                        (peers < size_t(min_sites) || confirmed < 2);
                    EXPECT_NE(off.state, SiteState::kGuarded) << where;
                    if (!should_guard) {
                      EXPECT_EQ(on.state, off.state) << where;
                      EXPECT_EQ(on.announcement, off.announcement) << where;
                      EXPECT_EQ(on.reason, off.reason) << where;
                      continue;
                    }
                    ++guarded;
                    EXPECT_EQ(on.state, SiteState::kGuarded) << where;
                    EXPECT_EQ(on.announcement, announced) << where;
                    EXPECT_FALSE(gives_up(announced, on.announcement)) << where;
                    EXPECT_NE(on.reason.find(off.reason), std::string::npos) << where;
                  }
  EXPECT_EQ(cases, 3u * 3 * 2 * 3 * 2 * 3 * 3 * 5 * 4);
  EXPECT_GT(guarded, 0u) << "no combination exercised the guard";
}

}  // namespace
}  // namespace blastlab::healthd
