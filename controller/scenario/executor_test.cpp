#include "controller/scenario/executor.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "controller/measure/events.hpp"

namespace blastlab::scenario {
namespace {

// Time that passes only when the executor sleeps: every schedule is exact and instant.
class FakeClock : public Clock {
 public:
  Time now() override { return now_; }
  int64_t realtime_us() override {
    return 1'700'000'000'000'000 +
           std::chrono::duration_cast<std::chrono::microseconds>(now_.time_since_epoch()).count();
  }
  void sleep_until(Time when) override {
    if (when > now_) now_ = when;
  }
  double elapsed_s() const {
    return std::chrono::duration<double>(now_.time_since_epoch()).count();
  }

 private:
  Time now_{};
};

// A lab of routers whose configuration is a list of lines, and calls recorded in order.
class FakeLab : public LabControl {
 public:
  explicit FakeLab(FakeClock& clock) : clock_(clock) {}
  std::string running_config(const std::string& node) override {
    std::string text;
    for (const auto& l : configs_[node]) text += l + "\n";
    return text;
  }
  void configure(const std::string& node, const std::vector<std::string>& lines) override {
    if (refuse_ == node) throw std::runtime_error("vtysh on " + node + " refused");
    calls.push_back("configure " + node);
    for (const auto& l : lines) configs_[node].push_back(l);
  }
  std::vector<std::string> rollback_commands(const std::string& before,
                                             const std::string& after) override {
    rollback_inputs.push_back({before, after});
    if (before == after) return {};
    return {"undo"};
  }
  void set_link(const std::string& a, const std::string& b, bool up) override {
    calls.push_back(
        fmt::format("link {} {} {} at {:.1f}", a, b, up ? "up" : "down", clock_.elapsed_s()));
  }
  netns::NetemSpec netem(const std::string&, const std::string&) override { return current_; }
  void set_netem(const std::string& a, const std::string& b,
                 const netns::NetemSpec& spec) override {
    current_ = spec;
    calls.push_back(fmt::format("netem {} {} rate {}", a, b, spec.rate_bits_per_second));
  }
  void stop_node(const std::string& node) override { calls.push_back("stop " + node); }
  void start_node(const std::string& node) override { calls.push_back("start " + node); }
  bool converged(std::string* seen) override {
    *seen = "pop1 - dns1: Active";
    return clock_.elapsed_s() >= converged_at_;
  }
  bool has_route(const std::string& node, const std::string&) override {
    return clock_.elapsed_s() < gone_at_[node];
  }
  std::optional<bool> dns_streak(const std::string&, int) override { return std::nullopt; }
  measure::Scalars metrics_now() override {
    ++metric_polls;
    measure::Scalars scalars;
    if (clock_.elapsed_s() >= healthd_dies_at_) {
      scalars.missing["sites.withdrawn"] = "healthd on dns1 died at 2.0 s";
    } else {
      scalars.values["sites.withdrawn"] = clock_.elapsed_s() >= withdrawn_at_ ? 1 : 0;
    }
    return scalars;
  }

  std::vector<std::string> calls;
  double withdrawn_at_ = 1e9;
  double healthd_dies_at_ = 1e9;
  int metric_polls = 0;
  std::vector<std::pair<std::string, std::string>> rollback_inputs;
  std::map<std::string, double> gone_at_;
  double converged_at_ = 0;
  std::string refuse_;
  std::map<std::string, std::vector<std::string>> configs_;

 private:
  FakeClock& clock_;
  netns::NetemSpec current_;
};

class ExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded =
        model::load_topology_file(std::string(BLASTLAB_SOURCE_DIR) + "/topologies/minimal.yaml");
    ASSERT_TRUE(loaded.topology);
    topology_ = *loaded.topology;
    dir_ = std::filesystem::temp_directory_path() / ("executor-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<StepOutcome> run(const std::string& text) {
    auto loaded = load_script_text(text, "s.yaml", topology_);
    EXPECT_TRUE(loaded.script) << model::format_diagnostics(loaded.errors);
    script_ = *loaded.script;
    EventWriter events((dir_ / "controller.jsonl").string(), "lab", clock_);
    Executor executor(script_, topology_, lab_, clock_, events);
    // Ctrl-C at interrupt_at_ seconds, a second one at abort_at_.
    std::atomic<bool> interrupted{false}, aborted{false};
    executor.set_abort(&aborted);
    executor.on_tick([&](const std::string&) {
      if (clock_.elapsed_s() >= interrupt_at_) interrupted = true;
      if (clock_.elapsed_s() >= abort_at_) aborted = true;
    });
    return executor.run(&interrupted);
  }
  double interrupt_at_ = 1e9;
  double abort_at_ = 1e9;
  std::vector<measure::Event> events() {
    return measure::read_event_file((dir_ / "controller.jsonl").string()).events;
  }

