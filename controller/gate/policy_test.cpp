#include "controller/gate/policy.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "controller/model/yaml_reader.hpp"

namespace blastlab::gate {
namespace {

// The one error a bad policy gives, as `p.yaml:L:C: field: message`.
std::string only_error(const std::string& text) {
  auto result = load_policy_text(text, "p.yaml");
  EXPECT_FALSE(result.policy);
  if (result.errors.empty()) return "(no error)";
  EXPECT_EQ(result.errors.size(), 1u) << model::format_diagnostics(result.errors);
  return result.errors.front().str();
}

Invariant invariant(const std::string& text) {
  std::string error;
  auto parsed = parse_invariant(text, &error);
  EXPECT_TRUE(parsed) << error;
  return parsed.value_or(Invariant{});
}

constexpr const char* kGood = R"(baseline: 2s
observe: 4500ms
recovery: 20s
audit: {max-cut: 25%}
invariants:
  - sites.withdrawn <= 1
  - dns.success_ratio >= baseline - 0.01
  - dns.latency_p95_ms <= baseline * 1.5
  - resolver.load_ratio < baseline + 2
  - bgp.unplanned_sessions_down == 0
  - clients.affected != baseline
)";

TEST(PolicyTest, AGoodFileGivesTimingsTheAuditAndEveryInvariant) {
  auto result = load_policy_text(kGood, "p.yaml");
  ASSERT_TRUE(result.policy) << model::format_diagnostics(result.errors);
  const Policy& p = *result.policy;
  EXPECT_EQ(p.file, "p.yaml");
  EXPECT_EQ(p.baseline, Millis(2000));
  EXPECT_EQ(p.observe, Millis(4500));
  EXPECT_EQ(p.recovery, Millis(20000));
  EXPECT_TRUE(p.audit);
  EXPECT_DOUBLE_EQ(p.audit_max_cut, 0.25);
  ASSERT_EQ(p.invariants.size(), 6u);

  const Invariant& absolute = p.invariants[0];
  EXPECT_EQ(absolute.text, "sites.withdrawn <= 1");
  EXPECT_EQ(absolute.file, "p.yaml");
  EXPECT_EQ(absolute.mark.line, 6);
  EXPECT_EQ(absolute.mark.column, 5);
  EXPECT_EQ(absolute.metric, "sites.withdrawn");
  EXPECT_EQ(absolute.op, "<=");
  EXPECT_FALSE(absolute.relative);
  EXPECT_EQ(absolute.limit(std::nullopt), 1.0);
  EXPECT_EQ(absolute.limit(7.0), 1.0);

  const Invariant& minus = p.invariants[1];
  EXPECT_TRUE(minus.relative);
  EXPECT_EQ(minus.op, ">=");
  EXPECT_EQ(minus.limit(std::nullopt), std::nullopt);
  EXPECT_DOUBLE_EQ(minus.limit(0.5).value(), 0.49);

  EXPECT_DOUBLE_EQ(p.invariants[2].limit(10.0).value(), 15.0);
  EXPECT_DOUBLE_EQ(p.invariants[3].limit(1.0).value(), 3.0);
  EXPECT_EQ(p.invariants[4].metric, "bgp.unplanned_sessions_down");
  EXPECT_EQ(p.invariants[5].limit(4.0), 4.0);
  EXPECT_EQ(p.invariants[5].op, "!=");
}

TEST(PolicyTest, DefaultsAndAnAuditThatIsOff) {
  auto result = load_policy_text("audit: off\ninvariants: [sites.withdrawn == 0]\n", "p.yaml");
  ASSERT_TRUE(result.policy) << model::format_diagnostics(result.errors);
  EXPECT_FALSE(result.policy->audit);
  EXPECT_EQ(result.policy->baseline, Millis(3000));
  EXPECT_EQ(result.policy->observe, Millis(6000));
  EXPECT_EQ(result.policy->recovery, Millis(30000));
  auto share =
      load_policy_text("audit: {max-cut: 0.1}\ninvariants: [sites.withdrawn == 0]\n", "p.yaml");
  ASSERT_TRUE(share.policy);
  EXPECT_DOUBLE_EQ(share.policy->audit_max_cut, 0.1);
  EXPECT_TRUE(share.policy->audit);
}

TEST(PolicyTest, EachKindOfErrorAtItsFileLineAndColumn) {
  EXPECT_EQ(only_error(""), "p.yaml:1:1: file is empty; a policy needs at least `invariants`");
  EXPECT_EQ(only_error("baseline: 2s\n"),
            "p.yaml:1:1: invariants: a policy needs `invariants`: the limits the candidate must "
            "keep, like `sites.withdrawn == 0` (without a policy file the gate uses its default, "
            "no regression against the baseline)");
  EXPECT_EQ(only_error("invariants: []\n"),
            "p.yaml:1:13: invariants: a policy needs at least one invariant, like "
            "`sites.withdrawn == 0`");
  EXPECT_EQ(only_error("invariants: [sites.withdrawn == 0]\nobserv: 2s\n"),
            "p.yaml:2:1: observ: unknown key 'observ'; did you mean 'observe'?; allowed: "
            "baseline, observe, recovery, audit or invariants");
  EXPECT_EQ(only_error("invariants: [sites.withdrawn == 0]\nbaseline: 3\n"),
            "p.yaml:2:11: baseline: expected a duration (a number with unit us, ms or s, e.g. "
            "500us, 1.5ms, 2s); '3' has no unit");
  EXPECT_EQ(only_error("invariants: [sites.withdrawn == 0]\nrecovery: 0s\n"),
            "p.yaml:2:11: recovery: expected at least 1ms, got '0s'");
  EXPECT_EQ(only_error("invariants: [sites.withdrawn == 0]\naudit: on\n"),
            "p.yaml:2:8: audit: expected `off` or a map with key max-cut, got 'on'");
  EXPECT_EQ(only_error("invariants: [sites.withdrawn == 0]\naudit: {max-cut: 150%}\n"),
            "p.yaml:2:18: audit.max-cut: expected the largest share of backbone links the change "
            "may cut, above 0 and at most 100%, like 50% or 0.5; got '150%'");
  EXPECT_EQ(only_error("invariants: [sites.withdrawn == 0]\naudit: {max_cut: 50%}\n"),
            "p.yaml:2:9: audit.max_cut: unknown key 'max_cut'; did you mean 'max-cut'?; allowed: "
            "max-cut");
  EXPECT_EQ(only_error("invariants:\n  - dns.succes_ratio >= 0.99\n"),
            "p.yaml:2:5: invariants[0]: unknown metric 'dns.succes_ratio'; did you mean "
            "'dns.success_ratio'?; metrics: " +
                model::join_alternatives(gate_metric_names()));
  EXPECT_EQ(only_error("invariants:\n  - sites.withdrawn about 2\n"),
            "p.yaml:2:5: invariants[0]: 'sites.withdrawn about 2': expected `METRIC OP NUMBER` or "
            "`METRIC OP baseline` (or `baseline - N`, `baseline + N`, `baseline * F`) with OP one "
            "of >=, <=, ==, !=, > or <, like `dns.success_ratio >= 0.99`");
  EXPECT_EQ(only_error("invariants:\n  - sites.withdrawn <= baseline / 2\n"),
            "p.yaml:2:5: invariants[0]: 'sites.withdrawn <= baseline / 2': expected a number, or "
            "`baseline`, `baseline - N`, `baseline + N` or `baseline * F` with N and F not "
            "negative, after <=; got 'baseline / 2'");
  EXPECT_EQ(only_error("invariants:\n  - sites.withdrawn <= few\n"),
            "p.yaml:2:5: invariants[0]: 'sites.withdrawn <= few': expected a number, or "
            "`baseline`, `baseline - N`, `baseline + N` or `baseline * F` with N and F not "
            "negative, after <=; got 'few'");
  EXPECT_EQ(only_error("invariants:\n  - {sites.withdrawn: 0}\n"),
            "p.yaml:2:5: invariants[0]: expected a string, got a map");
  EXPECT_EQ(only_error("invariants: sites.withdrawn == 0\n"),
            "p.yaml:1:13: invariants: expected a list, got 'sites.withdrawn == 0'");
}

TEST(PolicyTest, EveryErrorOfAFileComesBackInFileOrder) {
  auto result = load_policy_text(
      "observe: soon\ninvariants:\n  - sites.withdrawn == 0\n  - nope > 1\naudit: maybe\n",
      "p.yaml");
  EXPECT_FALSE(result.policy);
  ASSERT_EQ(result.errors.size(), 3u);
  EXPECT_EQ(result.errors[0].mark.line, 1);
  EXPECT_EQ(result.errors[1].field, "invariants[1]");
  EXPECT_EQ(result.errors[2].field, "audit");
}

TEST(PolicyTest, AFileThatCannotBeReadSaysSo) {
  auto result = load_policy_file("/nonexistent/policy.yaml");
  EXPECT_FALSE(result.policy);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].str(),
            "/nonexistent/policy.yaml: cannot read the file: No such file or directory");
}

