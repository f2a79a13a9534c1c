// The rise/fall machine and the site rule, without clocks or sockets.
#include "agents/healthd/state.hpp"

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

}  // namespace
}  // namespace blastlab::healthd
