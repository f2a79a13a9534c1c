#include "controller/drill/score.hpp"

#include <gtest/gtest.h>

namespace blastlab::drill {
namespace {

ScoreInput restored_after(int seconds) {
  ScoreInput input;
  input.restored = true;
  input.time_limit = Millis(600000);
  input.time_to_restore = Millis(seconds * 1000);
  input.outage.values["dns.success_ratio"] = 1;
  input.outage.values["reachability.success_ratio"] = 1;
  return input;
}

int points(const Score& score, const std::string& name) {
  for (const auto& c : score.components)
    if (c.name == name) return c.points;
  ADD_FAILURE() << "no component " << name;
  return 0;
}

TEST(Score, AFastCleanFixScoresFull) {
  Score score = score_drill(restored_after(100));
  EXPECT_TRUE(score.restored);
  EXPECT_EQ(score.total, 100);
  ASSERT_EQ(score.components.size(), 5u);
}

TEST(Score, TimeBeyondParCostsInProportion) {
  // Par is 150 s of 600 s; 375 s is half-way to the limit: 20 of 40 points.
  EXPECT_EQ(points(score_drill(restored_after(375)), "time"), -20);
  EXPECT_EQ(points(score_drill(restored_after(600)), "time"), -40);
  EXPECT_EQ(points(score_drill(restored_after(150)), "time"), 0);
}

TEST(Score, NotRestoredWithinTheLimitIsZero) {
  Score late = score_drill(restored_after(601));
  EXPECT_FALSE(late.restored);
  EXPECT_EQ(late.total, 0);
  ScoreInput never = restored_after(0);
  never.restored = false;
  never.time_to_restore.reset();
  Score none = score_drill(never);
  EXPECT_EQ(none.total, 0);
  EXPECT_EQ(none.breakdown().substr(0, 46), "score 0/100: not restored within the time limi");
}

TEST(Score, OutageHintsAndCollateral) {
  ScoreInput input = restored_after(100);
  input.outage.values["dns.success_ratio"] = 0.8;  // 20% failed: 3 of 15
  input.outage.values.erase("reachability.success_ratio");
  input.outage.missing["reachability.success_ratio"] = "no reach probes";
  input.hints_used = {{"a", 5}, {"b", 10}};
  input.collateral_lines = 7;  // 35, at most 25
  Score score = score_drill(input);
  EXPECT_EQ(points(score, "dns"), -3);
  EXPECT_EQ(points(score, "reachability"), 0);
  EXPECT_EQ(points(score, "hints"), -15);
  EXPECT_EQ(points(score, "collateral"), -25);
  EXPECT_EQ(score.total, 57);
  EXPECT_EQ(score.breakdown(),
            "score 57/100\n"
            "  time            0  restored in 100 s, par 150 s, limit 600 s\n"
            "  dns            -3  dns.success_ratio 0.800, 20.0% failed\n"
            "  reachability    0  reachability.success_ratio not measured: no reach probes\n"
            "  hints         -15  2 taken: 5 + 10\n"
            "  collateral    -25  7 line(s) left changed beyond the fault\n");
}

TEST(Score, NeverBelowZero) {
  ScoreInput input = restored_after(600);
  input.hints_used = {{"a", 100}};
  EXPECT_EQ(score_drill(input).total, 0);
}

}  // namespace
}  // namespace blastlab::drill
