// The prober in simulated time: a fake network answers, stays silent, refuses or reports an
// ICMP error per target, and every wait jumps the fake clock to the next thing that happens.
#include "agents/reachprobe/prober.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

#include "agents/common/test_support.hpp"

namespace blastlab::reachprobe {
namespace {

using namespace std::chrono_literals;
using agent::testing::read_events;
using agent::testing::TempDir;

class FakeClock final : public agent::testing::FakeClockOf<Clock> {};

// What becomes of a probe to one target: after `delay`, `result` (nothing at all for a
// timeout); or a failure at once when `at_once`.
struct Behaviour {
  Result result = Result::kOk;
  Clock::duration delay = 3ms;
  bool at_once = false;
  std::string words;
};

class FakeNetwork final : public Network {
 public:
  explicit FakeNetwork(FakeClock& clock) : clock_(clock) {}

  std::optional<Failure> start(uint64_t probe, const Target& target) override {
    Behaviour b = behaviour(target, clock_.now());
    ++started[target.name];
    if (b.at_once) return Failure{b.result, b.words};
    if (b.result != Result::kTimeout)
      pending_.push_back({probe, clock_.now() + b.delay, b.result, b.words});
    return std::nullopt;
  }
  std::vector<Arrival> wait(Clock::TimePoint deadline) override {
    std::vector<Arrival> out;
    Clock::TimePoint next = deadline;
    for (const Arrival& a : pending_) next = std::min(next, a.at);
    clock_.set(next);
    std::erase_if(pending_, [&](const Arrival& a) {
      if (a.at > clock_.now()) return false;
      out.push_back(a);
      return true;
    });
    return out;
  }
  void close(uint64_t) override {}

  std::function<Behaviour(const Target&, Clock::TimePoint)> behaviour =
      [](const Target&, Clock::TimePoint) { return Behaviour{}; };
  std::map<std::string, int> started;

 private:
  FakeClock& clock_;
  std::vector<Arrival> pending_;
};

struct Ran {
  std::vector<nlohmann::json> events;
  RunSummary summary;
};

Config config_of(std::vector<Target> targets) {
  Config c{
      .node = "h1", .targets = std::move(targets), .rate = 2, .timeout = 400ms, .duration = 2s};
  return c;
}

Ran run(const Config& config, FakeClock& clock, FakeNetwork& network) {
  TempDir dir;
  agent::EventLog log(dir.file("e.jsonl"), "reachprobe", config.node);
  agent::StopRequest stop;
  Prober prober(config, clock, network, log);
  Ran r;
  r.summary = prober.run(stop);
  r.events = read_events(dir.file("e.jsonl"));
  return r;
}

TEST(ReachprobeProberTest, OneEventPerProbeStampedWithItsSendTime) {
  FakeClock clock;
  FakeNetwork network(clock);
  Config config =
      config_of({{"h2", Proto::kIcmp, "198.18.0.2", 0}, {"web", Proto::kTcp, "203.0.113.7", 80}});
  Ran r = run(config, clock, network);
  ASSERT_EQ(r.events.size(), 2u + 8u);  // start, 4 slots x 2 targets, stop
  EXPECT_EQ(r.events.front()["event"], "start");
  EXPECT_EQ(r.events.front()["targets"][1]["port"], 80);
  EXPECT_EQ(r.events.back()["event"], "stop");
  EXPECT_EQ(r.events.back()["sent"], 8);
  EXPECT_EQ(r.events.back()["answered"], 8);
  EXPECT_EQ(r.events.back()["reason"], "duration");
  const auto& probe = r.events[1];
  EXPECT_EQ(probe["event"], "probe");
  EXPECT_EQ(probe["target"], "h2");
  EXPECT_EQ(probe["proto"], "icmp");
  EXPECT_EQ(probe["address"], "198.18.0.2");
  EXPECT_EQ(probe["result"], "ok");
  EXPECT_EQ(probe["rtt_us"], 3000);
  EXPECT_FALSE(probe.contains("port"));
  // Sent at 0, 0.5, 1, 1.5 s of the run.
  std::vector<int64_t> sent;
  for (const auto& e : r.events)
    if (e["event"] == "probe" && e["target"] == "web") sent.push_back(e["ts"].get<int64_t>());
  ASSERT_EQ(sent.size(), 4u);
  for (size_t i = 0; i < sent.size(); ++i)
    EXPECT_EQ(sent[i] - FakeClock::kRealtimeStartUs, int64_t(i) * 500'000);
}

TEST(ReachprobeProberTest, FailuresByKindTimeoutUnreachableRefused) {
  FakeClock clock;
  FakeNetwork network(clock);
  network.behaviour = [](const Target& t, Clock::TimePoint) {
    if (t.name == "silent") return Behaviour{.result = Result::kTimeout};
    if (t.name == "far")
      return Behaviour{.result = Result::kUnreachable, .words = "host unreachable from 198.19.0.1"};
    return Behaviour{.result = Result::kRefused, .at_once = true, .words = "connect: refused"};
  };
  Config config = config_of({{"silent", Proto::kIcmp, "198.18.0.9", 0},
                             {"far", Proto::kIcmp, "198.18.0.8", 0},
                             {"closed", Proto::kTcp, "198.18.0.7", 22}});
  Ran r = run(config, clock, network);
  std::map<std::string, std::set<std::string>> results;
  for (const auto& e : r.events) {
    if (e["event"] != "probe") continue;
    results[e["target"]].insert(e["result"].get<std::string>());
    EXPECT_FALSE(e.contains("rtt_us")) << e;
    if (e["target"] == "far") {
      EXPECT_EQ(e["error"], "host unreachable from 198.19.0.1");
    }
  }
  EXPECT_EQ(results["silent"], std::set<std::string>{"timeout"});
  EXPECT_EQ(results["far"], std::set<std::string>{"unreachable"});
  EXPECT_EQ(results["closed"], std::set<std::string>{"refused"});
  EXPECT_EQ(r.summary.answered, 0u);
  EXPECT_EQ(r.summary.results[Result::kTimeout], 4u);
  // The run ends when the last slot's probe times out: 1.5 s + 0.4 s.
  EXPECT_EQ(r.events.back()["ts"].get<int64_t>() - FakeClock::kRealtimeStartUs, 1'900'000);
}

TEST(ReachprobeProberTest, AStopRequestEndsTheSendingAndLetsProbesInFlightFinish) {
  FakeClock clock;
  FakeNetwork network(clock);
  agent::StopRequest stop;
  network.behaviour = [&](const Target&, Clock::TimePoint at) {
    if (at - clock.start >= 1s) {
      stop.signal = 15;
      stop.count = 1;
    }
    return Behaviour{.delay = 100ms};
  };
  TempDir dir;
  agent::EventLog log(dir.file("e.jsonl"), "reachprobe", "h1");
  Config config = config_of({{"h2", Proto::kIcmp, "198.18.0.2", 0}});
  config.duration = 60s;
  Prober prober(config, clock, network, log);
  RunSummary summary = prober.run(stop);
  EXPECT_EQ(summary.reason, "SIGTERM");
  EXPECT_EQ(summary.sent, 3u);  // 0, 0.5 and 1 s
  EXPECT_EQ(summary.answered, 3u) << "the probe sent at 1 s is written, not dropped";
}

}  // namespace
}  // namespace blastlab::reachprobe
