// The health-check agent of one DNS host: every interval it runs the round's checks, feeds
// each target's rise/fall machine (and the local dns check's), decides what the site should
// announce and tells bgpd when that changes, writing every step to the event log. It owns no
// OS resource itself: clock, checker, announcer and event log are handed in, so tests drive
// it with fakes through hours of simulated rounds. With the min-sites guard configured it also
// gossips with the other sites each round and lets what it hears hold back a withdrawal.
#pragma once

#include <atomic>
#include <optional>
#include <vector>

#include "agents/healthd/announcer.hpp"
#include "agents/healthd/checker.hpp"
#include "agents/healthd/clock.hpp"
#include "agents/healthd/config.hpp"
#include "agents/healthd/event_log.hpp"
#include "agents/healthd/gossip.hpp"
#include "agents/healthd/peer_view.hpp"
#include "agents/healthd/state.hpp"

namespace blastlab::healthd {

class Agent {
 public:
  // `gossip` is used only when config.guard is set; without it the guard hears no one.
  Agent(const Config& config, Clock& clock, Checker& checker, Announcer& announcer,
        EventLog& events, Gossip* gossip = nullptr);

  // Emits `start`, runs rounds at start + k * interval until `stop_signal` is non-zero, then
  // emits `stop` naming that signal. What bgpd announces is left as it is: stopping healthd
  // is not a reason to withdraw.
  void run(const std::atomic<int>& stop_signal);
  // One round: checks, state machines, what the peers said (guard), site decision, one
  // datagram to each peer (guard), and a vtysh run if the wanted announcement differs from
  // what bgpd has. The peers' datagrams are drained after the checks, just before deciding,
  // and the decision is sent before vtysh runs, so of two sites deciding in the same round
  // the later one knows what the earlier one decided (PeerView's name order settles a tie).
  void round();

  Announcement announcement() const { return announced_; }
  std::optional<SiteState> site() const { return site_; }
  bool target_up(size_t index) const { return targets_[index].up(); }
  bool local_up() const { return local_.up(); }

 private:
  void record(const std::vector<CheckResult>& results);
  // Drains the peers' messages and fills in the guard's part of `input`.
  void consult_peers(SiteInput& input);
  void announce(Announcement wanted);

  const Config& config_;
  Clock& clock_;
  Checker& checker_;
  Announcer& announcer_;
  EventLog& events_;
  std::vector<CheckSpec> checks_;
  std::vector<RiseFall> targets_;  // in config.targets order
  RiseFall local_;
  std::optional<SiteState> site_;  // none until the first round's decision
  // bgpd has no `network` at start, unless config.announced_at_start says it has.
  Announcement announced_ = Announcement::kWithdrawn;
  bool ever_announced_ = false;
  Gossip* gossip_;
  std::optional<PeerView> peers_;  // with the guard only
  uint64_t round_ = 0;             // rounds run so far; also each datagram's seq
  // The round in which the rule alone began to want to give up the announcement; none while
  // it does not. Peers count only when heard after it (see PeerView).
  std::optional<uint64_t> giving_up_since_;
  // Consecutive rounds in which every check failed while enough peers were seen announcing.
  int confirmed_rounds_ = 0;
  std::optional<std::vector<std::string>> seen_;  // peers seen announcing, as last reported
};

}  // namespace blastlab::healthd
