#include "controller/scenario/script.hpp"

#include <gtest/gtest.h>

#include "controller/model/test_support.hpp"
#include "controller/scenario/selector.hpp"
#include "controller/scenario/template.hpp"

namespace blastlab::scenario {
namespace {

const model::Topology& minimal() {
  return model::minimal_topology();
}

ScriptLoadResult load(const std::string& text) {
  return load_script_text(text, "s.yaml", minimal());
}

// The one error a bad script gives, as `s.yaml:L:C: field: message`.
std::string only_error(const std::string& text) {
  auto result = load(text);
  EXPECT_FALSE(result.script);
  return model::only_error(result.errors);
}

constexpr const char* kGood = R"(name: backbone-down
description: shut the backbone, then roll it back
probes:
  dns: {rate: 20/s, timeout: 800ms, targets: [resolver]}
  routes: {at: [transit1], prefixes: [anycast, covering]}
baseline: 2s
observe: 4s
steps:
  - name: audit
    vtysh:
      on: role:backbone
      each-link: [role:backbone, role:edge, role:datacenter]
      config: |
        interface {{interface}}
         shutdown
  - wait: {until: prefix-gone, prefix: 198.51.100.0/26, timeout: 20s}
  - after: 3s
    rollback: audit
  - wait: {until: dns-answering, at: client1, queries: 5}
  - link: {between: [bb1, pop1], state: down}
    name: cut
  - at: 30s
    rollback: cut
expect:
  - dns.success_ratio >= 0.5
  - sites.withdrawn <= 2
)";

TEST(ScriptTest, ReadsEveryPartOfAGoodScript) {
  auto result = load(kGood);
  ASSERT_TRUE(result.script) << model::format_diagnostics(result.errors);
  const Script& s = *result.script;
  EXPECT_EQ(s.name, "backbone-down");
  EXPECT_EQ(s.baseline, Millis(2000));
  EXPECT_EQ(s.observe, Millis(4000));
  EXPECT_EQ(s.dns.rate, 20);
  EXPECT_EQ(s.dns.timeout, Millis(800));
  EXPECT_EQ(s.dns.targets, std::vector<std::string>{"resolver"});
  EXPECT_EQ(s.dns.clients.nodes, std::vector<std::string>{"client1"});
  EXPECT_EQ(s.routes.at.nodes, std::vector<std::string>{"transit1"});
  EXPECT_EQ(s.routes.prefixes, (std::vector<std::string>{"198.51.100.0/26", "198.51.100.0/24"}));
  EXPECT_EQ(s.routes.kinds, (std::vector<std::string>{"anycast", "covering"}));
  ASSERT_EQ(s.steps.size(), 6u);
  EXPECT_EQ(s.steps[0].kind, StepKind::kVtysh);
  EXPECT_EQ(s.steps[0].vtysh.on.nodes, (std::vector<std::string>{"bb1", "bb2"}));
  EXPECT_EQ(s.steps[0].vtysh.config,
            (std::vector<std::string>{"interface {{interface}}", " shutdown"}));
  EXPECT_EQ(s.steps[1].name, "step-2");
  EXPECT_EQ(s.steps[1].wait.until, WaitUntil::kPrefixGone);
  EXPECT_EQ(s.steps[1].wait.at.nodes, (std::vector<std::string>{"transit1", "transit2"}));
  EXPECT_EQ(s.steps[1].wait.timeout, Millis(20000));
  EXPECT_EQ(s.steps[2].after, Millis(3000));
  EXPECT_EQ(s.steps[2].rollback, "audit");
  EXPECT_EQ(s.steps[3].wait.queries, 5);
  EXPECT_EQ(s.steps[4].link.a, "bb1");
  EXPECT_FALSE(s.steps[4].link.up);
  EXPECT_EQ(s.steps[5].at, Millis(30000));
  ASSERT_EQ(s.expect.size(), 2u);
  EXPECT_EQ(s.expect[0].metric, "dns.success_ratio");
  EXPECT_EQ(s.expect[0].op, ">=");
  EXPECT_EQ(s.expect[0].value, 0.5);
  EXPECT_TRUE(s.expect[0].holds(0.5));
  EXPECT_FALSE(s.expect[1].holds(3));
}

TEST(ScriptTest, DefaultsProbeEveryClientAndPeerForTheServicePrefixes) {
  auto result = load("name: x\nsteps:\n  - link: {between: [bb1, pop1], state: down}\n");
  ASSERT_TRUE(result.script) << model::format_diagnostics(result.errors);
  EXPECT_EQ(result.script->routes.at.nodes, (std::vector<std::string>{"transit1", "transit2"}));
  EXPECT_EQ(result.script->routes.prefixes,
            (std::vector<std::string>{"198.51.100.0/26", "198.51.100.0/24"}));
  EXPECT_EQ(result.script->dns.targets, (std::vector<std::string>{"resolver", "anycast"}));
}

TEST(ScriptTest, ExpandsTheTemplatePerLinkOfEachRouter) {
  auto result = load(kGood);
  ASSERT_TRUE(result.script);
  auto lines = expand_config(result.script->steps[0].vtysh, minimal(), "bb1");
  // bb1's links in file order: dc1, bb2, pop1.
  EXPECT_EQ(lines, (std::vector<std::string>{"interface dc1", " shutdown", "interface bb2",
                                             " shutdown", "interface pop1", " shutdown"}));
  VtyshStep facts{.config = {"router bgp {{asn}}", " bgp router-id {{ router_id }}"}};
  auto own = expand_config(facts, minimal(), "bb2");
  EXPECT_EQ(own[0], "router bgp 64500");
  EXPECT_EQ(own[1].rfind(" bgp router-id 198.", 0), 0u) << own[1];
}

TEST(ScriptTest, SelectorsTakeNamesGlobsRolesAndRegions) {
  std::string error;
  EXPECT_EQ(*resolve_term(minimal(), "pop*", &error), (std::vector<std::string>{"pop1", "pop2"}));
  EXPECT_EQ(*resolve_term(minimal(), "region:east", &error),
            (std::vector<std::string>{"bb2", "pop2"}));
  EXPECT_EQ(resolve_term(minimal(), "all", &error)->size(), minimal().nodes.size());
  EXPECT_FALSE(resolve_term(minimal(), "role:switch", &error));
  EXPECT_NE(error.find("unknown role 'switch'"), std::string::npos) << error;
  EXPECT_FALSE(resolve_term(minimal(), "role:router", &error));
  EXPECT_NE(error.find("selects no node"), std::string::npos) << error;
  EXPECT_FALSE(resolve_term(minimal(), "core*", &error));
  EXPECT_NE(error.find("selects no node"), std::string::npos) << error;
  EXPECT_TRUE(glob_match("t*1", "transit1"));
  EXPECT_FALSE(glob_match("t?1", "transit1"));
}

TEST(ScriptTest, ErrorsNameFileLineColumnAndField) {
  EXPECT_EQ(only_error("name: x\nsteps:\n  - link: {between: [bb1, pop9], state: down}\n"),
            "s.yaml:3:27: steps[0].link.between[1]: no node named 'pop9' in " + minimal().file);
  EXPECT_EQ(
      only_error("name: x\nsteps:\n  - link: {between: [bb1, pop2], state: down}\n"),
      "s.yaml:3:21: steps[0].link.between: no link between bb1 and pop2 in " + minimal().file);
  EXPECT_EQ(only_error("name: x\nsteps:\n  - wait: {until: convergd}\n"),
            "s.yaml:3:19: steps[0].wait.until: unknown condition 'convergd'; did you mean "
            "'converged'?; conditions: converged, prefix-gone, prefix-back, dns-failing or "
            "dns-answering");
  EXPECT_EQ(only_error("name: x\nsteps:\n  - rollback: nothing\n"),
            "s.yaml:3:5: steps[0].rollback: no earlier step named 'nothing'; name the step to "
            "roll back with `name`");
  EXPECT_EQ(only_error("name: x\nsteps:\n  - {name: w, wait: {until: converged}}\n  - "
                       "rollback: w\n"),
            "s.yaml:4:5: steps[1].rollback: step 'w' is a wait step, which changes nothing to "
            "roll back; vtysh, link, netem and stop steps can be");
  EXPECT_EQ(only_error("name: x\nsteps:\n  - vtysh: {on: client1, config: shutdown}\n"),
            "s.yaml:3:17: steps[0].vtysh.on: 'client1' selects client1, which is a client node; "
            "nodes that run FRR take vtysh only");
  EXPECT_EQ(only_error("name: x\nsteps:\n  - link: {between: [bb1, pop1], state: down}\n    "
                       "stop: bb1\n"),
            "s.yaml:3:5: steps[0]: a step does one thing; this one has both `link` and `stop`");
  EXPECT_EQ(only_error("name: x\nsteps:\n  - vtysh: {on: bb1, config: 'interface {{ifname}}'}\n"),
            "s.yaml:3:30: steps[0].vtysh.config: 'interface {{ifname}}': unknown template name "
            "'ifname'; known: node, asn, router_id or region");
  EXPECT_EQ(only_error("name: x\nsteps:\n  - stop: bb1\nexpect:\n  - dns.succes_ratio >= 1\n")
                .substr(0, 80),
            std::string("s.yaml:5:5: expect[0]: unknown metric 'dns.succes_ratio'; did you mean "
                        "'dns.success_ratio'?")
                .substr(0, 80));
  EXPECT_EQ(only_error("name: x\nsteps:\n  - stop: bb1\nexpect:\n  - sites.withdrawn about 2\n")
                .substr(0, 60),
            std::string("s.yaml:5:5: expect[0]: 'sites.withdrawn about 2': expected `METRIC OP "
                        "NUMBER`")
                .substr(0, 60));
  EXPECT_EQ(
      only_error("name: x\nsteps:\n  - stop: bb1\n    after: soon\n"),
      "s.yaml:4:12: steps[0].after: expected a duration (a number with unit us, ms or s, e.g. "
      "500us, 1.5ms, 2s); got 'soon'");
  auto typo = load("name: x\nstep:\n  - stop: bb1\n");
  ASSERT_EQ(typo.errors.size(), 2u);
  EXPECT_EQ(typo.errors[0].str(), "s.yaml:1:1: steps: a script needs `steps`");
  EXPECT_EQ(typo.errors[1].str().substr(0, 59),
            "s.yaml:2:1: step: unknown key 'step'; did you mean 'steps'?");
}

// What an agent would refuse is refused here, at the field (contracts/limits.hpp): dnsprobe's
// rate, timeout, names and targets, every agent's --duration.
TEST(ScriptTest, ProbesWithinTheAgentsLimits) {
  auto probes = [](const std::string& dns) {
    return only_error("name: x\nprobes:\n  dns: " + dns + "\nsteps:\n  - stop: bb1\n");
  };
  EXPECT_EQ(probes("{rate: 0.005/s}"),
            "s.yaml:3:15: probes.dns.rate: expected a rate like 10 or 10/s, queries per second per "
            "target, from 0.01 to 1000; got '0.005/s'");
  EXPECT_EQ(probes("{rate: 1001}"),
            "s.yaml:3:15: probes.dns.rate: expected a rate like 10 or 10/s, queries per second per "
            "target, from 0.01 to 1000; got '1001'");
  EXPECT_EQ(probes("{timeout: 61s}"),
            "s.yaml:3:18: probes.dns.timeout: 61s must be a whole number of milliseconds from 1ms "
            "to 60s");
  EXPECT_EQ(probes("{timeout: 1500us}"),
            "s.yaml:3:18: probes.dns.timeout: 1500us must be a whole number of milliseconds from "
            "1ms to 60s");
  EXPECT_EQ(probes("{query: www.}"),
            "s.yaml:3:16: probes.dns.query: expected `unique` (a new name per query, which no "
            "cache answers) or a name in the zone like www, without a trailing dot; got 'www.'");
  std::string label(63, 'q');
  std::string query = label + "." + label + "." + label + "." + std::string(53, 'q');
  EXPECT_EQ(probes("{query: " + query + "}"),
            "s.yaml:3:16: probes.dns.query: '" + query + "' in the zone makes " + query +
                ".example.net, 257 characters; a DNS name has at most 253");
  EXPECT_EQ(probes("{targets: []}"),
            "s.yaml:3:18: probes.dns.targets: no targets; give resolver, anycast or both (`dns: "
            "false` runs no DNS probe)");
  EXPECT_EQ(probes("{targets: [resolver, resolver]}"),
            "s.yaml:3:29: probes.dns.targets[1]: target 'resolver' is listed twice; list each "
            "once");
  auto at_limits = load("name: x\nprobes:\n  dns: {rate: 0.01, timeout: 60s, query: " + label +
                        "}\nobserve: 86000s\nsteps:\n  - stop: bb1\n");
  ASSERT_TRUE(at_limits.script) << model::format_diagnostics(at_limits.errors);
  EXPECT_EQ(at_limits.script->dns.timeout, std::chrono::seconds(60));
}

TEST(ScriptTest, TheRunFitsTheAgentsDuration) {
  EXPECT_EQ(only_error("name: x\nobserve: 86400s\nsteps:\n  - stop: bb1\n"),
            "s.yaml:2:10: observe: the run may last up to 86463s (baseline, observe and 60 s, each "
            "step's delay, wait timeout and 30 s), more than the 86400s its probes may run; "
            "shorten it");
  EXPECT_EQ(only_error("name: x\nsteps:\n  - stop: bb1\n  - wait: {until: converged, timeout: "
                       "86300s}\n  - start: bb1\n"),
            "s.yaml:4:5: steps[1]: with this step the run may last up to 86428s (baseline, "
            "observe and 60 s, each step's delay, wait timeout and 30 s), more than the 86400s its "
            "probes may run; shorten it");
}

// A wait on a prefix no router of the lab ever holds would pass at once (prefix-gone) or
// never (prefix-back); one the routes probes do not watch would be missing from the report.
TEST(ScriptTest, PrefixWaitsAreOnPrefixesTheLabAnnouncesAndTheProbesWatch) {
  EXPECT_EQ(
      only_error("name: x\nsteps:\n  - wait: {until: prefix-gone, prefix: 198.51.100.0/25}\n"),
      "s.yaml:3:40: steps[0].wait.prefix: no node of " + minimal().file +
          " originates 198.51.100.0/25, so no router of the lab holds it: prefix-gone would "
          "hold at once and prefix-back never; give a prefix the lab announces "
          "(198.51.100.0/26, 198.51.100.0/24, a node's loopback, a client network or a link "
          "prefix)");
  std::string dc1 = minimal().find_node("dc1")->loopback->str();
  EXPECT_EQ(only_error("name: x\nsteps:\n  - wait: {until: prefix-back, prefix: " + dc1 + "}\n"),
            "s.yaml:3:40: steps[0].wait.prefix: the routes probes do not watch " + dc1 +
                " (they watch 198.51.100.0/26, 198.51.100.0/24); add it to probes.routes.prefixes "
                "so that the report measures what the wait waits for");
  for (const std::string& probes : {"probes: {routes: {prefixes: [anycast, " + dc1 + "]}}\n",
                                    std::string("probes: {routes: false}\n")}) {
    auto watched = load("name: x\n" + probes +
                        "steps:\n  - wait: {until: prefix-back, prefix: " + dc1 + "}\n");
    EXPECT_TRUE(watched.script) << probes << model::format_diagnostics(watched.errors);
  }
  EXPECT_EQ(only_error("name: x\nprobes: {routes: {prefixes: [anycast, 192.0.2.0/24]}}\nsteps:\n"
                       "  - stop: bb1\n"),
            "s.yaml:2:39: probes.routes.prefixes[1]: no node of " + minimal().file +
                " originates 192.0.2.0/24, so no router of the lab holds it: routewatch would "
                "report it absent from the start; give a prefix the lab announces "
                "(198.51.100.0/26, 198.51.100.0/24, a node's loopback, a client network or a link "
                "prefix)");
}

TEST(ScriptTest, AuditsAndGatesAreCheckedToo) {
  auto good = load(R"(name: x
steps:
  - {name: audit, audit: {change: cut, max-cut: 25%, bug: true}}
  - {name: cut, vtysh: {on: bb1, config: [router ospf]}}
  - gate: {observe: 2s, expect: [sites.withdrawn == 0]}
)");
  ASSERT_TRUE(good.script) << model::format_diagnostics(good.errors);
  EXPECT_DOUBLE_EQ(good.script->steps[0].audit.max_cut, 0.25);
  EXPECT_TRUE(good.script->steps[0].audit.bug);
  EXPECT_EQ(good.script->steps[2].gate.observe, std::chrono::seconds(2));
  ASSERT_EQ(good.script->steps[2].gate.expect.size(), 1u);
  EXPECT_EQ(good.script->steps[2].gate.expect[0].metric, "sites.withdrawn");

  EXPECT_EQ(only_error("name: x\nsteps:\n  - audit: {change: cut, max-cut: 150%}\n  - {name: cut, "
                       "vtysh: {on: bb1, config: [router ospf]}}\n"),
            "s.yaml:3:35: steps[0].audit.max-cut: expected the largest share of backbone links a "
            "change may cut, above 0 and at most 100%, like 50% or 0.5; got '150%'");
  EXPECT_EQ(only_error("name: x\nsteps:\n  - {name: cut, stop: bb1}\n  - audit: {change: cut}\n"),
            "s.yaml:4:5: steps[1].audit.change: no later step named 'cut'; an audit checks a "
            "change that comes after it");
  EXPECT_EQ(only_error("name: x\nsteps:\n  - audit: {change: cut}\n  - {name: cut, stop: bb1}\n"),
            "s.yaml:3:5: steps[0].audit.change: step 'cut' is a stop step; an audit checks vtysh "
            "changes");
  EXPECT_EQ(only_error("name: x\nsteps:\n  - gate: {observe: 2s}\n"),
            "s.yaml:3:11: steps[0].gate.expect: a gate needs `expect`: the limits that halt the "
            "rollout, like `sites.withdrawn == 0`");
  EXPECT_EQ(
      only_error("name: x\nsteps:\n  - gate: {expect: [sites.withdrawn = 0]}\n").substr(0, 60),
      std::string("s.yaml:3:21: steps[0].gate.expect[0]: 'sites.withdrawn = 0': expected")
          .substr(0, 60));
}

TEST(ScriptTest, ReportsEveryErrorOfAFileAtOnce) {
  auto result = load(
      "name: x\nsteps:\n  - stop: nope\n  - wait: {until: prefix-gone}\n"
      "  - link: {between: [bb1, pop1]}\n");
  EXPECT_FALSE(result.script);
  ASSERT_EQ(result.errors.size(), 3u) << model::format_diagnostics(result.errors);
  EXPECT_EQ(result.errors[0].mark.line, 3);
  EXPECT_EQ(result.errors[1].mark.line, 4);
  EXPECT_EQ(result.errors[2].mark.line, 5);
}

TEST(ScriptTest, RejectsEmptyAndNonYamlFiles) {
  EXPECT_EQ(load("").errors.front().str(),
            "s.yaml:1:1: file is empty; a script needs at least `name` and `steps`");
  EXPECT_NE(load("name: [x\n").errors.front().str().find("not valid YAML"), std::string::npos);
  auto missing = load_script_file("/nonexistent/s.yaml", minimal());
  ASSERT_FALSE(missing.errors.empty());
  EXPECT_NE(missing.errors.front().str().find("cannot read the file"), std::string::npos);
}

}  // namespace
}  // namespace blastlab::scenario
