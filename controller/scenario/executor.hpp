// Runs a script's steps against a live lab, one after the other on their schedule, and
// records each on the run's timeline (controller events: docs/events.md). The lab is
// reached only through the LabControl seam and time only through the Clock seam, so the
// whole scheduling, waiting and rollback logic is unit-tested with fakes.
//
// A step that fails (a vtysh error, a wait that times out) is recorded as failed, an audit
// that refuses its change as refused, a gate whose limit is crossed as halted. After any of
// them the run stops changing the lab: later changes, audits and gates are skipped, and so
// are waits for a change's effect (prefix-gone, dns-failing), which would only time out.
// Rollbacks of steps that ran still run, so the lab is restored, and the other waits still
// run, so the restoration is seen.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controller/measure/metrics.hpp"
#include "controller/measure/step_state.hpp"
#include "controller/model/topology.hpp"
#include "controller/netns/netlink.hpp"
#include "controller/scenario/script.hpp"

namespace blastlab::scenario {

using measure::StepState;

// The live lab as the steps see it. Every method throws std::runtime_error saying what
// failed; the executor records that as the step's error.
class LabControl {
 public:
  virtual ~LabControl() = default;
  virtual std::string running_config(const std::string& node) = 0;
  // Enters configuration mode, applies the lines in order, leaves it.
  virtual void configure(const std::string& node, const std::vector<std::string>& lines) = 0;
  // The commands that turn `after` back into `before` (FRR running-configs).
  virtual std::vector<std::string> rollback_commands(const std::string& before,
                                                     const std::string& after) = 0;
  virtual void set_link(const std::string& a, const std::string& b, bool up) = 0;
  // The impairment now on the a side of the link (empty spec: none).
  virtual netns::NetemSpec netem(const std::string& a, const std::string& b) = 0;
  virtual void set_netem(const std::string& a, const std::string& b,
                         const netns::NetemSpec& spec) = 0;
  virtual void stop_node(const std::string& node) = 0;
  virtual void start_node(const std::string& node) = 0;
  // Conditions, polled: true when they hold; *seen says what was seen when they do not.
  virtual bool converged(std::string* seen) = 0;
  virtual bool has_route(const std::string& node, const std::string& prefix) = 0;
  // The client's last `queries` resolver answers: true all answered, false all failed,
  // nullopt mixed or too few yet.
  virtual std::optional<bool> dns_streak(const std::string& client, int queries) = 0;
  // The run's scalar metrics (measure::scalar_metrics) from the events so far, for gates.
  virtual measure::Scalars metrics_now() = 0;
};

class Clock {
 public:
  using Time = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual Time now() = 0;
  virtual int64_t realtime_us() = 0;
  virtual void sleep_until(Time when) = 0;
};

class SystemClock : public Clock {
 public:
  Time now() override;
  int64_t realtime_us() override;
  void sleep_until(Time when) override;
};

// The controller's half of the timeline: JSON lines appended and flushed as they happen.
class EventWriter {
 public:
  EventWriter(const std::string& path, std::string lab, Clock& clock);
  ~EventWriter();
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;
  void emit(const std::string& event, const nlohmann::ordered_json& fields);

 private:
  std::string path_;
  std::string lab_;
  Clock& clock_;
  int fd_ = -1;
  std::mutex mutex_;
};

struct StepOutcome {
  std::string name;
  StepKind kind = StepKind::kWait;
  StepState state = StepState::kDone;
  std::string detail;
  std::string error;
};

class Executor {
 public:
  Executor(const Script& script, const model::Topology& topology, LabControl& lab, Clock& clock,
           EventWriter& events);

  // Called about ten times a second while steps wait or sleep (live progress).
  void on_tick(std::function<void(const std::string& step)> tick) { tick_ = std::move(tick); }

  // Runs every step. When *interrupted becomes true the step under way ends ("interrupted"),
  // then only the rollbacks of steps that ran still run, at once; the other steps are
  // "skipped". When *abort (set_abort) becomes true those rollbacks are skipped too.
  std::vector<StepOutcome> run(const std::atomic<bool>* interrupted);
  void set_abort(const std::atomic<bool>* abort) { abort_ = abort; }

  // Sleeps until `until`, ticking; false when interrupted first.
  bool sleep_until(Clock::Time until, const std::string& label,
                   const std::atomic<bool>* interrupted);

 private:
  // What a step changed, kept for its rollback.
  struct Undo {
    std::map<std::string, std::pair<std::string, std::string>> configs;  // node: before, after
    std::optional<netns::NetemSpec> netem;
  };

  std::string describe(const Step& step) const;
  std::string short_label(const Step& step) const;  // "wait prefix-gone", "audit (vtysh)"
  std::vector<std::string> targets(const Step& step) const;
  bool skipped_after_stop(const Step& step) const;
  void execute(const Step& step, const std::atomic<bool>* interrupted);
  void run_vtysh(const Step& step);
  void run_wait(const Step& step, const std::atomic<bool>* interrupted);
  void run_rollback(const Step& step);
  // Return the state the step ends in: done, or refused / halted with *detail saying why.
  StepState run_audit(const Step& step, std::string* detail);
  void emit_config(const Step& step, const std::string& node, const char* when,
                   const std::string& text);
  StepState run_gate(const Step& step, std::string* detail, const std::atomic<bool>* interrupted);

  const Script& script_;
  const model::Topology& topology_;
  const std::atomic<bool>* abort_ = nullptr;
  size_t current_index_ = 0;  // the step under way, for events emitted inside it
  LabControl& lab_;
  Clock& clock_;
  EventWriter& events_;
  std::function<void(const std::string&)> tick_;
  std::map<std::string, Undo> undo_;  // by step name
  std::set<std::string> ran_;         // names of the steps that started
  std::string label_;                 // the current step, for progress
};

}  // namespace blastlab::scenario
