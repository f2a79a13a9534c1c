// The run as it happens: follows the lab's event files while the steps go on and keeps what
// the live progress line and the DNS waits need: each client's latest resolver answers,
// the prefixes each vantage point holds, which sites announce. It reads only complete new
// lines on each poll(), so polling ten times a second costs next to nothing.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controller/measure/events.hpp"

namespace blastlab::experiment {

class LiveView {
 public:
  explicit LiveView(std::string events_dir);

  // Reads what was appended to every *.jsonl file of the directory since the last poll.
  void poll();
  // Feeds one event (poll() does this for each line; tests call it directly).
  void add(const measure::Event& event);

  // The client's last n resolver answers by send time: true all ok, false all failed,
  // nullopt when mixed or fewer than n.
  std::optional<bool> dns_streak(const std::string& client, int n) const;
  // The share of resolver queries sent at or after since_us that succeeded; nullopt when
  // none completed.
  std::optional<double> dns_success_since(int64_t since_us) const;
  // Of the client's resolver answers sent at or after since_us: how many there are and how
  // many were ok.
  struct Tally {
    int answered = 0;
    int ok = 0;
  };
  Tally dns_since(const std::string& client, int64_t since_us) const;
  // The same for reachprobe's probes from `from` to `target` (a target's name).
  Tally reach_since(const std::string& from, const std::string& target, int64_t since_us) const;
  // Whether each watched prefix is present at the vantage point now, by prefix; empty
  // before routewatch's first dump there.
  std::map<std::string, bool> prefixes_at(const std::string& vantage) const;
  // Each site's last announcement state (true: announcing), by node; sites whose healthd
  // said nothing yet are absent.
  const std::map<std::string, bool>& announcing() const { return announcing_; }
  // (vantage, prefix) pairs present now, of those watched.
  int prefixes_present() const;
  int prefixes_watched() const { return watched_; }
  // Whether the agent on the node has said what it sees: routewatch its first dump,
  // dnsprobe its first answer, querywatch that its capture is open.
  bool has_reported(const std::string& agent, const std::string& node) const {
    return reported_.count({agent, node}) > 0;
  }
  // The time of the latest event the agent on the node wrote; nullopt before its first.
  std::optional<int64_t> last_event_us(const std::string& agent, const std::string& node) const {
    auto it = last_event_.find({agent, node});
    return it == last_event_.end() ? std::nullopt : std::optional<int64_t>(it->second);
  }
  // Sites whose healthd last announced (not withdrawn, not degraded).
  int sites_announcing() const;
  int sites_seen() const { return int(announcing_.size()); }

 private:
  struct Answer {
    int64_t sent = 0;
    bool ok = false;
  };
  struct Follow {
    int64_t offset = 0;
    std::string partial;
  };

  std::string dir_;
  std::map<std::string, Follow> files_;
  std::map<std::string, std::deque<Answer>> answers_;  // by client, sorted by sent
  std::map<std::pair<std::string, std::string>, std::deque<Answer>> probes_;  // (from, target)
  std::map<std::string, std::set<std::string>> present_;                      // by vantage
  std::map<std::string, std::set<std::string>> watch_;                        // by vantage
  int watched_ = 0;
  std::map<std::string, bool> announcing_;                  // by site
  std::set<std::pair<std::string, std::string>> reported_;  // (agent, node)
  std::map<std::pair<std::string, std::string>, int64_t> last_event_;
};

}  // namespace blastlab::experiment
