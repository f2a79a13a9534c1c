// The agent's loop and its interval bookkeeping; see agent.hpp.
#include "agents/querywatch/agent.hpp"

#include <string.h>  // sigabbrev_np, a GNU extension

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "agents/querywatch/log.hpp"

namespace blastlab::querywatch {

namespace {

std::vector<std::string> texts(const std::vector<model::Ipv4Address>& addresses) {
  std::vector<std::string> out;
  for (const model::Ipv4Address& a : addresses) out.push_back(a.str());
  return out;
}

int64_t whole_ms(agent::Clock::duration d) {
  return std::chrono::round<std::chrono::milliseconds>(d).count();
}

}  // namespace

std::string signal_name(int sig) {
  const char* name = sigabbrev_np(sig);
  return name ? std::string("SIG") + name : std::to_string(sig);
}

Tally::Tally(const std::vector<model::Ipv4Address>& targets) {
  for (const model::Ipv4Address& target : targets) by_target_[target] = 0;
}

bool Tally::add(const OutgoingQuery& query) {
  auto it = by_target_.find(query.destination);
  if (it == by_target_.end()) return false;
  ++it->second;
  ++(query.kind == QueryKind::kUdp ? udp_ : tcp_);
  return true;
}

void Tally::reset() {
  udp_ = 0;
  tcp_ = 0;
  for (auto& [target, count] : by_target_) count = 0;
}

Agent::Agent(const Options& options, PacketSource& source, agent::EventLog& events,
             agent::Clock& clock)
    : options_(options), source_(source), events_(events), clock_(clock), tally_(options.targets) {}

void Agent::run(const std::atomic<int>& stop_signal) {
  const agent::Clock::TimePoint start = clock_.now();
  events_.emit(clock_.realtime_us(), "start",
               {{"targets", texts(options_.targets)}, {"interval_ms", options_.interval.count()}});
  logger()->info("counting queries to {} address(es), every {} ms, for up to {} ms",
                 options_.targets.size(), options_.interval.count(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(options_.duration).count());
  const agent::Clock::TimePoint deadline = start + options_.duration;
  agent::FixedRateSchedule schedule(start, options_.interval);
  schedule.advance(start);  // the first interval ends one interval after the start
  interval_start_ = start;
  nlohmann::ordered_json stop = {{"reason", "duration"}};
  try {
    for (;;) {
      if (int sig = stop_signal.load()) {
        stop = {{"reason", "signal"}, {"signal", signal_name(sig)}};
        break;
      }
      agent::Clock::TimePoint now = clock_.now();
      if (now >= deadline) break;
      if (now >= schedule.slot_time()) {
        close_interval(now);
        if (int64_t skipped = schedule.advance(now); skipped > 0) {
          // The interval just written covers the missed slots: its interval_ms says so.
          logger()->warn("fell behind by {} interval(s)", skipped);
        }
        continue;
      }
      auto packet = source_.next(std::min(schedule.slot_time(), deadline));
      if (!packet) continue;
      if (auto query = classify_packet(*packet)) tally_.add(*query);
    }
    // The part of an interval the run ended in, so the intervals add up to the whole run.
    agent::Clock::TimePoint now = clock_.now();
    if (now > interval_start_) close_interval(now);
  } catch (const std::exception& e) {
    // The timeline should say the count ended, and why, even when main exits 3.
    events_.emit(clock_.realtime_us(), "stop",
                 {{"reason", "error"},
                  {"error", e.what()},
                  {"udp_total", udp_total_},
                  {"tcp_total", tcp_total_},
                  {"drops", drops_}});
    throw;
  }
  stop["udp_total"] = udp_total_;
  stop["tcp_total"] = tcp_total_;
  stop["drops"] = drops_;
  events_.emit(clock_.realtime_us(), "stop", stop);
  logger()->info("stopped: {}", stop.dump());
}

void Agent::close_interval(agent::Clock::TimePoint now) {
  uint64_t drops = source_.take_drops();
  nlohmann::ordered_json by_target = nlohmann::ordered_json::object();
  for (const auto& [target, count] : tally_.by_target()) by_target[target.str()] = count;
  nlohmann::ordered_json fields = {{"interval_ms", whole_ms(now - interval_start_)},
                                   {"udp", tally_.udp()},
                                   {"tcp", tally_.tcp()},
                                   {"by_target", by_target}};
  // Lost packets make the counts a lower bound; the interval says so where it happened.
  if (drops > 0) {
    fields["drops"] = drops;
    logger()->warn("the kernel dropped {} packet(s): the agent fell behind", drops);
  }
  events_.emit(clock_.realtime_us(), "queries", fields);
  logger()->debug("{} udp, {} tcp in {} ms", tally_.udp(), tally_.tcp(),
                  whole_ms(now - interval_start_));
  udp_total_ += tally_.udp();
  tcp_total_ += tally_.tcp();
  drops_ += drops;
  tally_.reset();
  interval_start_ = now;
}

}  // namespace blastlab::querywatch
