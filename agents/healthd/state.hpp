// The decisions healthd makes from check results, kept free of sockets, clocks and FRR so they
// can be tested exhaustively: a rise/fall machine per target (and one for the local dns
// check), and the site decision that turns those states, and what the site hears from the
// other sites, into what bgpd should announce.
#pragma once

#include <cstddef>
#include <string>

#include "agents/healthd/config.hpp"

namespace blastlab::healthd {

// Classic HAProxy/ExaBGP hysteresis: a target starts DOWN, goes UP after `rise` consecutive
// passing rounds and DOWN after `fall` consecutive failing ones; a single opposite result
// resets the count, so a flapping target never crosses. This damps one lost packet into
// nothing instead of a BGP withdrawal.
class RiseFall {
 public:
  RiseFall(int rise, int fall) : rise_(rise), fall_(fall) {}

  // Records one round's result; returns true when it changed the state.
  bool record(bool passed);
  bool up() const { return up_; }
  int streak() const { return streak_; }  // consecutive results against the current state

 private:
  int rise_;
  int fall_;
  bool up_ = false;
  int streak_ = 0;
};

// What bgpd is told to originate for the anycast prefixes.
enum class Announcement { kWithdrawn, kAnnounced, kDegraded };
const char* to_string(Announcement announcement);  // "withdraw", "announce", "degrade"

// True when `to` originates less than `from`: withdrawn < degraded < announced.
bool gives_up(Announcement from, Announcement to);

enum class SiteState { kHealthy, kUnhealthy, kDegraded, kFailStatic, kGuarded };
// "healthy", "unhealthy", "degraded", "fail-static", "guarded"
const char* to_string(SiteState state);

struct SiteInput {
  bool local_checked = false;  // a dns check is configured
  bool local_up = false;
  bool targets_checked = true;  // some remote kind (tcp, icmp, http) is configured
  size_t targets_up = 0;
  size_t targets_total = 0;
  Action action = Action::kWithdraw;
  bool ever_announced = false;  // bgpd has accepted an announcement since healthd started
  Announcement announced = Announcement::kWithdrawn;  // what bgpd originates now
  // The min-sites guard: off unless enabled. peers_announcing is how many other sites this one
  // sees announcing now (the agent decides what counts as seen, see PeerView);
  // confirmed_rounds how many consecutive rounds, up to this one, every check failed while at
  // least min_sites were seen; the guard lets go at confirm_rounds (the agent gives fall).
  bool guard_enabled = false;
  int min_sites = 0;
  size_t peers_announcing = 0;
  int confirmed_rounds = 0;
  int confirm_rounds = 1;
};

struct SiteDecision {
  SiteState state = SiteState::kUnhealthy;
  Announcement announcement = Announcement::kWithdrawn;
  std::string reason;
};

// The site rule. A broken local name server always withdraws: announcing an address that
// does not answer is worse than any backend problem. With every target down, `action` picks
// withdraw, degrade (announce with a longer path) or fail-static (suspect the network and keep
// announcing); the last two only keep an announcement that exists, so a site that never came
// up announces nothing. With no remote check configured, the local check alone decides.
//
// The guard then overrules a decision that would give up (withdraw or degrade) what the site
// announces now, while it sees fewer than min_sites other sites announcing, and until it has
// seen them for confirm_rounds consecutive failing rounds: the site keeps its announcement
// (state guarded), so no site takes itself out of service on its own judgement when that
// could leave too few sites serving, as in the 2021 outage, where every site withdrew at
// once. The confirmation is the fall hysteresis again, for "I fail while the others serve":
// when a cut backbone comes back, the path to a peer often returns a round or two before the
// path to the data center, and without it the site would withdraw just as it recovers. The
// guard never keeps the address of a name server that does not answer (the local dns check),
// and never announces what the site did not announce already.
SiteDecision decide_site(const SiteInput& input);

}  // namespace blastlab::healthd
