#include "agents/healthd/state.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace blastlab::healthd {

bool RiseFall::record(bool passed) {
  if (passed == up_) {
    streak_ = 0;
    return false;
  }
  ++streak_;
  if (streak_ < (up_ ? fall_ : rise_)) return false;
  up_ = passed;
  streak_ = 0;
  return true;
}

const char* to_string(Announcement announcement) {
  switch (announcement) {
    case Announcement::kWithdrawn:
      return "withdraw";
    case Announcement::kAnnounced:
      return "announce";
    case Announcement::kDegraded:
      return "degrade";
  }
  return "withdraw";
}

bool gives_up(Announcement from, Announcement to) {
  auto rank = [](Announcement a) {
    switch (a) {
      case Announcement::kWithdrawn:
        return 0;
      case Announcement::kDegraded:
        return 1;
      case Announcement::kAnnounced:
        return 2;
    }
    return 0;
  };
  return rank(to) < rank(from);
}

const char* to_string(SiteState state) {
  switch (state) {
    case SiteState::kHealthy:
      return "healthy";
    case SiteState::kUnhealthy:
      return "unhealthy";
    case SiteState::kDegraded:
      return "degraded";
    case SiteState::kFailStatic:
      return "fail-static";
    case SiteState::kGuarded:
      return "guarded";
  }
  return "unhealthy";
}

namespace {

// The site rule without the guard.
SiteDecision decide_alone(const SiteInput& in) {
  if (in.local_checked && !in.local_up) {
    return {SiteState::kUnhealthy, Announcement::kWithdrawn,
            "local dns check down: this host's name server does not answer for its zone"};
  }
  if (!in.targets_checked) {
    return {SiteState::kHealthy, Announcement::kAnnounced, "local dns check up"};
  }
  if (in.targets_up > 0) {
    return {SiteState::kHealthy, Announcement::kAnnounced,
            fmt::format("{} of {} targets up{}", in.targets_up, in.targets_total,
                        in.local_checked ? ", local dns check up" : "")};
  }
  if (!in.ever_announced) {
    return {SiteState::kUnhealthy, Announcement::kWithdrawn,
            "no target up, and nothing announced yet: nothing is announced before the site has "
            "been healthy"};
  }
  switch (in.action) {
    case Action::kWithdraw:
      break;
    case Action::kDegrade:
      return {SiteState::kDegraded, Announcement::kDegraded,
              "every target down; announcing with the degrade route-map (longer AS path)"};
    case Action::kFailStatic:
      return {SiteState::kFailStatic, Announcement::kAnnounced,
              "every backend failed at once; suspecting the network, keeping the announcement"};
  }
  return {SiteState::kUnhealthy, Announcement::kWithdrawn, "every target down; withdrawing"};
}

}  // namespace

SiteDecision decide_site(const SiteInput& in) {
  SiteDecision alone = decide_alone(in);
  bool local_broken = in.local_checked && !in.local_up;
  bool holds = in.ever_announced && in.announced != Announcement::kWithdrawn;
  if (!in.guard_enabled || local_broken || !holds || !gives_up(in.announced, alone.announcement))
    return alone;
  std::string seen = fmt::format("guard: {} other site{} seen announcing", in.peers_announcing,
                                 in.peers_announcing == 1 ? "" : "s");
  if (in.peers_announcing < size_t(std::max(in.min_sites, 0))) {
    return {SiteState::kGuarded, in.announced,
            fmt::format("{}, min-sites {}; keeping the announcement instead of: {}", seen,
                        in.min_sites, alone.reason)};
  }
  if (in.confirmed_rounds < in.confirm_rounds) {
    return {SiteState::kGuarded, in.announced,
            fmt::format("{} while every check fails, {} of {} rounds; keeping the announcement "
                        "instead of: {}",
                        seen, in.confirmed_rounds, in.confirm_rounds, alone.reason)};
  }
  return alone;
}

}  // namespace blastlab::healthd
