#include "agents/healthd/state.hpp"

#include <fmt/format.h>

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
  }
  return "unhealthy";
}

SiteDecision decide_site(const SiteInput& in) {
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

}  // namespace blastlab::healthd
