#include "controller/model/units.hpp"

#include <gtest/gtest.h>

namespace blastlab::model {
namespace {

using std::chrono::microseconds;

TEST(DurationTest, ParsesUnitsAndDecimals) {
  EXPECT_EQ(parse_duration("500us"), microseconds{500});
  EXPECT_EQ(parse_duration("1ms"), microseconds{1000});
  EXPECT_EQ(parse_duration("1.5ms"), microseconds{1500});
  EXPECT_EQ(parse_duration("1.1ms"), microseconds{1100});
  EXPECT_EQ(parse_duration("2s"), microseconds{2000000});
  EXPECT_EQ(parse_duration("0.25s"), microseconds{250000});
  EXPECT_EQ(parse_duration("0ms"), microseconds{0});
}

TEST(DurationTest, RejectsBareNumbersAndJunk) {
  for (std::string_view text : {"5", "5 minutes", "5 ms", "ms", "1.5", "-1ms", "1..5ms", "1.ms",
                                ".5ms", "0.5us", "5m", "5MS", "1e3ms", ""}) {
    EXPECT_FALSE(parse_duration(text)) << text;
  }
}

TEST(RateTest, ParsesDecimalMultiples) {
  EXPECT_EQ(parse_rate("100mbit"), 100000000u);
  EXPECT_EQ(parse_rate("1gbit"), 1000000000u);
  EXPECT_EQ(parse_rate("1.5gbit"), 1500000000u);
  EXPECT_EQ(parse_rate("64kbit"), 64000u);
  EXPECT_EQ(parse_rate("9600bit"), 9600u);
  for (std::string_view text : {"100", "100mb", "100 mbit", "fast", "0.5bit", "mbit"}) {
    EXPECT_FALSE(parse_rate(text)) << text;
  }
}

TEST(PercentTest, ParsesWithOrWithoutSign) {
  EXPECT_EQ(parse_percent("0.5%"), 0.5);
  EXPECT_EQ(parse_percent("0.5"), 0.5);
  EXPECT_EQ(parse_percent("100%"), 100.0);
  EXPECT_EQ(parse_percent("150%"), 150.0);  // the range is the caller's
  for (std::string_view text : {"%", "-1%", "1%%", "abc", "1 %", "nan", "inf"}) {
    EXPECT_FALSE(parse_percent(text)) << text;
  }
}

}  // namespace
}  // namespace blastlab::model
