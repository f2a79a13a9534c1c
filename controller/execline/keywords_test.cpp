#include "controller/execline/keywords.hpp"

#include <gtest/gtest.h>

namespace blastlab::execline {
namespace {

TEST(KeywordsTest, AbbreviatesLikeIproute2Matches) {
  EXPECT_TRUE(abbreviates("a", "address"));
  EXPECT_TRUE(abbreviates("address", "address"));
  EXPECT_FALSE(abbreviates("addresses", "address"));
  EXPECT_FALSE(abbreviates("", "address"));  // iproute2 >= 5.3 refuses the empty word too
  EXPECT_FALSE(abbreviates("adr", "address"));
}

TEST(KeywordsTest, ResolvesInIproute2sOrder) {
  EXPECT_EQ(resolve_keyword("a", kObjects), "address");
  EXPECT_EQ(resolve_keyword("addrl", kObjects), "addrlabel");
  EXPECT_EQ(resolve_keyword("r", kObjects), "route");
  EXPECT_EQ(resolve_keyword("ru", kObjects), "rule");
  EXPECT_EQ(resolve_keyword("l", kObjects), "link");
  EXPECT_EQ(resolve_keyword("n", kObjects), "neighbor");
  EXPECT_EQ(resolve_keyword("net", kObjects), "netns");
  EXPECT_EQ(resolve_keyword("s", kLinkCommands), "set");
  EXPECT_EQ(resolve_keyword("sh", kLinkCommands), "show");
  EXPECT_EQ(resolve_keyword("a", kRouteCommands), "add");
  EXPECT_EQ(resolve_keyword("r", kRouteCommands), "replace");
  EXPECT_EQ(resolve_keyword("m", kRouteArguments), "metric");
  EXPECT_EQ(resolve_keyword("t", kRouteArguments), "table");
  EXPECT_EQ(resolve_keyword("d", kLinkArguments), "dynamic");
  EXPECT_EQ(resolve_keyword("uni", kRouteTypes), "unicast");
}

TEST(KeywordsTest, WholeWordKeywordsTakeNoAbbreviation) {
  EXPECT_EQ(resolve_keyword("dev", kRouteArguments), "dev");
  EXPECT_EQ(resolve_keyword("de", kRouteArguments), std::nullopt);  // a destination to ip
  EXPECT_EQ(resolve_keyword("v", kRouteArguments), "vrf");          // via takes no abbreviation
  EXPECT_EQ(resolve_keyword("vi", kRouteArguments), std::nullopt);
  EXPECT_EQ(resolve_keyword("mt", kLinkArguments), std::nullopt);  // an interface named mt
  EXPECT_EQ(resolve_keyword("chg", kRouteCommands), "chg");
  EXPECT_EQ(resolve_keyword("default", kRouteArguments), std::nullopt);
}

}  // namespace
}  // namespace blastlab::execline