TEST(PolicyTest, AFileIsReadFromDisk) {
  auto path = std::filesystem::temp_directory_path() /
              ("policy_test_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << kGood;
  auto result = load_policy_file(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(result.policy) << model::format_diagnostics(result.errors);
  EXPECT_EQ(result.policy->file, path.string());
  EXPECT_EQ(result.policy->invariants.front().file, path.string());
}

TEST(PolicyTest, TheGateMetricsAreTheRunsAndUnplannedSessions) {
  const auto& names = gate_metric_names();
  EXPECT_EQ(names.size(), measure::scalar_metric_names().size() + 1);
  EXPECT_EQ(names.back(), "bgp.unplanned_sessions_down");
  EXPECT_EQ(names.front(), measure::scalar_metric_names().front());
}

std::vector<std::string> texts(const Policy& policy) {
  std::vector<std::string> out;
  for (const auto& i : policy.invariants) out.push_back(i.text);
  return out;
}

TEST(DefaultPolicyTest, NoRegressionOnlyInWhatTheLabMeasures) {
  EXPECT_TRUE(default_policy({}).invariants.empty());
  LabMeasures all{.dns_sites = true,
                  .clients = true,
                  .routes = true,
                  .anycast = true,
                  .covering = true,
                  .reachability = true,
                  .bgp = true};
  Policy p = default_policy(all);
  EXPECT_EQ(texts(p), (std::vector<std::string>{
                          "sites.withdrawn == 0", "prefixes.anycast_lost == 0",
                          "prefixes.covering_lost == 0", "reachability.pairs_lost == 0",
                          "bgp.unplanned_sessions_down == 0", "dns.success_ratio >= baseline"}));
  EXPECT_TRUE(p.file.empty());
  EXPECT_TRUE(p.audit);
  for (const auto& i : p.invariants) {
    EXPECT_TRUE(i.file.empty());
    EXPECT_EQ(i.mark.line, 0);
  }
  EXPECT_TRUE(p.invariants.back().relative);
  EXPECT_EQ(p.invariants.back().limit(0.97), 0.97);

  EXPECT_EQ(texts(default_policy({.routes = true, .covering = true})),
            std::vector<std::string>{"prefixes.covering_lost == 0"});
  EXPECT_EQ(
      texts(default_policy({.clients = true, .reachability = true})),
      (std::vector<std::string>{"reachability.pairs_lost == 0", "dns.success_ratio >= baseline"}));
}

measure::Scalars scalars(std::map<std::string, double> values,
                         std::map<std::string, std::string> missing = {}) {
  return measure::Scalars{.values = std::move(values), .missing = std::move(missing)};
}

TEST(JudgeTest, AbsoluteAndRelativeLimits) {
  auto results =
      judge({invariant("sites.withdrawn <= 1"), invariant("dns.success_ratio >= baseline - 0.25"),
             invariant("clients.affected == 0")},
            scalars({{"sites.withdrawn", 1}, {"dns.success_ratio", 0.5}, {"clients.affected", 2}}),
            scalars({{"dns.success_ratio", 1}}));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].passed);
  EXPECT_EQ(results[0].measured, 1.0);
  EXPECT_EQ(results[0].limit, 1.0);
  EXPECT_EQ(results[0].baseline, std::nullopt);
  EXPECT_TRUE(results[0].missing.empty());

  EXPECT_FALSE(results[1].passed);
  EXPECT_EQ(results[1].baseline, 1.0);
  EXPECT_EQ(results[1].limit, 0.75);
  EXPECT_EQ(results[1].measured, 0.5);

  EXPECT_FALSE(results[2].passed);
  EXPECT_EQ(results[2].measured, 2.0);
}

