#include "controller/model/ip.hpp"

#include <gtest/gtest.h>

namespace blastlab::model {
namespace {

Ipv4Prefix prefix(std::string_view text) {
  return *Ipv4Prefix::parse(text, true);
}

TEST(Ipv4AddressTest, ParsesAndFormats) {
  auto address = Ipv4Address::parse("198.51.100.53");
  ASSERT_TRUE(address);
  EXPECT_EQ(address->value, 0xc6336435u);
  EXPECT_EQ(address->str(), "198.51.100.53");
  EXPECT_EQ(Ipv4Address::parse("0.0.0.0")->str(), "0.0.0.0");
  EXPECT_EQ(Ipv4Address::parse("255.255.255.255")->value, 0xffffffffu);
}

TEST(Ipv4AddressTest, RejectsMalformed) {
  for (std::string_view text : {"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "198.19.0.300", " 1.2.3.4",
                                "1.2.3.4 ", "x1.2.3.4", "1..3.4", "1.2.3.", ".1.2.3", "-1.2.3.4",
                                "+1.2.3.4", "01.2.3.4", "1.2.3.4/32", "1.2.3.0x1", "1234.1.1.1"}) {
    EXPECT_FALSE(Ipv4Address::parse(text)) << text;
  }
}

TEST(Ipv4PrefixTest, ParsesAndFormats) {
  auto p = Ipv4Prefix::parse("198.19.0.1/31");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->length, 31);
  EXPECT_EQ(p->str(), "198.19.0.1/31");
  EXPECT_EQ(Ipv4Prefix::parse("0.0.0.0/0")->length, 0);
  EXPECT_EQ(Ipv4Prefix::parse("10.0.0.1/32")->length, 32);
}

TEST(Ipv4PrefixTest, BareAddressOnlyWhenAllowed) {
  EXPECT_FALSE(Ipv4Prefix::parse("198.18.0.10"));
  auto bare = Ipv4Prefix::parse("198.18.0.10", true);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->str(), "198.18.0.10/32");
}

TEST(Ipv4PrefixTest, RejectsMalformed) {
  for (std::string_view text : {"1.2.3.4/33", "1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/3a", "1.2.3.4//3",
                                "/24", "1.2.3/24", "1.2.3.4/024", "198.19.0.300/31"}) {
    EXPECT_FALSE(Ipv4Prefix::parse(text, true)) << text;
  }
}

TEST(Ipv4PrefixTest, NetworkAndMask) {
  EXPECT_EQ(prefix("198.19.0.9/30").network().str(), "198.19.0.8/30");
  EXPECT_TRUE(prefix("198.19.0.8/30").is_network());
  EXPECT_FALSE(prefix("198.19.0.9/30").is_network());
  EXPECT_EQ(prefix("1.2.3.4/0").mask(), 0u);
  EXPECT_EQ(prefix("1.2.3.4/0").network().str(), "0.0.0.0/0");
  EXPECT_EQ(prefix("1.2.3.4/32").mask(), 0xffffffffu);
  EXPECT_EQ(prefix("198.18.0.0/20").size(), 4096u);
  EXPECT_EQ(prefix("0.0.0.0/0").size(), uint64_t{1} << 32);
}

TEST(Ipv4PrefixTest, ContainsAndOverlaps) {
  Ipv4Prefix lab = prefix("198.18.0.0/15");
  EXPECT_TRUE(lab.contains(*Ipv4Address::parse("198.19.255.255")));
  EXPECT_FALSE(lab.contains(*Ipv4Address::parse("198.20.0.0")));
  EXPECT_TRUE(lab.contains(prefix("198.19.0.0/16")));
  EXPECT_TRUE(lab.contains(lab));
  EXPECT_FALSE(prefix("198.19.0.0/16").contains(lab));
  EXPECT_TRUE(lab.overlaps(prefix("198.19.0.0/31")));
  EXPECT_TRUE(prefix("198.19.0.0/31").overlaps(lab));
  EXPECT_FALSE(prefix("198.19.0.0/31").overlaps(prefix("198.19.0.2/31")));
  EXPECT_TRUE(prefix("198.19.0.1/31").overlaps(prefix("198.19.0.0/32")));
  EXPECT_TRUE(prefix("0.0.0.0/0").overlaps(prefix("203.0.113.7/32")));
}

TEST(LabRangeTest, AcceptsOnlyTheLabRanges) {
  EXPECT_TRUE(is_lab_range(prefix("198.18.0.0/15")));
  EXPECT_TRUE(is_lab_range(prefix("198.19.255.254/31")));
  EXPECT_TRUE(is_lab_range(prefix("192.0.2.0/24")));
  EXPECT_TRUE(is_lab_range(prefix("198.51.100.53/32")));
  EXPECT_TRUE(is_lab_range(prefix("203.0.113.16/28")));
  EXPECT_FALSE(is_lab_range(prefix("198.18.0.0/14")));
  EXPECT_FALSE(is_lab_range(prefix("198.20.0.0/31")));
  EXPECT_FALSE(is_lab_range(prefix("10.0.0.0/8")));
  EXPECT_FALSE(is_lab_range(prefix("198.51.100.0/23")));
}

}  // namespace
}  // namespace blastlab::model
