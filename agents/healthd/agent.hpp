// The health-check agent of one DNS host: every interval it runs the round's checks, feeds
// each target's rise/fall machine (and the local dns check's), decides what the site should
// announce and tells bgpd when that changes, writing every step to the event log. It owns no
// OS resource itself: clock, checker, announcer and event log are handed in, so tests drive
// it with fakes through hours of simulated rounds.
#pragma once

#include <atomic>
#include <optional>
#include <vector>

#include "agents/healthd/announcer.hpp"
#include "agents/healthd/checker.hpp"
#include "agents/healthd/clock.hpp"
#include "agents/healthd/config.hpp"
#include "agents/healthd/event_log.hpp"
#include "agents/healthd/state.hpp"

namespace blastlab::healthd {

class Agent {
 public:
  Agent(const Config& config, Clock& clock, Checker& checker, Announcer& announcer,
        EventLog& events);

  // Emits `start`, runs rounds at start + k * interval until `stop_signal` is non-zero, then
  // emits `stop` naming that signal. What bgpd announces is left as it is: stopping healthd
  // is not a reason to withdraw.
  void run(const std::atomic<int>& stop_signal);
  // One round: checks, state machines, site decision, and a vtysh run if the wanted
  // announcement differs from what bgpd has.
  void round();

  Announcement announcement() const { return announced_; }
  std::optional<SiteState> site() const { return site_; }
  bool target_up(size_t index) const { return targets_[index].up(); }
  bool local_up() const { return local_.up(); }

 private:
  void record(const std::vector<CheckResult>& results);
  void announce(Announcement wanted);

  const Config& config_;
  Clock& clock_;
  Checker& checker_;
  Announcer& announcer_;
  EventLog& events_;
  std::vector<CheckSpec> checks_;
  std::vector<RiseFall> targets_;  // in config.targets order
  RiseFall local_;
  std::optional<SiteState> site_;                      // none until the first round's decision
  Announcement announced_ = Announcement::kWithdrawn;  // bgpd has no `network` at start
  bool ever_announced_ = false;
};

}  // namespace blastlab::healthd
