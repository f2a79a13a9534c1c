#include "controller/experiment/agent_watch.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "controller/experiment/log.hpp"
#include "controller/scenario/executor.hpp"

namespace blastlab::experiment {

std::chrono::milliseconds silence_limit(std::chrono::milliseconds period,
                                        std::chrono::milliseconds lag) {
  return std::max(std::chrono::milliseconds(3000), 3 * period + lag);
}

void AgentWatch::add(const std::string& agent, const std::string& node,
                     std::chrono::milliseconds silence, int64_t now_us) {
  watched_.push_back({.agent = agent, .node = node, .silence = silence, .since_us = now_us});
}

void AgentWatch::emit(const Watched& w, const char* state, const std::string& detail) {
  events_.emit("agent", {{"name", w.agent}, {"on", w.node}, {"state", state}, {"detail", detail}});
  if (std::string_view(state) == "writing") {
    logger()->info("{} on {} writes again", w.agent, w.node);
  } else {
    logger()->warn("{} on {} {}: {}", w.agent, w.node, state, detail);
  }
}

void AgentWatch::check(const LiveView& live, int64_t now_us) {
  for (Watched& w : watched_) {
    if (w.state == State::kDead || w.state == State::kPaused) continue;
    if (alive_(w.agent, w.node) == false) {
      w.state = State::kDead;
      emit(w, "dead", "its process is gone");
      continue;
    }
    // A silence of 0: an agent that writes no events (a listener), watched for its life only.
    if (w.silence.count() == 0) continue;
    std::optional<int64_t> last = live.last_event_us(w.agent, w.node);
    int64_t from = std::max(w.since_us, last.value_or(0));
    int64_t quiet_us = now_us - from;
    if (w.state == State::kWriting && quiet_us > w.silence.count() * 1000) {
      w.state = State::kSilent;
      w.silent_from_us = from;
      emit(
          w, "silent",
          last && *last >= w.since_us
              ? fmt::format("no event for {:.1f} s", static_cast<double>(quiet_us) / 1e6)
              : fmt::format("no event in its first {:.1f} s", static_cast<double>(quiet_us) / 1e6));
    } else if (w.state == State::kSilent && last && *last > w.silent_from_us) {
      w.state = State::kWriting;
      emit(w, "writing", "");
    }
  }
}

void AgentWatch::pause(const std::string& node, const std::vector<std::string>& agents) {
  for (Watched& w : watched_) {
    if (w.node != node || std::find(agents.begin(), agents.end(), w.agent) == agents.end())
      continue;
    if (w.state == State::kDead) continue;  // a death before the stop stays a finding
    if (w.state == State::kSilent) emit(w, "writing", "stopped with its node");
    w.state = State::kPaused;
    events_.emit("agent", {{"name", w.agent},
                           {"on", w.node},
                           {"state", "paused"},
                           {"detail", "its node was stopped by a step"}});
  }
}

void AgentWatch::resume(const std::string& node, int64_t now_us) {
  for (Watched& w : watched_) {
    if (w.node != node || w.state != State::kPaused) continue;
    w.state = State::kWriting;
    w.since_us = now_us;
    events_.emit("agent", {{"name", w.agent},
                           {"on", w.node},
                           {"state", "resumed"},
                           {"detail", "its node was started again"}});
  }
}

}  // namespace blastlab::experiment
