// One test per kind of malformed topology, each pinning the diagnostic's line:column, its
// field path and the words of its message that tell the user what to do. This file covers
// the document, keys, types, node names and roles; links, prefixes and services have theirs.
#include <gtest/gtest.h>

#include "controller/model/test_support.hpp"

namespace blastlab::model {
namespace {

TEST(ValidateFileTest, EmptyFile) {
  for (std::string_view text : {"", "\n\n", "# only a comment\n"}) {
    LoadResult result = load(text);
    EXPECT_FALSE(result.topology);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_TRUE(has_error(result, 1, 1, "", {"file is empty", "needs at least `nodes`"}));
  }
}

TEST(ValidateFileTest, NotYaml) {
  LoadResult result = load("nodes:\n  a: {role: backbone\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_TRUE(has_error(result, 3, 1, "", {"not valid YAML", "end of map flow not found"}));
  EXPECT_EQ(result.errors[0].str(), "t.yaml:3:1: not valid YAML: end of map flow not found");
}

TEST(ValidateFileTest, TopLevelNotAMap) {
  LoadResult result = load("- a\n- b\n");
  EXPECT_TRUE(has_error(result, 1, 1, "", {"expected a map", "nodes", "got a list"}));
  EXPECT_TRUE(has_error(load("just text\n"), 1, 1, "", {"expected a map", "got 'just text'"}));
}

TEST(ValidateFileTest, NoNodes) {
  LoadResult result = load("\nname: lab\nasn: 64500\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_TRUE(has_error(result, 2, 1, "nodes", {"needs `nodes`"}));
  EXPECT_TRUE(has_error(load("nodes: {}\n"), 1, 8, "nodes", {"empty", "at least one node"}));
}

TEST(ValidateKeysTest, UnknownTopLevelKey) {
  LoadResult result = load("nodes: {a: {role: backbone}}\nlink: []\n");
  EXPECT_TRUE(has_error(result, 2, 1, "link", {"unknown key 'link'", "did you mean 'links'?"}));
}

TEST(ValidateKeysTest, UnknownNodeKeysSuggestTheClosest) {
  LoadResult result = load(R"(nodes:
  bb1:
    rol: backbone
  bb2:
    role: backbone
    route_reflector: true
)");
  EXPECT_TRUE(
      has_error(result, 3, 5, "nodes.bb1.rol", {"unknown key 'rol'", "did you mean 'role'?"}));
  EXPECT_TRUE(has_error(result, 6, 5, "nodes.bb2.route_reflector",
                        {"did you mean 'route-reflector'?", "allowed:"}));
  EXPECT_TRUE(has_error(result, 3, 5, "nodes.bb1.role", {"no `role`", "datacenter"}));
}

TEST(ValidateKeysTest, UnknownKeysInLinksDefaultsAndServices) {
  LoadResult result = load(R"(defaults:
  link: {dealy: 1ms}
nodes: {a: {role: backbone}, b: {role: backbone}}
links:
  - endpoint: [a, b]
services:
  dns:
    zonee: example.net
  prefixs: []
)");
  EXPECT_TRUE(has_error(result, 2, 10, "defaults.link.dealy", {"did you mean 'delay'?"}));
  EXPECT_TRUE(has_error(result, 5, 5, "links[0].endpoint", {"did you mean 'endpoints'?"}));
  EXPECT_TRUE(has_error(result, 5, 5, "links[0].endpoints", {"needs `endpoints`"}));
  EXPECT_TRUE(has_error(result, 8, 5, "services.dns.zonee", {"did you mean 'zone'?"}));
  EXPECT_TRUE(has_error(result, 9, 3, "services.prefixs", {"did you mean 'prefixes'?"}));
}

TEST(ValidateKeysTest, NoGuessForFarAwayKeys) {
  LoadResult result = load("nodes: {a: {role: backbone, colour: red}}\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_TRUE(has_error(result, 1, 29, "nodes.a.colour", {"unknown key 'colour'"}));
  EXPECT_EQ(result.errors[0].message.find("did you mean"), std::string::npos);
}

TEST(ValidateTypesTest, StringWhereIntegerExpected) {
  LoadResult result = load("defaults:\n  mtu: big\nnodes: {a: {role: backbone}}\n");
  EXPECT_TRUE(has_error(result, 2, 8, "defaults.mtu",
                        {"expected an integer from 68 to 65535", "got 'big'"}));
  EXPECT_TRUE(has_error(load("defaults: {mtu: 20}\nnodes: {a: {role: backbone}}\n"), 1, 17,
                        "defaults.mtu", {"20 is out of range", "68 to 65535"}));
}

TEST(ValidateTypesTest, MapWhereListExpected) {
  LoadResult result = load("nodes: {a: {role: backbone}}\nlinks:\n  a: b\n");
  EXPECT_TRUE(has_error(result, 3, 3, "links", {"expected a list", "got a map"}));
  LoadResult tags = load("nodes: {a: {role: backbone, tags: core}}\n");
  EXPECT_TRUE(has_error(tags, 1, 35, "nodes.a.tags", {"expected a list", "got 'core'"}));
}

TEST(ValidateTypesTest, ListWhereMapExpected) {
  LoadResult result = load("nodes:\n  - a\n  - b\n");
  EXPECT_TRUE(has_error(result, 2, 3, "nodes", {"expected a map", "got a list"}));
  LoadResult node = load("nodes:\n  a:\n");
  EXPECT_TRUE(has_error(node, 2, 3, "nodes.a", {"expected a map with keys role", "got nothing"}));
}

TEST(ValidateTypesTest, BadDurations) {
  LoadResult result = load(R"(nodes: {a: {role: backbone}, b: {role: backbone}, c: {role: edge}}
links:
  - endpoints: [a, b]
    delay: 5
  - endpoints: [a, c]
    delay: 5 minutes
)");
  EXPECT_TRUE(
      has_error(result, 4, 12, "links[0].delay", {"expected a duration", "'5' has no unit"}));
  EXPECT_TRUE(has_error(result, 6, 12, "links[1].delay", {"us, ms or s", "got '5 minutes'"}));
}

TEST(ValidateTypesTest, BadRates) {
  LoadResult result = load(R"(nodes: {a: {role: backbone}, b: {role: backbone}}
defaults:
  link: {rate: 100}
links:
  - endpoints: [a, b]
    rate: fast
)");
  EXPECT_TRUE(has_error(result, 3, 16, "defaults.link.rate", {"expected a rate", "no unit"}));
  EXPECT_TRUE(has_error(result, 6, 11, "links[0].rate", {"bit, kbit, mbit or gbit", "'fast'"}));
  EXPECT_TRUE(has_error(load("defaults: {link: {rate: 0mbit}}\nnodes: {a: {role: edge}}\n"), 1, 25,
                        "defaults.link.rate", {"zero", "greater than 0"}));
}

TEST(ValidateTypesTest, LossOutOfRange) {
  LoadResult result = load(R"(nodes: {a: {role: backbone}, b: {role: backbone}}
links:
  - endpoints: [a, b]
    loss: 150%
)");
  EXPECT_TRUE(has_error(result, 4, 11, "links[0].loss", {"'150%' is out of range", "0 to 100"}));
  EXPECT_TRUE(has_error(load("defaults: {link: {loss: lots}}\nnodes: {a: {role: edge}}\n"), 1, 25,
                        "defaults.link.loss", {"expected a loss percentage", "'lots'"}));
}

TEST(ValidateTypesTest, AsnNotANumber) {
  LoadResult result = load("asn: abc\nnodes:\n  t1: {role: peer, asn: 0}\n");
  EXPECT_TRUE(
      has_error(result, 1, 6, "asn", {"expected an integer from 1 to 4294967294", "got 'abc'"}));
  EXPECT_TRUE(has_error(result, 3, 25, "nodes.t1.asn", {"0 is out of range"}));
}

TEST(ValidateTypesTest, BadBooleanAndRole) {
  LoadResult result = load(R"(nodes:
  bb1: {role: backbone, route-reflector: maybe}
  bb2: {role: bakbone}
)");
  EXPECT_TRUE(
      has_error(result, 2, 42, "nodes.bb1.route-reflector", {"expected true or false", "'maybe'"}));
  EXPECT_TRUE(has_error(result, 3, 15, "nodes.bb2.role",
                        {"unknown role 'bakbone'", "did you mean 'backbone'?", "allowed:"}));
}

TEST(ValidateNodesTest, DuplicateNodeNames) {
  LoadResult result = load(R"(nodes:
  bb1: {role: backbone}
  bb2: {role: backbone}
  bb1: {role: edge}
)");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_TRUE(has_error(result, 4, 3, "nodes.bb1", {"duplicate node 'bb1'", "first at line 2"}));
}

TEST(ValidateNodesTest, NameTooLongForAnInterface) {
  LoadResult result = load("nodes:\n  backbone-router-01: {role: backbone}\n");
  EXPECT_TRUE(has_error(result, 2, 3, "nodes.backbone-router-01",
                        {"name 'backbone-router-01' is 18 characters; Linux interface names hold "
                         "at most 15"}));
}

TEST(ValidateNodesTest, NameWithForbiddenCharacters) {
  LoadResult result = load("nodes:\n  Bb_1: {role: backbone}\n  1bb: {role: edge}\n");
  EXPECT_TRUE(has_error(result, 2, 3, "nodes.Bb_1", {"'Bb_1' is not allowed", "lowercase"}));
  EXPECT_TRUE(has_error(result, 3, 3, "nodes.1bb", {"starting with a letter"}));
}

TEST(ValidateNodesTest, LabNameRules) {
  LoadResult result = load("name: blast-radius-lab\nnodes: {a: {role: edge}}\n");
  EXPECT_TRUE(has_error(result, 1, 7, "name", {"is 16 characters", "at most 12"}));
  EXPECT_TRUE(has_error(load("name: Lab1\nnodes: {a: {role: edge}}\n"), 1, 7, "name",
                        {"'Lab1' is not allowed"}));
}

TEST(ValidateNodesTest, BadTag) {
  LoadResult result = load("nodes:\n  a: {role: edge, tags: [ok, Not OK]}\n");
  EXPECT_TRUE(has_error(result, 2, 30, "nodes.a.tags[1]", {"'Not OK' is not allowed"}));
}

TEST(ValidateRolesTest, DnsWithoutSite) {
  LoadResult result = load("nodes:\n  dns1: {role: dns}\n");
  EXPECT_TRUE(has_error(result, 2, 3, "nodes.dns1.site", {"has no `site`", "edge node"}));
}

TEST(ValidateRolesTest, SiteMustBeAnEdgeNode) {
  LoadResult result = load(R"(nodes:
  bb1: {role: backbone}
  pop1: {role: edge}
  dns1: {role: dns, site: bb1}
  dns2: {role: dns, site: pop9}
links: [[bb1, dns1]]
)");
  EXPECT_TRUE(has_error(result, 4, 27, "nodes.dns1.site",
                        {"site 'bb1' is a backbone node", "must be an edge node"}));
  EXPECT_TRUE(
      has_error(result, 5, 27, "nodes.dns2.site", {"unknown node 'pop9'", "did you mean 'pop1'?"}));
}

TEST(ValidateRolesTest, DnsNeedsALinkToItsSite) {
  LoadResult result = load(R"(nodes:
  pop1: {role: edge}
  pop2: {role: edge}
  dns1: {role: dns, site: pop1}
links: [[pop2, dns1]]
)");
  EXPECT_TRUE(has_error(result, 4, 27, "nodes.dns1.site",
                        {"dns1 has no link to its site pop1", "[dns1, pop1]"}));
}

TEST(ValidateRolesTest, RoleSpecificKeysOnTheWrongRole) {
  LoadResult result = load(R"(nodes:
  bb1: {role: backbone, asn: 64501}
  pop1: {role: edge, site: pop2, route-reflector: true}
  pop2: {role: edge}
  t1: {role: peer, region: west, network: 203.0.113.0/28}
)");
  EXPECT_TRUE(has_error(result, 2, 25, "nodes.bb1.asn",
                        {"only for peer and dns nodes",
                         "the operator's nodes use the top-level asn", "bb1 is a backbone node"}));
  EXPECT_TRUE(has_error(result, 3, 22, "nodes.pop1.site", {"only for dns nodes"}));
  EXPECT_TRUE(has_error(result, 3, 34, "nodes.pop1.route-reflector", {"only for backbone nodes"}));
  EXPECT_TRUE(has_error(result, 5, 20, "nodes.t1.region", {"only for backbone and edge nodes"}));
  EXPECT_TRUE(has_error(result, 5, 34, "nodes.t1.network", {"only for client nodes"}));
}

TEST(ValidateRolesTest, ClientNeedsAPeer) {
  LoadResult result = load(R"(nodes:
  pop1: {role: edge}
  client1: {role: client}
links: [[client1, pop1]]
)");
  EXPECT_TRUE(has_error(result, 3, 3, "nodes.client1",
                        {"client1 has no link to a peer; clients reach the world through a peer"}));
}

TEST(ValidateRolesTest, AsnConflicts) {
  LoadResult result = load(R"(asn: 64500
nodes:
  t1: {role: peer, asn: 64510}
  t2: {role: peer, asn: 64510}
  t3: {role: peer, asn: 64500}
)");
  EXPECT_TRUE(
      has_error(result, 4, 25, "nodes.t2.asn", {"asn 64510 is already used by t1 at line 3"}));
  EXPECT_TRUE(has_error(result, 5, 25, "nodes.t3.asn", {"operator's own"}));
}

TEST(ValidateOrderTest, CollectsEveryErrorSortedByPosition) {
  LoadResult result = load(R"(name: Bad
nodes:
  bb1: {role: backbone, colour: red}
  dns1: {role: dns}
links:
  - [bb1, nowhere]
services:
  dns: {ttl: -1}
)");
  EXPECT_FALSE(result.topology);
  ASSERT_GE(result.errors.size(), 6u) << format_diagnostics(result.errors);
  for (size_t i = 1; i < result.errors.size(); ++i) {
    const SourceMark& a = result.errors[i - 1].mark;
    const SourceMark& b = result.errors[i].mark;
    EXPECT_TRUE(a.line < b.line || (a.line == b.line && a.column <= b.column))
        << format_diagnostics(result.errors);
  }
  EXPECT_TRUE(has_error(result, 1, 7, "name", {"not allowed"}));
  EXPECT_TRUE(has_error(result, 3, 25, "nodes.bb1.colour", {"unknown key"}));
  EXPECT_TRUE(has_error(result, 4, 3, "nodes.dns1.site", {"no `site`"}));
  EXPECT_TRUE(has_error(result, 6, 11, "links[0][1]", {"unknown node 'nowhere'"}));
  EXPECT_TRUE(has_error(result, 8, 14, "services.dns.ttl", {"-1 is out of range"}));
  EXPECT_TRUE(has_error(result, 8, 8, "services.dns", {"datacenter"}));
}

}  // namespace
}  // namespace blastlab::model