  model::Topology topology_;
  Script script_;
  FakeClock clock_;
  FakeLab lab_{clock_};
  std::filesystem::path dir_;
};

TEST_F(ExecutorTest, RunsStepsOnTheirScheduleAndRecordsThem) {
  auto outcomes = run(R"(name: x
steps:
  - {name: cut, link: {between: [bb1, pop1], state: down}, after: 1s}
  - {at: 5s, rollback: cut}
  - {after: 2s, link: {between: [bb2, pop2], state: down}}
)");
  ASSERT_EQ(outcomes.size(), 3u);
  for (const auto& o : outcomes) EXPECT_EQ(o.state, StepState::kDone) << o.name << ": " << o.error;
  EXPECT_EQ(lab_.calls,
            (std::vector<std::string>{"link bb1 pop1 down at 1.0", "link bb1 pop1 up at 5.0",
                                      "link bb2 pop2 down at 7.0"}));
  auto e = events();
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0].event, "step");
  EXPECT_EQ(e[0].data["state"], "start");
  EXPECT_EQ(e[0].data["kind"], "link");
  EXPECT_EQ(e[0].data["targets"], nlohmann::json({"bb1", "pop1"}));
  EXPECT_EQ(e[2].data["rollback_of"], "cut");
  EXPECT_EQ(e[2].ts - e[0].ts, 4'000'000);
  EXPECT_EQ(e[5].data["state"], "done");
}

TEST_F(ExecutorTest, RollsBackAVtyshStepFromItsSnapshots) {
  lab_.configs_["bb1"] = {"interface pop1"};
  lab_.configs_["bb2"] = {"interface pop2"};
  auto outcomes = run(R"(name: x
steps:
  - name: audit
    vtysh: {on: "bb*", each-link: role:edge, config: ["interface {{interface}}", " shutdown"]}
  - rollback: audit
)");
  ASSERT_EQ(outcomes[1].state, StepState::kDone) << outcomes[1].error;
  EXPECT_EQ(lab_.calls, (std::vector<std::string>{"configure bb1", "configure bb2", "configure bb1",
                                                  "configure bb2"}));
  ASSERT_EQ(lab_.rollback_inputs.size(), 2u);
  EXPECT_EQ(lab_.rollback_inputs[0].first, "interface pop1\n");
  EXPECT_EQ(lab_.rollback_inputs[0].second, "interface pop1\ninterface pop1\n shutdown\n");
}

TEST_F(ExecutorTest, AFailedWaitSkipsLaterStepsButStillRollsBack) {
  lab_.gone_at_["transit1"] = 2.0;
  lab_.gone_at_["transit2"] = 1e9;  // never
  auto outcomes = run(R"(name: x
steps:
  - {name: cut, link: {between: [bb1, pop1], state: down}}
  - wait: {until: prefix-gone, prefix: 198.51.100.0/26, timeout: 3s}
  - stop: dns1
  - rollback: cut
  - wait: {until: converged, timeout: 1s}
)");
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_EQ(outcomes[1].state, StepState::kFailed);
  EXPECT_EQ(outcomes[1].error,
            "waited 3s for prefix-gone; last seen: 198.51.100.0/26 still present at transit2");
  EXPECT_EQ(outcomes[2].state, StepState::kSkipped);
  EXPECT_EQ(outcomes[3].state, StepState::kDone);
  EXPECT_EQ(outcomes[4].state, StepState::kDone);  // waits still run: the restoration is seen
  EXPECT_EQ(lab_.calls.back(), "link bb1 pop1 up at 3.0");
}

TEST_F(ExecutorTest, WaitsEndAsSoonAsTheConditionHolds) {
  lab_.converged_at_ = 1.25;
  auto outcomes = run("name: x\nsteps:\n  - wait: {until: converged, timeout: 5s}\n");
  EXPECT_EQ(outcomes[0].state, StepState::kDone);
  EXPECT_NEAR(clock_.elapsed_s(), 1.3, 0.05);
}

