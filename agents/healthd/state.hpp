// The decisions healthd makes from check results, kept free of sockets, clocks and FRR so they
// can be tested exhaustively: a rise/fall machine per target (and one for the local dns
// check), and the site decision that turns those states into what bgpd should announce.
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

enum class SiteState { kHealthy, kUnhealthy, kDegraded, kFailStatic };
const char* to_string(SiteState state);  // "healthy", "unhealthy", "degraded", "fail-static"

struct SiteInput {
  bool local_checked = false;  // a dns check is configured
  bool local_up = false;
  bool targets_checked = true;  // some remote kind (tcp, icmp, http) is configured
  size_t targets_up = 0;
  size_t targets_total = 0;
  Action action = Action::kWithdraw;
  bool ever_announced = false;  // bgpd has accepted an announcement since healthd started
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
SiteDecision decide_site(const SiteInput& input);

}  // namespace blastlab::healthd