TEST(JudgeTest, AMissingValueFailsWithTheReason) {
  auto results = judge({invariant("dns.success_ratio >= 0.9")}, scalars({}, {}), scalars({}, {}));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].passed);
  EXPECT_EQ(results[0].measured, std::nullopt);
  EXPECT_EQ(results[0].limit, 0.9);
  EXPECT_EQ(results[0].missing, "not measured");

  results =
      judge({invariant("dns.success_ratio >= 0.9")},
            scalars({}, {{"dns.success_ratio", "dnsprobe on client1 wrote nothing"}}), scalars({}));
  EXPECT_EQ(results[0].missing, "dnsprobe on client1 wrote nothing");
}

TEST(JudgeTest, ARelativeLimitWithoutABaselineValueFailsSayingSo) {
  auto results =
      judge({invariant("dns.success_ratio >= baseline")}, scalars({{"dns.success_ratio", 1}}),
            scalars({}, {{"dns.success_ratio", "dnsprobe on client1 died"}}));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].passed);
  EXPECT_EQ(results[0].measured, 1.0);
  EXPECT_EQ(results[0].limit, std::nullopt);
  EXPECT_EQ(results[0].missing,
            "the baseline has no value of dns.success_ratio: dnsprobe on client1 died");

  results = judge({invariant("dns.success_ratio >= baseline")}, scalars({}), scalars({}));
  EXPECT_EQ(results[0].missing,
            "not measured; the baseline has no value of dns.success_ratio: not measured");
}

