// The run's watch over its agents: a process that goes is `dead`, an agent that stops
// writing past its limit is `silent` and `writing` again when it writes, and a node stopped
// on purpose pauses what the stop ends there until it starts again. Each change is one
// `agent` event in the controller's file.
#include "controller/experiment/agent_watch.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "controller/measure/events.hpp"
#include "controller/scenario/executor.hpp"

namespace blastlab::experiment {

using scenario::Clock;
using scenario::EventWriter;

namespace {

constexpr int64_t kT0 = 1'700'000'000'000'000;
int64_t at(double s) {
  return kT0 + static_cast<int64_t>(s * 1e6);
}

class StillClock : public Clock {
 public:
  Time now() override { return {}; }
  int64_t realtime_us() override { return kT0; }
  void sleep_until(Time) override {}
};

class AgentWatchTest : public ::testing::Test {
 protected:
  AgentWatchTest() {
    char tmpl[] = "/tmp/agent-watch-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    events_ = std::make_unique<EventWriter>(dir_ + "/controller.jsonl", "lab1", clock_);
    watch_ = std::make_unique<AgentWatch>(
        *events_, [this](const std::string& agent, const std::string& node) -> std::optional<bool> {
          auto it = alive_.find(agent + "@" + node);
          if (it == alive_.end()) return std::nullopt;
          return it->second;
        });
  }
  ~AgentWatchTest() override { std::filesystem::remove_all(dir_); }

  void wrote(const std::string& agent, const std::string& node, double s) {
    live_.add(measure::Event{.ts = at(s), .agent = agent, .node = node, .event = "x"});
  }
  // "NAME@NODE STATE" for each `agent` event written so far.
  std::vector<std::string> said() {
    std::vector<std::string> out;
    for (const auto& e : measure::read_event_file(dir_ + "/controller.jsonl").events) {
      if (e.event != "agent") continue;
      out.push_back(e.data.value("name", "") + "@" + e.data.value("on", "") + " " +
                    e.data.value("state", ""));
    }
    return out;
  }

  std::string dir_;
  StillClock clock_;
  std::unique_ptr<EventWriter> events_;
  std::unique_ptr<AgentWatch> watch_;
  std::map<std::string, bool> alive_;
  LiveView live_{"/nonexistent"};
};

TEST_F(AgentWatchTest, AnAgentThatKeepsWritingIsNeverReported) {
  alive_["dnsprobe@client1"] = true;
  watch_->add("dnsprobe", "client1", std::chrono::milliseconds(3000), at(0));
  for (int s = 1; s <= 20; ++s) {
    wrote("dnsprobe", "client1", s - 0.5);
    watch_->check(live_, at(s));
  }
  EXPECT_TRUE(said().empty());
}

TEST_F(AgentWatchTest, AProcessThatGoesIsDeadOnce) {
  alive_["dnsprobe@client1"] = true;
  watch_->add("dnsprobe", "client1", std::chrono::milliseconds(3000), at(0));
  wrote("dnsprobe", "client1", 0.5);
  watch_->check(live_, at(1));
  alive_["dnsprobe@client1"] = false;
  watch_->check(live_, at(2));
  watch_->check(live_, at(10));
  EXPECT_EQ(said(), (std::vector<std::string>{"dnsprobe@client1 dead"}));
}

TEST_F(AgentWatchTest, SilencePastTheLimitAndWritingAgain) {
  alive_["routewatch@peer1"] = true;
  watch_->add("routewatch", "peer1", std::chrono::milliseconds(3000), at(0));
  wrote("routewatch", "peer1", 1);
  watch_->check(live_, at(3.9));
  EXPECT_TRUE(said().empty()) << "2.9 s is within the limit";
  watch_->check(live_, at(4.1));
  EXPECT_EQ(said(), (std::vector<std::string>{"routewatch@peer1 silent"}));
  watch_->check(live_, at(6));
  wrote("routewatch", "peer1", 6.5);
  watch_->check(live_, at(7));
  EXPECT_EQ(said(),
            (std::vector<std::string>{"routewatch@peer1 silent", "routewatch@peer1 writing"}));
}

TEST_F(AgentWatchTest, AnAgentThatNeverWritesIsSilentFromItsStart) {
  alive_["querywatch@client2"] = true;
  watch_->add("querywatch", "client2", std::chrono::milliseconds(3000), at(5));
  watch_->check(live_, at(7));
  EXPECT_TRUE(said().empty());
  watch_->check(live_, at(8.5));
  EXPECT_EQ(said(), (std::vector<std::string>{"querywatch@client2 silent"}));
}

TEST_F(AgentWatchTest, AStoppedNodePausesItsHealthdUntilItStarts) {
  alive_["healthd@dns1"] = true;
  alive_["routewatch@dns1"] = true;
  watch_->add("healthd", "dns1", std::chrono::milliseconds(3000), at(0));
  wrote("healthd", "dns1", 1);
  watch_->pause("dns1", {"healthd"});
  alive_["healthd@dns1"] = false;  // the stop ended it
  watch_->check(live_, at(2));
  watch_->check(live_, at(30));
  watch_->resume("dns1", at(31));
  alive_["healthd@dns1"] = true;
  watch_->check(live_, at(33));
  EXPECT_EQ(said(), (std::vector<std::string>{"healthd@dns1 paused", "healthd@dns1 resumed"}));
  watch_->check(live_, at(34.5));  // no event since the restart at 31 s
  EXPECT_EQ(said().back(), "healthd@dns1 silent");
}

TEST(SilenceLimitTest, AFewPeriodsAndNeverUnderThreeSeconds) {
  using std::chrono::milliseconds;
  EXPECT_EQ(silence_limit(milliseconds(100), milliseconds(1000)), milliseconds(3000));
  EXPECT_EQ(silence_limit(milliseconds(2000), milliseconds(500)), milliseconds(6500));
}

}  // namespace
}  // namespace blastlab::experiment