TEST_F(ExecutorTest, AVtyshRefusalFailsTheStepWithTheRoutersWords) {
  lab_.refuse_ = "bb2";
  auto outcomes = run(R"(name: x
steps:
  - {name: a, vtysh: {on: role:backbone, config: [router ospf]}}
  - rollback: a
)");
  EXPECT_EQ(outcomes[0].state, StepState::kFailed);
  EXPECT_EQ(outcomes[0].error, "vtysh on bb2 refused");
  EXPECT_EQ(outcomes[1].state, StepState::kDone);  // bb1 was changed: it is restored
}

TEST_F(ExecutorTest, NetemRollbackRestoresTheEarlierImpairment) {
  run(R"(name: x
steps:
  - {name: slow, netem: {between: [bb1, pop1], rate: 1mbit}}
  - rollback: slow
)");
  EXPECT_EQ(lab_.calls,
            (std::vector<std::string>{"netem bb1 pop1 rate 1000000", "netem bb1 pop1 rate 0"}));
}

TEST_F(ExecutorTest, StopRollsBackToStart) {
  run("name: x\nsteps:\n  - {name: s, stop: [dns1, dns2]}\n  - rollback: s\n");
  EXPECT_EQ(lab_.calls,
            (std::vector<std::string>{"stop dns1", "stop dns2", "start dns1", "start dns2"}));
}

constexpr const char* kAuditedCut = R"(name: x
steps:
  - name: audit
    audit: {change: cut, max-cut: 60%, bug: BUG}
  - name: cut
    vtysh: {on: role:backbone, each-link: [role:backbone, role:edge, role:datacenter],
            config: ["interface {{interface}}", " shutdown"]}
  - wait: {until: prefix-gone, prefix: 198.51.100.0/26, timeout: 3s}
  - {after: 2s, rollback: cut}
  - wait: {until: converged, timeout: 1s}
)";

std::string audited_cut(bool bug) {
  std::string text = kAuditedCut;
  text.replace(text.find("BUG"), 3, bug ? "true" : "false");
  return text;
}

TEST_F(ExecutorTest, AnAuditRefusingTheChangeStopsItAndEverythingWaitingForItsEffect) {
  auto outcomes = run(audited_cut(false));
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_EQ(outcomes[0].state, StepState::kRefused);
  EXPECT_NE(outcomes[0].detail.find("'cut' cuts 5 of 5 backbone links (100%), over the limit "
                                    "60%: refused"),
            std::string::npos)
      << outcomes[0].detail;
  EXPECT_EQ(outcomes[1].state, StepState::kSkipped);
  EXPECT_EQ(outcomes[2].state, StepState::kSkipped);  // prefix-gone would only time out
  EXPECT_EQ(outcomes[3].state, StepState::kSkipped);  // nothing ran, nothing to undo
  EXPECT_EQ(outcomes[4].state, StepState::kDone);
  EXPECT_TRUE(lab_.calls.empty());
  auto e = events();
  EXPECT_EQ(e[1].data["state"], "refused");
  EXPECT_EQ(e[1].data["verdict"], outcomes[0].detail);
}

TEST_F(ExecutorTest, TheAuditWithThe2021BugLetsTheWholeCutThrough) {
  lab_.gone_at_ = {{"transit1", 0.5}, {"transit2", 0.5}};
  auto outcomes = run(audited_cut(true));
  EXPECT_EQ(outcomes[0].state, StepState::kDone);
  EXPECT_NE(outcomes[0].detail.find("judged router by router (the 2021 bug)"), std::string::npos)
      << outcomes[0].detail;
  for (size_t i = 1; i < outcomes.size(); ++i)
    EXPECT_EQ(outcomes[i].state, StepState::kDone) << outcomes[i].name << ": " << outcomes[i].error;
  EXPECT_EQ(lab_.calls.front(), "configure bb1");
}

constexpr const char* kStaged = R"(name: x
steps:
  - {name: west, vtysh: {on: bb1, each-link: role:edge, config: ["interface {{interface}}", " shutdown"]}}
  - gate: {observe: 5s, expect: [sites.withdrawn == 0]}
  - {name: east, vtysh: {on: bb2, each-link: role:edge, config: ["interface {{interface}}", " shutdown"]}}
  - {after: 1s, rollback: east}
  - rollback: west
)";

