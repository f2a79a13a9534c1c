#include "agents/healthd/agent.hpp"

#include <fmt/format.h>
#include <string.h>

#include <algorithm>

#include "agents/healthd/log.hpp"
#include "contracts/limits.hpp"

namespace blastlab::healthd {
namespace {

using ordered_json = nlohmann::ordered_json;

int64_t micros(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

ordered_json start_fields(const Config& config) {
  ordered_json targets = ordered_json::array();
  for (const Target& t : config.targets)
    targets.push_back({{"name", t.name}, {"address", t.address}});
  ordered_json checks = ordered_json::array();
  for (CheckKind kind : config.checks) checks.push_back(to_string(kind));
  return {{"interval_ms", config.interval.count()},
          {"timeout_ms", config.timeout.count()},
          {"rise", config.rise},
          {"fall", config.fall},
          {"action", to_string(config.action)},
          {"targets", targets},
          {"checks", checks},
          {"prefixes", config.prefixes},
          {"min_sites", config.guard ? config.guard->min_sites : 0}};
}

}  // namespace

Agent::Agent(const Config& config, Clock& clock, Checker& checker, Announcer& announcer,
             EventLog& events, Gossip* gossip)
    : config_(config),
      clock_(clock),
      checker_(checker),
      announcer_(announcer),
      events_(events),
      checks_(round_checks(config)),
      targets_(config.targets.size(), RiseFall(config.rise, config.fall)),
      local_(config.rise, config.fall),
      gossip_(gossip) {
  if (config.announced_at_start) announced_ = Announcement::kAnnounced;
  if (config.guard) peers_.emplace(config.node, config.guard->peers);
}

void Agent::run(const std::atomic<int>& stop_signal) {
  events_.emit("start", start_fields(config_));
  logger()->info("started on {}: {} target(s), checks every {} ms, action {}", config_.node,
                 config_.targets.size(), config_.interval.count(), to_string(config_.action));
  FixedRateSchedule schedule(clock_.now(), config_.interval);
  while (stop_signal.load() == 0) {
    round();
    if (int64_t skipped = schedule.advance(clock_.now()); skipped > 0)
      logger()->warn("round overran its interval; skipping {} round(s)", skipped);
    clock_.sleep_until(schedule.slot_time());
  }
  int sig = stop_signal.load();
  const char* name = sigabbrev_np(sig);
  events_.emit("stop", {{"signal", name ? std::string("SIG") + name : std::to_string(sig)},
                        {"announcement", to_string(announced_)}});
  logger()->info("stopped by signal {}; bgpd keeps its current announcement ({})", sig,
                 to_string(announced_));
}

void Agent::round() {
  ++round_;
  record(checker_.run(checks_, config_.timeout));
  SiteInput input{.local_checked = config_.has_check(CheckKind::kDns),
                  .local_up = local_.up(),
                  .targets_checked = !config_.remote_checks().empty(),
                  .targets_up = size_t(std::count_if(targets_.begin(), targets_.end(),
                                                     [](const RiseFall& m) { return m.up(); })),
                  .targets_total = targets_.size(),
                  .action = config_.action,
                  .ever_announced = ever_announced_,
                  .announced = announced_};
  if (config_.guard) consult_peers(input);
  SiteDecision decision = decide_site(input);
  if (site_ != decision.state) {
    site_ = decision.state;
    events_.emit("site", {{"state", to_string(decision.state)}, {"reason", decision.reason}});
    logger()->info("site {}: {}", to_string(decision.state), decision.reason);
  }
  if (config_.guard && gossip_) {
    // Told before vtysh runs: a site about to withdraw never tells its peers it announces, and
    // one about to announce says so from the next round, once bgpd has it.
    bool announcing =
        decision.announcement != Announcement::kWithdrawn && announced_ != Announcement::kWithdrawn;
    gossip_->send({config_.node, announcing, decision.state == SiteState::kGuarded, round_});
  }
  if (decision.announcement != announced_) announce(decision.announcement);
}

void Agent::consult_peers(SiteInput& input) {
  auto now = clock_.now();
  if (gossip_) {
    for (const PeerMessage& message : gossip_->receive()) peers_->record(message, now, round_);
  }
  // `input` has the guard off still: this is what the rule alone would do.
  bool giving_up = gives_up(announced_, decide_site(input).announcement);
  if (!giving_up) {
    giving_up_since_.reset();
  } else if (!giving_up_since_) {
    giving_up_since_ = round_;
  }
  std::vector<std::string> seen =
      peers_->announcing(now, config_.fall * config_.interval, giving_up_since_);
  // A target that is down but passed this round is coming back: that round confirms nothing.
  bool all_failed = std::none_of(targets_.begin(), targets_.end(),
                                 [](const RiseFall& m) { return !m.up() && m.streak() > 0; });
  bool confirms = giving_up && all_failed && seen.size() >= size_t(config_.guard->min_sites);
  confirmed_rounds_ = confirms ? confirmed_rounds_ + 1 : 0;
  if (seen != seen_) {
    events_.emit("guard", {{"announcing", seen.size()}, {"peers", seen}});
    logger()->info("guard: {} other site(s) seen announcing{}{}", seen.size(),
                   seen.empty() ? "" : ": ", fmt::join(seen, ", "));
    seen_ = seen;
  }
  input.guard_enabled = true;
  input.min_sites = config_.guard->min_sites;
  input.peers_announcing = seen.size();
  input.confirmed_rounds = confirmed_rounds_;
  input.confirm_rounds = config_.fall;
}

void Agent::record(const std::vector<CheckResult>& results) {
  std::vector<bool> passed(targets_.size(), true);
  bool local_passed = true;
  for (const CheckResult& r : results) {
    ordered_json fields = {{"target", r.spec.target},
                           {"check", to_string(r.spec.kind)},
                           {"ok", r.ok},
                           {"latency_us", r.latency.count()}};
    if (!r.ok) fields["error"] = r.error;
    events_.emit("check", fields);
    logger()->debug("{} {} {}{}", r.spec.target, to_string(r.spec.kind),
                    r.ok ? "ok" : "failed: ", r.error);
    if (r.spec.kind == CheckKind::kDns) {
      local_passed = local_passed && r.ok;
      continue;
    }
    for (size_t i = 0; i < targets_.size(); ++i) {
      if (config_.targets[i].name == r.spec.target && !r.ok) passed[i] = false;
    }
  }
  // Without a remote check there is nothing to say about the targets: they stay DOWN.
  bool probed = !config_.remote_checks().empty();
  for (size_t i = 0; probed && i < targets_.size(); ++i) {
    if (!targets_[i].record(passed[i])) continue;
    const char* state = targets_[i].up() ? "up" : "down";
    events_.emit("target", {{"target", config_.targets[i].name}, {"state", state}});
    logger()->info("target {} is {}", config_.targets[i].name, state);
  }
  if (config_.has_check(CheckKind::kDns) && local_.record(local_passed)) {
    const char* state = local_.up() ? "up" : "down";
    events_.emit("target",
                 {{"target", std::string(contracts::kReservedTargetName)}, {"state", state}});
    logger()->info("local dns check is {}", state);
  }
}

void Agent::announce(Announcement wanted) {
  auto begin = clock_.now();
  AnnounceResult result = announcer_.apply(wanted);
  int64_t duration_us = micros(clock_.now() - begin);
  ordered_json fields = {{"prefixes", config_.prefixes}};
  if (wanted == Announcement::kDegraded) fields["route_map"] = config_.degrade_route_map;
  fields["ok"] = result.ok;
  fields["duration_us"] = duration_us;
  if (!result.ok) fields["error"] = result.error;
  events_.emit(to_string(wanted), fields);  // stamped now: when bgpd had the change
  if (!result.ok) {
    logger()->warn("{} failed, retrying next round: {}", to_string(wanted), result.error);
    return;
  }
  logger()->info("{} done in {} ms", to_string(wanted), duration_us / 1000);
  announced_ = wanted;
  if (wanted != Announcement::kWithdrawn) ever_announced_ = true;
}

}  // namespace blastlab::healthd
