#include "agents/healthd/peer_view.hpp"

#include <algorithm>

namespace blastlab::healthd {

PeerView::PeerView(std::string self, const std::vector<GuardPeer>& peers) : self_(std::move(self)) {
  for (const GuardPeer& p : peers) peers_.push_back({.name = p.name});
}

bool PeerView::record(const PeerMessage& message, Clock::TimePoint now, uint64_t round) {
  auto peer = std::find_if(peers_.begin(), peers_.end(),
                           [&](const Peer& p) { return p.name == message.node; });
  if (peer == peers_.end()) return false;
  peer->heard = true;
  peer->latest = message;
  peer->at = now;
  peer->round = round;
  return true;
}

std::vector<std::string> PeerView::announcing(Clock::TimePoint now, Clock::duration window,
                                              std::optional<uint64_t> after_round) const {
  std::vector<std::string> names;
  for (const Peer& p : peers_) {
    if (!p.heard || !p.latest.announcing || now - p.at > window) continue;
    if (after_round && p.round <= *after_round) continue;
    if (p.latest.guarded && !(p.name < self_)) continue;
    names.push_back(p.name);
  }
  return names;
}

}  // namespace blastlab::healthd