TEST_F(ExecutorTest, AGateHaltsTheRolloutWhenALimitIsCrossed) {
  lab_.withdrawn_at_ = 2.2;
  auto outcomes = run(kStaged);
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_EQ(outcomes[1].state, StepState::kHalted);
  EXPECT_EQ(outcomes[1].detail,
            "sites.withdrawn is 1, crossing the limit `sites.withdrawn == 0`: rollout halted");
  EXPECT_NEAR(clock_.elapsed_s(), 2.5, 0.01);  // polled twice a second, halted at once
  EXPECT_EQ(outcomes[2].state, StepState::kSkipped);
  EXPECT_EQ(outcomes[3].state, StepState::kSkipped);
  EXPECT_EQ(outcomes[4].state, StepState::kDone);
  EXPECT_EQ(lab_.calls, (std::vector<std::string>{"configure bb1", "configure bb1"}));
}

TEST_F(ExecutorTest, AGateThatHoldsLetsTheNextStageRun) {
  auto outcomes = run(kStaged);
  EXPECT_EQ(outcomes[1].state, StepState::kDone);
  EXPECT_EQ(outcomes[1].detail, "held for 5s: sites.withdrawn == 0");
  EXPECT_EQ(lab_.metric_polls, 11);  // 0, 0.5, ..., 5.0 s
  EXPECT_EQ(outcomes[2].state, StepState::kDone);
  EXPECT_EQ(lab_.calls, (std::vector<std::string>{"configure bb1", "configure bb2", "configure bb2",
                                                  "configure bb1"}));
}

TEST_F(ExecutorTest, AGateHaltsWhenItsMetricHasNoData) {
  // A gate that cannot see must not pass: healthd on dns1 dies, sites.withdrawn has no value.
  lab_.healthd_dies_at_ = 2.0;
  auto outcomes = run(kStaged);
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_EQ(outcomes[1].state, StepState::kHalted);
  EXPECT_EQ(outcomes[1].detail,
            "sites.withdrawn has no value (healthd on dns1 died at 2.0 s), so the limit "
            "`sites.withdrawn == 0` cannot be checked: rollout halted");
  EXPECT_NEAR(clock_.elapsed_s(), 2.0, 0.01);
  EXPECT_EQ(outcomes[2].state, StepState::kSkipped);
  EXPECT_EQ(outcomes[4].state, StepState::kDone) << "the west is still rolled back";
}

constexpr const char* kCutThenRollBack = R"(name: x
steps:
  - {name: cut, link: {between: [bb1, pop1], state: down}}
  - {name: slow, link: {between: [bb2, pop2], state: down}, after: 10s}
  - {after: 30s, rollback: cut}
  - {rollback: slow}
  - wait: {until: converged, timeout: 20s}
)";

TEST_F(ExecutorTest, CtrlCRunsTheRollbacksOfTheStepsThatRanAtOnce) {
  interrupt_at_ = 5;
  auto outcomes = run(kCutThenRollBack);
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_EQ(outcomes[0].state, StepState::kDone);
  EXPECT_EQ(outcomes[1].state, StepState::kSkipped) << "not begun when Ctrl-C came";
  EXPECT_EQ(outcomes[2].state, StepState::kDone) << "the rollback of a step that ran";
  EXPECT_EQ(outcomes[3].state, StepState::kSkipped) << "its step never ran";
  EXPECT_EQ(outcomes[4].state, StepState::kSkipped);
  EXPECT_EQ(lab_.calls,
            (std::vector<std::string>{"link bb1 pop1 down at 0.0", "link bb1 pop1 up at 5.1"}))
      << "at the first tick after Ctrl-C";
}

TEST_F(ExecutorTest, ASecondCtrlCSkipsTheRollbacksToo) {
  interrupt_at_ = 5;
  abort_at_ = 5;
  auto outcomes = run(kCutThenRollBack);
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_EQ(outcomes[0].state, StepState::kDone);
  for (size_t i = 1; i < outcomes.size(); ++i)
    EXPECT_EQ(outcomes[i].state, StepState::kSkipped) << i;
  EXPECT_EQ(lab_.calls, (std::vector<std::string>{"link bb1 pop1 down at 0.0"}));
}

}  // namespace
}  // namespace blastlab::scenario
