#include "agents/dnsprobe/prober.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "agents/dnsprobe/log.hpp"

namespace blastlab::dnsprobe {
namespace {

constexpr int kRcodeNoError = 0;
constexpr int kRcodeServfail = 2;
constexpr int kRcodeNxdomain = 3;
constexpr int kRcodeRefused = 5;

}  // namespace

const char* result_name(Result result) {
  switch (result) {
    case Result::kOk:
      return "ok";
    case Result::kServfail:
      return "servfail";
    case Result::kNxdomain:
      return "nxdomain";
    case Result::kRefused:
      return "refused";
    case Result::kRcode:
      return "rcode";
    case Result::kTimeout:
      return "timeout";
    case Result::kUnreachable:
      return "unreachable";
    case Result::kError:
      return "error";
  }
  return "error";
}

Result classify(const Answer& answer) {
  switch (answer.rcode) {
    case kRcodeNoError:
      return answer.answers > 0 ? Result::kOk : Result::kRcode;
    case kRcodeServfail:
      return Result::kServfail;
    case kRcodeNxdomain:
      return Result::kNxdomain;
    case kRcodeRefused:
      return Result::kRefused;
    default:
      return Result::kRcode;
  }
}

Prober::Prober(const Config& config, Clock& clock, Network& network, agent::EventLog& events)
    : config_(config),
      clock_(clock),
      network_(network),
      events_(events),
      random_(std::random_device{}()) {}

RunSummary Prober::run(const StopRequest& stop) {
  nlohmann::ordered_json targets = nlohmann::ordered_json::array();
  for (const Target& t : config_.targets)
    targets.push_back({{"name", t.name}, {"server", t.server()}});
  nlohmann::ordered_json start_fields = {
      {"rate", config_.rate},   {"timeout_us", config_.timeout.count()},
      {"targets", targets},     {"zone", config_.zone},
      {"qname", config_.qname}, {"qtype", config_.qtype},
      {"nsid", config_.nsid},   {"duration_us", config_.duration.count()}};
  if (config_.count) start_fields["count"] = *config_.count;
  events_.emit(clock_.realtime_us(), "start", start_fields);
  logger()->info("probing {} target(s) at {}/s each, timeout {} ms", config_.targets.size(),
                 config_.rate, config_.timeout.count() / 1000);

  agent::ProbeLoopEnd end = agent::run_probe_loop(
      *this, clock_, stop,
      {.rate = config_.rate, .duration = config_.duration, .count = config_.count}, *logger());
  summary_.skipped = end.skipped;
  summary_.abandoned = end.abandoned;
  summary_.reason = end.reason;
  agent::write_stop(events_, clock_, *logger(), summary_.sent, summary_.answered, end);
  return summary_;
}

void Prober::send_slot() {
  for (size_t i = 0; i < config_.targets.size(); ++i) {
    const Target& target = config_.targets[i];
    uint64_t key = next_key_++;
    InFlight query;
    query.target = i;
    query.id = static_cast<uint16_t>(random_());
    query.question = next_question();
    auto [it, inserted] = in_flight_.emplace(key, std::move(query));
    ++summary_.sent;
    std::vector<uint8_t> packet;
    try {
      packet = build_query(it->second.id, it->second.question, config_.nsid);
    } catch (const std::runtime_error& e) {
      it->second.sent_at = clock_.now();
      it->second.sent_us = clock_.realtime_us();
      finish(it, Result::kError, {{"error", e.what()}});
      continue;
    }
    it->second.sent_at = clock_.now();
    it->second.sent_us = clock_.realtime_us();
    it->second.deadline = it->second.sent_at + config_.timeout;
    SocketError error = network_.send(key, target.address, target.port, packet);
    if (error.err != 0) {
      finish(it, is_unreachable(error.err) ? Result::kUnreachable : Result::kError,
             {{"error", error.words}});
    }
  }
}

Question Prober::next_question() {
  if (!config_.unique_names()) return {config_.fixed_name(), config_.qtype_code};
  // The sequence number keeps names unique within the run, the random part across runs
  // and clients, so neither the resolver's cache nor anyone else's can answer.
  auto random_part = static_cast<uint32_t>(random_());
  return {fmt::format("{}-{:08x}.probe.{}", next_key_, random_part, config_.zone),
          config_.qtype_code};
}

void Prober::wait(Clock::TimePoint next_slot) {
  Clock::TimePoint deadline = next_slot;
  if (!in_flight_.empty()) deadline = std::min(deadline, in_flight_.begin()->second.deadline);
  for (const Arrival& arrival : network_.wait(deadline)) handle(arrival);
}

void Prober::handle(const Arrival& arrival) {
  auto it = in_flight_.find(arrival.query);
  if (it == in_flight_.end()) return;  // already over: a late datagram or a second error
  if (arrival.failed) {
    finish(it, is_unreachable(arrival.error.err) ? Result::kUnreachable : Result::kError,
           {{"error", arrival.error.words}});
    return;
  }
  Reply reply = parse_reply(arrival.datagram, it->second.id, it->second.question);
  switch (reply.kind) {
    case Reply::Kind::kStray:
      logger()->debug("ignored a datagram for {}: {}", it->second.question.qname, reply.error);
      return;
    case Reply::Kind::kMalformed:
      finish(it, Result::kError, {{"error", reply.error}});
      return;
    case Reply::Kind::kAnswer: {
      ++summary_.answered;
      nlohmann::ordered_json fields = {
          {"rcode", reply.answer.rcode_name},
          {"latency_us", agent::micros(arrival.at - it->second.sent_at)}};
      if (reply.answer.nsid) fields["nsid"] = *reply.answer.nsid;
      finish(it, classify(reply.answer), std::move(fields));
      return;
    }
  }
}

void Prober::expire(Clock::TimePoint now) {
  while (!in_flight_.empty() && in_flight_.begin()->second.deadline <= now)
    finish(in_flight_.begin(), Result::kTimeout, nlohmann::ordered_json::object());
}

void Prober::abandon() {
  for (const auto& [key, query] : in_flight_) network_.close(key);
  in_flight_.clear();
}

void Prober::finish(std::map<uint64_t, InFlight>::iterator it, Result result,
                    nlohmann::ordered_json fields) {
  const InFlight& query = it->second;
  const Target& target = config_.targets[query.target];
  nlohmann::ordered_json line = {{"target", target.name},
                                 {"server", target.server()},
                                 {"qname", query.question.qname},
                                 {"result", result_name(result)}};
  for (const auto& [key, value] : fields.items()) line[key] = value;
  events_.emit(query.sent_us, "query", line);
  ++summary_.results[result];
  logger()->debug("{} {} {}: {}", target.name, query.question.qname, result_name(result),
                  fields.dump());
  network_.close(it->first);
  in_flight_.erase(it);
}

}  // namespace blastlab::dnsprobe
