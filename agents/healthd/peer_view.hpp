// What one site knows about the other sites' announcements, from their gossip: per peer, the
// latest message and when it was drained. Kept apart from sockets and clocks so the rule for
// which peers count as "seen announcing" is tested on its own. A peer counts when all of
// these hold:
//
// - Its latest message said it announces, and was heard within `window` (fall x interval: one
//   lost datagram must not look like a dead site).
// - While this site's own rule wants to give up its announcement, the message was drained in
//   a later round than the one where that began. Without this the guard fails in the very
//   outage it is for: when the backbone is cut, a site's checks fail after
//   (fall - 1) x interval + timeout, before the peers' last datagrams (sent just before the
//   cut) are older than the window, so every site would still "see" the others and all would
//   withdraw together.
// - It is not itself held only by its guard, unless its name sorts before this site's. Sites
//   that fail together (a shared data center) would otherwise each see the others still
//   announcing and could all let go in the same instant; the fixed order lets the first
//   min-sites of them by name stay, whatever the timing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agents/healthd/clock.hpp"
#include "agents/healthd/gossip.hpp"

namespace blastlab::healthd {

class PeerView {
 public:
  PeerView(std::string self, const std::vector<GuardPeer>& peers);

  // Records a message drained in round `round` at `now`; the latest drained wins. Returns
  // false, recording nothing, when it names no configured peer.
  bool record(const PeerMessage& message, Clock::TimePoint now, uint64_t round);
  // The peers seen announcing at `now` as the rules above say, in configuration order;
  // `after_round` is the round this site began to give up in, if it is giving up.
  std::vector<std::string> announcing(Clock::TimePoint now, Clock::duration window,
                                      std::optional<uint64_t> after_round) const;

 private:
  struct Peer {
    std::string name;
    bool heard = false;
    PeerMessage latest;
    Clock::TimePoint at;
    uint64_t round = 0;
  };
  std::string self_;
  std::vector<Peer> peers_;
};

}  // namespace blastlab::healthd
