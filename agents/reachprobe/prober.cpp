#include "agents/reachprobe/prober.hpp"

#include <errno.h>

#include <algorithm>
#include <optional>

#include "agents/reachprobe/log.hpp"

namespace blastlab::reachprobe {
namespace {

nlohmann::ordered_json target_json(const Target& t) {
  nlohmann::ordered_json j = {
      {"name", t.name}, {"address", t.address}, {"proto", to_string(t.proto)}};
  if (t.proto == Proto::kTcp) j["port"] = t.port;
  return j;
}

}  // namespace

const char* result_name(Result result) {
  switch (result) {
    case Result::kOk:
      return "ok";
    case Result::kTimeout:
      return "timeout";
    case Result::kUnreachable:
      return "unreachable";
    case Result::kRefused:
      return "refused";
    case Result::kError:
      return "error";
  }
  return "error";
}

Result result_of_errno(int err) {
  switch (err) {
    case ECONNREFUSED:
      return Result::kRefused;
    case ETIMEDOUT:
      return Result::kTimeout;
    case EHOSTUNREACH:
    case ENETUNREACH:
    case EHOSTDOWN:
    case ENETDOWN:
    case ENONET:
    case EACCES:  // a prohibited destination (ICMP administratively prohibited)
      return Result::kUnreachable;
    default:
      return Result::kError;
  }
}

Prober::Prober(const Config& config, Clock& clock, Network& network, agent::EventLog& events)
    : config_(config), clock_(clock), network_(network), events_(events) {}

RunSummary Prober::run(const agent::StopRequest& stop) {
  nlohmann::ordered_json targets = nlohmann::ordered_json::array();
  for (const Target& t : config_.targets) targets.push_back(target_json(t));
  events_.emit(clock_.realtime_us(), "start",
               {{"rate", config_.rate},
                {"timeout_us", config_.timeout.count()},
                {"duration_us", config_.duration.count()},
                {"targets", targets}});
  logger()->info("probing {} target(s) at {}/s each, timeout {} ms", config_.targets.size(),
                 config_.rate, config_.timeout.count() / 1000);

  agent::ProbeLoopEnd end = agent::run_probe_loop(
      *this, clock_, stop, {.rate = config_.rate, .duration = config_.duration}, *logger());
  summary_.skipped = end.skipped;
  summary_.reason = end.reason;
  agent::write_stop(events_, clock_, *logger(), summary_.sent, summary_.answered, end);
  return summary_;
}

void Prober::send_slot() {
  for (size_t i = 0; i < config_.targets.size(); ++i) {
    uint64_t key = next_key_++;
    InFlight probe{.target = i, .sent_at = clock_.now(), .sent_us = clock_.realtime_us()};
    probe.deadline = probe.sent_at + config_.timeout;
    auto [it, inserted] = in_flight_.emplace(key, probe);
    ++summary_.sent;
    if (std::optional<Failure> failure = network_.start(key, config_.targets[i]))
      finish(it, failure->result, failure->words, std::nullopt);
  }
}

void Prober::wait(Clock::TimePoint next_slot) {
  Clock::TimePoint deadline = next_slot;
  if (!in_flight_.empty()) deadline = std::min(deadline, in_flight_.begin()->second.deadline);
  for (const Arrival& arrival : network_.wait(deadline)) handle(arrival);
}

void Prober::handle(const Arrival& arrival) {
  auto it = in_flight_.find(arrival.probe);
  if (it == in_flight_.end()) return;  // already over: a late answer
  std::optional<Clock::duration> rtt;
  if (arrival.result == Result::kOk) rtt = arrival.at - it->second.sent_at;
  finish(it, arrival.result, arrival.words, rtt);
}

void Prober::expire(Clock::TimePoint now) {
  while (!in_flight_.empty() && in_flight_.begin()->second.deadline <= now)
    finish(in_flight_.begin(), Result::kTimeout, "", std::nullopt);
}

void Prober::abandon() {
  for (const auto& [key, probe] : in_flight_) network_.close(key);
  in_flight_.clear();
}

void Prober::finish(std::map<uint64_t, InFlight>::iterator it, Result result,
                    const std::string& words, std::optional<Clock::duration> rtt) {
  const Target& target = config_.targets[it->second.target];
  nlohmann::ordered_json fields = {
      {"target", target.name}, {"address", target.address}, {"proto", to_string(target.proto)}};
  if (target.proto == Proto::kTcp) fields["port"] = target.port;
  fields["result"] = result_name(result);
  if (rtt) fields["rtt_us"] = agent::micros(*rtt);
  if (!words.empty()) fields["error"] = words;
  events_.emit(it->second.sent_us, "probe", fields);
  ++summary_.results[result];
  if (result == Result::kOk) ++summary_.answered;
  logger()->debug("{} {}: {} {}", to_string(target.proto), target.name, result_name(result), words);
  network_.close(it->first);
  in_flight_.erase(it);
}

}  // namespace blastlab::reachprobe
