#include "contracts/limits.hpp"

#include <gtest/gtest.h>

namespace blastlab::contracts {
namespace {

using namespace std::chrono_literals;

TEST(LimitsTest, RangesHoldTheirEnds) {
  EXPECT_TRUE(kProbeRate.contains(0.01));
  EXPECT_TRUE(kProbeRate.contains(1000));
  EXPECT_FALSE(kProbeRate.contains(0.009));
  EXPECT_FALSE(kAgentDuration.contains(24h + 1us));
  EXPECT_TRUE(kHealthPeriod.contains(3'600'000ms));
  EXPECT_TRUE(health_timeout_fits(999ms, 1s));
  EXPECT_FALSE(health_timeout_fits(1s, 1s));
}

TEST(LimitsTest, TextsNameTheLimitsInUnitsEveryFileReads) {
  EXPECT_EQ(duration_text(1500us), "1500us");
  EXPECT_EQ(duration_text(1ms), "1ms");
  EXPECT_EQ(duration_text(24h), "86400s");
  EXPECT_EQ(range_text(kProbeTimeout), "1ms to 60s");
  EXPECT_EQ(range_text(kHealthPeriod), "1ms to 3600s");
  EXPECT_EQ(range_text(kHealthRounds), "from 1 to 1000");
  EXPECT_EQ(probe_rate_text(), "queries per second per target, from 0.01 to 1000");
}

TEST(LimitsTest, AProbeNameIsUnderTheZoneUnlessAbsolute) {
  EXPECT_EQ(probe_query_name("www", "example.net"), "www.example.net");
  EXPECT_EQ(probe_query_name("ns1.other.example.", "example.net"), "ns1.other.example");
}

}  // namespace
}  // namespace blastlab::contracts
