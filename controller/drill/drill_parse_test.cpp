#include <gtest/gtest.h>

#include <set>

#include "controller/drill/drill.hpp"
#include "controller/drill/test_support.hpp"
#include "controller/model/test_support.hpp"

namespace blastlab::drill {
namespace {

DrillLoadResult load(const std::string& text) {
  return load_drill_text(text, "d.yaml", model::minimal_topology());
}

std::string only_error(const std::string& text) {
  auto result = load(text);
  EXPECT_FALSE(result.drill);
  return model::only_error(result.errors);
}

// Replaces the first `from` of kGoodDrill by `to`.
std::string good_with(const std::string& from, const std::string& to) {
  std::string text = kGoodDrill;
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(DrillParse, ReadsAGoodDrill) {
  auto result = load(kGoodDrill);
  ASSERT_TRUE(result.drill) << model::format_diagnostics(result.errors);
  const Drill& d = *result.drill;
  EXPECT_EQ(d.name, "pop1-cut");
  EXPECT_EQ(d.topology, "../topologies/minimal.yaml");
  ASSERT_EQ(d.faults.size(), 2u);
  EXPECT_EQ(d.faults[0].name, "uplink-down");
  EXPECT_EQ(d.faults[0].reveal, "pop1's only uplink is shut.");
  ASSERT_EQ(d.faults[0].steps.size(), 2u);
  EXPECT_EQ(d.faults[0].steps[0].kind, scenario::StepKind::kVtysh);
  EXPECT_EQ(d.faults[1].steps[0].kind, scenario::StepKind::kLink);
  ASSERT_EQ(d.hints.size(), 2u);
  EXPECT_EQ(d.hints[1].cost, 15);
  ASSERT_EQ(d.restored.size(), 5u);
  EXPECT_EQ(d.restored[0].text(), "converged");
  EXPECT_EQ(d.restored[1].text(), "prefix-back 198.51.100.0/26 at transit1");
  EXPECT_EQ(d.restored[2].text(), "dns-answering at client1 (last 5 queries)");
  EXPECT_EQ(d.restored[3].text(), "reach dns1 -> dc1");
  EXPECT_EQ(d.restored[4].text(), "route-via 198.51.100.0/26 at pop1 via dns1");
  EXPECT_EQ(d.time_limit, Millis(600000));
  // No `probes`: a script's defaults.
  EXPECT_TRUE(d.probes.dns.enabled);
  EXPECT_EQ(d.probes.routes.at.text(), "role:peer");
}

TEST(DrillParse, DefaultsOfConditions) {
  auto result =
      load(good_with("  - prefix-back: {prefix: 198.51.100.0/26, at: transit1}\n"
                     "  - dns-answering: {at: client1, queries: 5}\n",
                     "  - prefix-back: {prefix: 198.51.100.0/26}\n"
                     "  - dns-answering:\n"));
  ASSERT_TRUE(result.drill) << model::format_diagnostics(result.errors);
  EXPECT_EQ(result.drill->restored[1].text(), "prefix-back 198.51.100.0/26 at role:peer");
  EXPECT_EQ(result.drill->restored[2].text(), "dns-answering at role:client (last 3 queries)");
}

TEST(DrillParse, UnknownKeysAreErrorsWithAGuess) {
  EXPECT_EQ(only_error(good_with("time-limit: 600s", "time-limit: 600s\nhintz: []")),
            "d.yaml:30:1: hintz: unknown key 'hintz'; did you mean 'hints'?; allowed: name, "
            "title, topology, topology-set, briefing, faults, hints, restored, time-limit or "
            "probes");
}

TEST(DrillParse, FaultStepsGiveTheScriptsErrors) {
  EXPECT_EQ(only_error(good_with("[bb1, pop1]", "[bb1, pop9]")),
            "d.yaml:19:31: faults[1].steps[0].link.between[1]: no node named 'pop9' in " +
                std::string(BLASTLAB_SOURCE_DIR) + "/topologies/minimal.yaml");
  EXPECT_EQ(only_error(good_with("[bb1, pop1]", "[bb2, pop1]")),
            "d.yaml:19:25: faults[1].steps[0].link.between: no link between bb2 and pop1 in " +
                std::string(BLASTLAB_SOURCE_DIR) + "/topologies/minimal.yaml");
}

TEST(DrillParse, AFaultIsMadeOfChanges) {
  EXPECT_EQ(only_error(good_with("      - link: {between: [bb1, pop1], state: down}",
                                 "      - gate: {expect: [sites.withdrawn == 0]}")),
            "d.yaml:19:9: faults[1].steps[0]: a fault is made of changes: vtysh, link, netem, "
            "stop, start or wait; a gate step belongs to a change script");
}

TEST(DrillParse, RequiredFieldsAndLimits) {
  EXPECT_EQ(only_error(good_with("time-limit: 600s", "time-limit: 0s")),
            "d.yaml:29:13: time-limit: expected more than 0 and at most 86400s (the longest the "
            "probes run), got 0s");
  EXPECT_EQ(only_error(good_with("cost: 5}", "cost: -5}")),
            "d.yaml:21:48: hints[0].cost: -5 is out of range; expected an integer from 0 to 100");
  auto no_restored = load(good_with("restored:\n  - converged\n", "restored: []\n  - x\n"));
  EXPECT_FALSE(no_restored.drill);
  auto no_faults =
      only_error(std::string(kGoodDrill).substr(0, std::string(kGoodDrill).find("faults:")) +
                 "faults: []\nrestored: [converged]\ntime-limit: 60s\n");
  EXPECT_EQ(no_faults, "d.yaml:6:9: faults: no faults; a drill needs at least one");
}

TEST(DrillParse, Conditions) {
  EXPECT_EQ(only_error(good_with("  - converged\n", "  - convergd\n")),
            "d.yaml:24:5: restored[0]: unknown condition 'convergd'; did you mean 'converged'?; "
            "conditions: converged, prefix-back, dns-answering, reach or route-via");
  EXPECT_EQ(only_error(good_with("via: dns1", "via: dns2")),
            "d.yaml:28:57: restored[4].route-via.via: pop1 has no link to dns2; a next hop is a "
            "neighbor");
  EXPECT_EQ(only_error(good_with("{at: client1, queries: 5}", "{at: dns1}")),
            "d.yaml:26:25: restored[2].dns-answering.at: 'dns1' selects dns1, which is a dns "
            "node; clients run the DNS probes only");
  EXPECT_EQ(only_error(good_with("to: dc1}", "to: dc1, rate: 5}")),
            "d.yaml:27:40: restored[3].reach.rate: `rate` belongs to probes.reach; a check "
            "probes each pair once");
}

TEST(DrillParse, DuplicateFaultNames) {
  EXPECT_EQ(only_error(good_with("name: link-down", "name: uplink-down")),
            "d.yaml:17:5: faults[1].name: duplicate fault name 'uplink-down', first at line 7");
}

TEST(ChooseFault, TheSameSeedPicksTheSameFault) {
  auto result = load(kGoodDrill);
  ASSERT_TRUE(result.drill);
  // splitmix64 is fixed: these values hold on every machine.
  EXPECT_EQ(splitmix64(0), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(splitmix64(1), 0x910a2dec89025cc1ULL);
  std::set<size_t> picked;
  for (uint64_t seed = 0; seed < 16; ++seed) {
    size_t a = choose_fault(*result.drill, seed);
    EXPECT_EQ(a, choose_fault(*result.drill, seed));
    EXPECT_EQ(a, size_t(splitmix64(seed) % 2));
    picked.insert(a);
  }
  EXPECT_EQ(picked.size(), 2u);  // both faults come up
}

TEST(FaultScript, TheProbesAndTheFaultsSteps) {
  auto result = load(kGoodDrill);
  ASSERT_TRUE(result.drill);
  auto script = fault_script(*result.drill, 1);
  EXPECT_EQ(script.name, "pop1-cut/link-down");
  ASSERT_EQ(script.steps.size(), 1u);
  EXPECT_EQ(script.steps[0].kind, scenario::StepKind::kLink);
  EXPECT_TRUE(script.dns.enabled);
}

}  // namespace
}  // namespace blastlab::drill
