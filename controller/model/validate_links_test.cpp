// Malformed links and prefixes: endpoints, duplicates, interface names, impairments and
// explicit addresses that are unparsable, misplaced or overlapping.
#include <gtest/gtest.h>

#include "controller/model/test_support.hpp"

namespace blastlab::model {
namespace {

TEST(ValidateLinksTest, UnknownNodeWithSuggestion) {
  LoadResult result = load(R"(nodes:
  bb1: {role: backbone}
  pop1: {role: edge}
links:
  - [bb1, pop2]
  - ["bb9:eth0", pop1]
)");
  EXPECT_TRUE(
      has_error(result, 5, 11, "links[0][1]", {"unknown node 'pop2'", "did you mean 'pop1'?"}));
  EXPECT_TRUE(
      has_error(result, 6, 6, "links[1][0]", {"unknown node 'bb9'", "did you mean 'bb1'?"}));
}

TEST(ValidateLinksTest, SelfLink) {
  LoadResult result = load("nodes: {bb1: {role: backbone}}\nlinks:\n  - endpoints: [bb1, bb1]\n");
  EXPECT_TRUE(has_error(result, 3, 16, "links[0].endpoints", {"from bb1 to itself"}));
}

TEST(ValidateLinksTest, DuplicateLink) {
  LoadResult result = load(R"(nodes:
  bb1: {role: backbone}
  pop1: {role: edge}
links:
  - [bb1, pop1]
  - [pop1, bb1]
)");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].str(),
            "t.yaml:6:5: links[1]: duplicate link pop1-bb1, first at line 5; name the interfaces "
            "(\"pop1:if\") to run parallel links");
}

TEST(ValidateLinksTest, ParallelLinksNeedNamedInterfacesOnBoth) {
  LoadResult ok = load(R"(nodes:
  bb1: {role: backbone}
  pop1: {role: edge}
links:
  - ["bb1:a0", "pop1:a0"]
  - ["bb1:b0", "pop1:b0"]
)");
  EXPECT_TRUE(ok.errors.empty()) << format_diagnostics(ok.errors);
  LoadResult one_named = load(R"(nodes:
  bb1: {role: backbone}
  pop1: {role: edge}
links:
  - [bb1, pop1]
  - ["bb1:eth9", "pop1:up0"]
)");
  EXPECT_TRUE(has_error(one_named, 6, 5, "links[1]", {"duplicate link bb1-pop1", "line 5"}));
}

TEST(ValidateLinksTest, InterfaceNamesMustBeUnique) {
  LoadResult result = load(R"(nodes:
  bb1: {role: backbone}
  pop1: {role: edge}
  pop2: {role: edge}
links:
  - ["bb1:up0", pop1]
  - ["bb1:up0", pop2]
)");
  EXPECT_TRUE(has_error(result, 7, 6, "links[1][0]",
                        {"interface 'up0' on bb1 is already used by links[0] at line 6"}));
}

TEST(ValidateLinksTest, MalformedEndpoints) {
  LoadResult result = load(R"(nodes: {a: {role: edge}, b: {role: edge}, c: {role: edge}}
links:
  - [a, b, c]
  - ["a:b:c", b]
  - ["", b]
  - [":eth0", b]
  - ["a:", c]
  - endpoints: [a]
  - 42
)");
  EXPECT_TRUE(has_error(result, 3, 5, "links[0]", {"exactly 2 endpoints", "got 3"}));
  EXPECT_TRUE(has_error(result, 4, 6, "links[1][0]", {"'a:b:c' has more than one ':'"}));
  EXPECT_TRUE(has_error(result, 5, 6, "links[2][0]", {"endpoint is empty", "node:ifname"}));
  EXPECT_TRUE(has_error(result, 6, 6, "links[3][0]", {"has no node name"}));
  EXPECT_TRUE(has_error(result, 7, 6, "links[4][0]", {"interface name '' is not allowed"}));
  EXPECT_TRUE(has_error(result, 8, 16, "links[5].endpoints", {"exactly 2 endpoints", "got 1"}));
  EXPECT_TRUE(has_error(result, 9, 5, "links[6]", {"expected a link", "got '42'"}));
}

TEST(ValidateLinksTest, BadInterfaceName) {
  LoadResult result = load(R"(nodes: {a: {role: edge}, b: {role: edge}}
links:
  - ["a:this-is-too-long0", "b:eth 0"]
)");
  EXPECT_TRUE(
      has_error(result, 3, 6, "links[0][0]", {"'this-is-too-long0'", "1 to 15 characters"}));
  EXPECT_TRUE(has_error(result, 3, 29, "links[0][1]", {"'eth 0' is not allowed"}));
}

TEST(ValidateLinksTest, JitterWithoutDelay) {
  LoadResult result = load(R"(nodes: {a: {role: edge}, b: {role: edge}}
links:
  - endpoints: [a, b]
    jitter: 1ms
)");
  EXPECT_TRUE(has_error(result, 4, 13, "links[0].jitter", {"jitter without delay"}));
  LoadResult in_defaults = load("defaults: {link: {jitter: 1ms}}\nnodes: {a: {role: edge}}\n");
  EXPECT_TRUE(has_error(in_defaults, 1, 27, "defaults.link.jitter", {"jitter without delay"}));
  LoadResult default_delay = load(R"(defaults: {link: {delay: 2ms}}
nodes: {a: {role: edge}, b: {role: edge}}
links:
  - endpoints: [a, b]
    jitter: 1ms
)");
  EXPECT_TRUE(default_delay.errors.empty()) << format_diagnostics(default_delay.errors);
}

TEST(ValidatePrefixesTest, Unparsable) {
  LoadResult result = load(R"(nodes: {a: {role: edge}, b: {role: edge, loopback: 198.18.0.1/33}}
links:
  - endpoints: [a, b]
    prefix: 198.19.0.300/31
)");
  EXPECT_TRUE(has_error(result, 4, 13, "links[0].prefix",
                        {"expected an IPv4 prefix", "got '198.19.0.300/31'"}));
  EXPECT_TRUE(has_error(result, 1, 52, "nodes.b.loopback", {"a.b.c.d or a.b.c.d/len"}));
}

TEST(ValidatePrefixesTest, HostBitsSet) {
  LoadResult result = load(R"(nodes: {a: {role: edge}, b: {role: edge}}
links:
  - endpoints: [a, b]
    prefix: 198.19.0.9/30
)");
  EXPECT_TRUE(has_error(result, 4, 13, "links[0].prefix", {"host bits set", "198.19.0.8/30"}));
}

TEST(ValidatePrefixesTest, WrongLength) {
  LoadResult result = load(R"(nodes:
  a: {role: edge, loopback: 198.18.0.10/31}
  b: {role: edge}
links:
  - endpoints: [a, b]
    prefix: 198.19.0.0/23
)");
  EXPECT_TRUE(has_error(result, 6, 13, "links[0].prefix", {"length /23", "/24 to /31"}));
  EXPECT_TRUE(has_error(result, 2, 29, "nodes.a.loopback", {"length /31", "/32"}));
}

TEST(ValidatePrefixesTest, OutsideLabRanges) {
  LoadResult result = load(R"(addressing:
  links: 10.0.0.0/16
nodes: {a: {role: edge, loopback: 198.20.0.1}}
)");
  EXPECT_TRUE(has_error(result, 2, 10, "addressing.links",
                        {"10.0.0.0/16 is outside the lab ranges", "198.18.0.0/15", "192.0.2.0/24",
                         "198.51.100.0/24", "203.0.113.0/24"}));
  EXPECT_TRUE(has_error(result, 3, 35, "nodes.a.loopback", {"outside the lab ranges"}));
}

TEST(ValidatePrefixesTest, OverlappingExplicitPrefixes) {
  LoadResult result = load(R"(nodes:
  a: {role: edge, loopback: 198.19.0.1}
  b: {role: edge}
  c: {role: edge}
links:
  - endpoints: [a, b]
    prefix: 198.19.0.0/30
  - endpoints: [b, c]
    prefix: 198.19.0.2/31
)");
  EXPECT_TRUE(has_error(result, 7, 13, "links[0].prefix",
                        {"198.19.0.0/30 overlaps nodes.a.loopback 198.19.0.1/32 at line 2"}));
  EXPECT_TRUE(has_error(result, 9, 13, "links[1].prefix",
                        {"198.19.0.2/31 overlaps links[0].prefix 198.19.0.0/30 at line 7"}));
}

TEST(ValidatePrefixesTest, OverlappingPools) {
  LoadResult result = load(R"(addressing:
  loopbacks: 198.18.0.0/20
  links: 198.18.0.0/16
nodes: {a: {role: edge}}
)");
  EXPECT_TRUE(has_error(result, 3, 10, "addressing.links",
                        {"overlaps the loopbacks pool 198.18.0.0/20", "disjoint"}));
}

}  // namespace
}  // namespace blastlab::model
