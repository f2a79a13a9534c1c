// The agent's loop and its dump bookkeeping; see agent.hpp.
#include "agents/routewatch/agent.hpp"

#include <net/if.h>
#include <string.h>  // sigabbrev_np, a GNU extension

#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "agents/routewatch/log.hpp"

namespace blastlab::routewatch {

namespace {

std::vector<std::string> texts(const std::vector<model::Ipv4Prefix>& prefixes) {
  std::vector<std::string> out;
  for (const model::Ipv4Prefix& p : prefixes) out.push_back(p.str());
  return out;
}

}  // namespace

std::string interface_name(uint32_t index) {
  // The name as the node's namespace has it now; an interface already gone reads as its
  // index.
  char name[IF_NAMESIZE] = {};
  return ::if_indextoname(index, name) ? std::string(name) : "if" + std::to_string(index);
}

std::string signal_name(int sig) {
  const char* name = sigabbrev_np(sig);
  return name ? std::string("SIG") + name : std::to_string(sig);
}

Agent::Agent(const Options& options, RouteSource& source, agent::EventLog& events,
             RealtimeClock realtime)
    : options_(options),
      source_(source),
      events_(events),
      realtime_(std::move(realtime)),
      watcher_(options.prefixes) {}

void Agent::run(const std::atomic<int>& stop_signal) {
  using std::chrono::steady_clock;
  events_.emit(realtime_(), "start", {{"prefixes", texts(options_.prefixes)}});
  auto deadline = steady_clock::now() + options_.duration;  // measured from `start`
  logger()->info("watching {} prefix(es) for up to {} ms", options_.prefixes.size(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(options_.duration).count());
  nlohmann::ordered_json stop = {{"reason", "duration"}};
  auto next_alive = steady_clock::now() + kAliveEvery;
  try {
    start_dump(DumpPurpose::kInitial);
    for (;;) {
      if (int sig = stop_signal.load()) {
        stop = {{"reason", "signal"}, {"signal", signal_name(sig)}};
        break;
      }
      auto now = steady_clock::now();
      if (now >= deadline) break;
      if (now >= next_alive) {
        // Routes may not change for minutes: this says the watch still runs, so the
        // controller can tell a quiet table from a dead or stuck agent.
        events_.emit(realtime_(), "alive", nlohmann::ordered_json::object());
        next_alive = now + kAliveEvery;
      }
      RouteSource::Read read = source_.read(
          std::chrono::ceil<std::chrono::milliseconds>(std::min(deadline, next_alive) - now));
      // Events are stamped when their datagram was read: the kernel puts no time on route
      // messages, and reading is as close to the change as userspace gets.
      int64_t ts = realtime_();
      if (read.status == RouteSource::Status::kData) on_datagram(read.datagram, ts);
      if (read.status == RouteSource::Status::kOverflow) resync("overflow");
    }
  } catch (const std::exception& e) {
    // The timeline should say the watch ended, and why, even when main exits 3.
    events_.emit(realtime_(), "stop", {{"reason", "error"}, {"error", e.what()}});
    throw;
  }
  events_.emit(realtime_(), "stop", stop);
  logger()->info("stopped: {}", stop.dump());
}

void Agent::start_dump(DumpPurpose purpose) {
  purpose_ = purpose;
  dump_again_ = false;
  watcher_.begin_dump();
  source_.request_dump(++seq_);
}

void Agent::resync(const char* why) {
  logger()->log(std::string_view(why) == "overflow" ? spdlog::level::warn : spdlog::level::debug,
                "{}: dumping the routes again", why);
  if (watcher_.dumping()) {
    // The kernel refuses a second dump on a socket until the first ends, and the running
    // one may already be past a prefix that changed unannounced: repeat it after its end.
    dump_again_ = true;
    // Lost messages are the reason worth recording when both happened.
    if (purpose_ == DumpPurpose::kResync && std::string_view(resync_reason_) != "overflow") {
      resync_reason_ = why;
    }
    return;
  }
  resync_reason_ = why;
  start_dump(DumpPurpose::kResync);
}

void Agent::on_datagram(std::span<const uint8_t> datagram, int64_t ts) {
  NetlinkBatch batch = parse_netlink(datagram);
  for (const RouteMessage& message : batch.routes) {
    if (auto change = watcher_.apply(message)) report(*change, ts, false);
  }
  // The kernel never sends what parse_netlink cannot decode; if it did, the end of a dump
  // could be in the undecoded rest, and waiting for it would watch nothing, silently.
  if (!batch.malformed.empty()) {
    throw std::runtime_error("decode netlink route messages: " + batch.malformed);
  }
  if (batch.error != 0) {
    throw std::runtime_error(std::string("dump the IPv4 routes: the kernel answered: ") +
                             std::strerror(batch.error));
  }
  if (batch.interface_went_down) resync("link");
  if (!watcher_.dumping()) return;
  if (batch.dump_interrupted) dump_again_ = true;
  if (!batch.done) return;
  if (dump_again_) {
    start_dump(purpose_);
  } else {
    finish_dump(ts);
  }
}

void Agent::finish_dump(int64_t ts) {
  std::vector<RouteChange> changes = watcher_.finish_dump();
  std::vector<std::string> present = texts(watcher_.present());
  if (purpose_ == DumpPurpose::kInitial) {
    // Where each present prefix goes at the start, so later changes read as "from X to Y".
    nlohmann::ordered_json routes = nlohmann::ordered_json::array();
    for (const model::Ipv4Prefix& prefix : watcher_.present()) {
      auto route = watcher_.route(prefix);
      nlohmann::ordered_json r = {{"prefix", prefix.str()},
                                  {"protocol", protocol_name(route->protocol)}};
      if (!route->gateway.empty()) r["gateway"] = route->gateway;
      if (route->oif != 0) r["dev"] = interface_name(route->oif);
      routes.push_back(r);
    }
    events_.emit(ts, "dump", {{"present", present}, {"routes", routes}});
    logger()->info("{} of {} watched prefix(es) present at start", present.size(),
                   options_.prefixes.size());
    return;
  }
  // A link going down usually changes no watched route; only lost messages are worth an
  // event whatever the dump finds.
  if (changes.empty() && std::string_view(resync_reason_) != "overflow") return;
  // The differences are all that can be known, and only as of now: they are stamped with
  // the end of the new dump and marked `resync` so that the timeline does not read them as
  // measured to the message.
  events_.emit(ts, "resync", {{"reason", resync_reason_}, {"present", present}});
  logger()->info("resynchronised after {}: {} change(s)", resync_reason_, changes.size());
  for (const RouteChange& change : changes) report(change, ts, true);
}

void Agent::report(const RouteChange& change, int64_t ts, bool from_resync) {
  nlohmann::ordered_json fields = {{"prefix", change.prefix.str()},
                                   {"action", to_string(change.action)},
                                   {"protocol", protocol_name(change.protocol)}};
  if (!change.gateway.empty()) fields["gateway"] = change.gateway;
  if (change.oif != 0) fields["dev"] = interface_name(change.oif);
  if (from_resync) fields["resync"] = true;
  events_.emit(ts, "route", fields);
  logger()->debug("{} {} ({} via {})", to_string(change.action), change.prefix.str(),
                  protocol_name(change.protocol),
                  change.gateway.empty() ? "no gateway" : change.gateway);
}

}  // namespace blastlab::routewatch