TEST(JudgeTest, OnThePredictionWhatItDoesNotCoverPasses) {
  auto results = judge_prediction(
      {invariant("sites.withdrawn == 0"), invariant("clients.affected <= 3"),
       invariant("dns.success_ratio >= 0.9"), invariant("sites.withdrawn <= baseline")},
      {{"sites.withdrawn", 2}, {"clients.affected", 3}});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_FALSE(results[0].passed);
  EXPECT_EQ(results[0].predicted, 2.0);
  EXPECT_EQ(results[0].limit, 0.0);
  EXPECT_EQ(results[0].measured, std::nullopt);
  EXPECT_TRUE(results[1].passed);
  EXPECT_TRUE(results[2].passed);
  EXPECT_EQ(results[2].predicted, std::nullopt);
  EXPECT_EQ(results[2].missing, "not predicted");
  EXPECT_TRUE(results[3].passed);
  EXPECT_EQ(results[3].predicted, 2.0);
  EXPECT_EQ(results[3].missing, "relative to the baseline, which only the lab measures");
}

TEST(InvariantTest, EveryOperatorHolds) {
  EXPECT_TRUE(invariant("sites.withdrawn >= 1").holds(1, 1));
  EXPECT_FALSE(invariant("sites.withdrawn > 1").holds(1, 1));
  EXPECT_TRUE(invariant("sites.withdrawn < 2").holds(1, 2));
  EXPECT_TRUE(invariant("sites.withdrawn <= 1").holds(1, 1));
  EXPECT_TRUE(invariant("sites.withdrawn == 1").holds(1, 1));
  EXPECT_TRUE(invariant("sites.withdrawn != 1").holds(2, 1));
  EXPECT_TRUE(invariant("sites.withdrawn <= baseline-1").relative);
  EXPECT_EQ(invariant("sites.withdrawn <= baseline-1").limit(3.0), 2.0);
}

}  // namespace
}  // namespace blastlab::gate
