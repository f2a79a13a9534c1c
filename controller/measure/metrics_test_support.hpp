// Synthetic runs for the metrics tests: a small builder that writes the events each agent
// would (docs/events.md), at times given in seconds (or integer milliseconds for the
// probes' regular queries) from a fixed run start, the lab context they belong to, the
// reference backbone-cut run, and lookups and checks that say what is missing.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "controller/measure/events.hpp"
#include "controller/measure/metrics.hpp"

namespace blastlab::measure::testing {

inline constexpr int64_t kRunStartUs = 1'700'000'000'000'000;
inline constexpr const char* kAnycast = "198.51.100.0/26";
inline constexpr const char* kCovering = "198.51.100.0/24";
inline constexpr const char* kOperator = "203.0.113.0/24";
inline constexpr const char* kNameServer = "198.51.100.53";  // in kAnycast

inline int64_t at(double s) {
  return kRunStartUs + std::llround(s * 1e6);
}

// Two DNS sites, two vantage points watching three prefixes, two clients.
inline RunContext two_site_context() {
  return RunContext{
      .lab = "lab1",
      .topology = "minimal.yaml",
      .script = "cut.yaml",
      .sites = {{"dns1", "pop1"}, {"dns2", "pop2"}},
      .vantages = {"peer1", "peer2"},
      .prefixes = {{kAnycast, "anycast"}, {kCovering, "covering"}, {kOperator, "operator"}},
      .clients = {"client1", "client2"}};
}

class Timeline {
 public:
  Timeline& add(int64_t ts, const std::string& agent, const std::string& node,
                const std::string& kind, nlohmann::json fields = nlohmann::json::object()) {
    fields["ts"] = ts;
    fields["agent"] = agent;
    fields["node"] = node;
    fields["event"] = kind;
    events.push_back(
        Event{.ts = ts, .agent = agent, .node = node, .event = kind, .data = std::move(fields)});
    return *this;
  }
  Timeline& run(double s, const std::string& phase, nlohmann::json fields = {}) {
    if (fields.is_null()) fields = nlohmann::json::object();
    fields["phase"] = phase;
    return add(at(s), "controller", "lab1", "run", fields);
  }
  Timeline& step(double s, int index, const std::string& kind, const std::string& state,
                 const std::string& name = "", const std::string& error = "") {
    nlohmann::json fields = {{"index", index},
                             {"kind", kind},
                             {"state", state},
                             {"name", name.empty() ? "step-" + std::to_string(index) : name},
                             {"detail", kind + " things"}};
    if (!error.empty()) fields["error"] = error;
    return add(at(s), "controller", "lab1", "step", fields);
  }
  // announce / withdraw / degrade, as healthd writes them once bgpd has the change.
  Timeline& announcement(double s, const std::string& node, const std::string& kind,
                         bool ok = true) {
    return add(at(s), "healthd", node, kind,
               {{"prefixes", {kAnycast}}, {"ok", ok}, {"duration_us", 20000}});
  }
  Timeline& target(double s, const std::string& node, const std::string& state,
                   const std::string& name = "dc1") {
    return add(at(s), "healthd", node, "target", {{"target", name}, {"state", state}});
  }
  Timeline& site(double s, const std::string& node, const std::string& state) {
    return add(at(s), "healthd", node, "site", {{"state", state}, {"reason", "test"}});
  }
  Timeline& dump(double s, const std::string& vantage, std::vector<std::string> present) {
    return add(at(s), "routewatch", vantage, "dump", {{"present", present}});
  }
  Timeline& route(double s, const std::string& vantage, const std::string& prefix,
                  const std::string& action) {
    return add(at(s), "routewatch", vantage, "route",
               {{"prefix", prefix}, {"action", action}, {"protocol", "bgp"}});
  }
  Timeline& session(double s, const std::string& node, const std::string& peer,
                    const std::string& state) {
    return add(at(s), "bgpd", node, "session",
               {{"peer", peer}, {"peer_node", "bb1"}, {"state", state}, {"reason", "test"}});
  }
  // One query sent every `every_ms` in [from_ms, to_ms); `result` says how each one fared.
  Timeline& queries(const std::string& client, const std::string& target, int64_t from_ms,
                    int64_t to_ms, int64_t every_ms,
                    const std::function<std::string(int64_t)>& result,
                    const std::function<int64_t(int64_t)>& latency_us = {}) {
    for (int64_t ms = from_ms; ms < to_ms; ms += every_ms)
      query(client, target, ms, result(ms), latency_us ? latency_us(ms) : 2000);
    return *this;
  }
  Timeline& query(const std::string& client, const std::string& target, int64_t sent_ms,
                  const std::string& result, int64_t latency_us = 2000) {
    // As the run starts dnsprobe: the resolver on loopback, the anycast address directly.
    nlohmann::json fields = {{"target", target},
                             {"server", target == "resolver" ? "127.0.0.1" : kNameServer},
                             {"qname", "www.example.test."},
                             {"result", result}};
    if (result == "ok" || result == "servfail") {
      fields["rcode"] = result == "ok" ? "NOERROR" : "SERVFAIL";
      fields["latency_us"] = latency_us;
    }
    return add(kRunStartUs + sent_ms * 1000, "dnsprobe", client, "query", fields);
  }
  // One reachprobe probe from `from` to `target`, sent `sent_ms` after the run's start.
  Timeline& probe(const std::string& from, const std::string& target, int64_t sent_ms,
                  const std::string& result, const std::string& proto = "icmp", int port = 0) {
    nlohmann::json fields = {
        {"target", target}, {"address", "198.18.0.9"}, {"proto", proto}, {"result", result}};
    if (proto == "tcp") fields["port"] = port;
    if (result == "ok") fields["rtt_us"] = 1500;
    return add(kRunStartUs + sent_ms * 1000, "reachprobe", from, "probe", fields);
  }
  // One probe every `every_ms` in [from_ms, to_ms); `result` says how each one fared.
  Timeline& probes(const std::string& from, const std::string& target, int64_t from_ms,
                   int64_t to_ms, int64_t every_ms,
                   const std::function<std::string(int64_t)>& result) {
    for (int64_t ms = from_ms; ms < to_ms; ms += every_ms) probe(from, target, ms, result(ms));
    return *this;
  }
  // querywatch's `start`, counting queries to kNameServer every second.
  Timeline& querywatch_start(double s, const std::string& client) {
    return add(at(s), "querywatch", client, "start",
               {{"targets", {kNameServer}}, {"interval_ms", 1000}});
  }
  // One querywatch interval ending `end_ms` after the run's start.
  Timeline& interval(const std::string& client, int64_t end_ms, int64_t interval_ms, int64_t udp,
                     int64_t tcp = 0, int64_t drops = 0) {
    nlohmann::json fields = {{"interval_ms", interval_ms},
                             {"udp", udp},
                             {"tcp", tcp},
                             {"by_target", {{kNameServer, udp + tcp}}}};
    if (drops > 0) fields["drops"] = drops;
    return add(kRunStartUs + end_ms * 1000, "querywatch", client, "queries", fields);
  }
  // Intervals of `every_ms` ending in (from_ms, to_ms], each with `udp(end_ms)` queries.
  Timeline& intervals(const std::string& client, int64_t from_ms, int64_t to_ms, int64_t every_ms,
                      const std::function<int64_t(int64_t)>& udp) {
    for (int64_t end = from_ms + every_ms; end <= to_ms; end += every_ms)
      interval(client, end, every_ms, udp(end));
    return *this;
  }

  std::vector<Event> events;
};

// A query result that fails (with `failure`) when sent in [from_ms, to_ms).
inline std::function<std::string(int64_t)> failing_between(int64_t from_ms, int64_t to_ms,
                                                           const std::string& failure) {
  return [=](int64_t ms) { return ms >= from_ms && ms < to_ms ? failure : std::string("ok"); };
}
inline std::string always_ok(int64_t) {
  return "ok";
}

inline constexpr double kEps = 1e-9;

// A measured optional, with the message gtest would not give for an empty one.
inline void expect_seconds(const std::optional<double>& value, double expected, const char* what) {
  ASSERT_TRUE(value.has_value()) << what << " was not measured; expected " << expected;
  EXPECT_NEAR(*value, expected, kEps) << what;
}

inline void expect_window(const Window& w, double start_s, std::optional<double> end_s,
                          double duration_s) {
  EXPECT_NEAR(w.start_s, start_s, kEps);
  ASSERT_EQ(w.end_s.has_value(), end_s.has_value()) << "window from " << w.start_s;
  if (end_s) {
    EXPECT_NEAR(*w.end_s, *end_s, kEps);
  }
  EXPECT_NEAR(w.duration_s, duration_s, kEps);
}

inline bool has_warning(const Metrics& m, const std::string& text) {
  return std::any_of(m.warnings.begin(), m.warnings.end(),
                     [&](const std::string& w) { return w.find(text) != std::string::npos; });
}

inline std::string warnings_of(const Metrics& m) {
  std::string all;
  for (const std::string& w : m.warnings) all += "\n  " + w;
  return all.empty() ? " (none)" : all;
}

inline const SiteMetrics& site(const Metrics& m, const std::string& node) {
  for (const SiteMetrics& s : m.sites) {
    if (s.node == node) return s;
  }
  throw std::runtime_error("no site " + node);
}

inline const PrefixAtVantage& route(const Metrics& m, const std::string& vantage,
                                    const std::string& prefix) {
  for (const PrefixAtVantage& r : m.routes) {
    if (r.vantage == vantage && r.prefix == prefix) return r;
  }
  throw std::runtime_error("no route " + prefix + " at " + vantage);
}

inline const ClientTargetMetrics& client(const Metrics& m, const std::string& name,
                                         const std::string& target) {
  for (const ClientTargetMetrics& c : m.clients) {
    if (c.client == name && c.target == target) return c;
  }
  throw std::runtime_error("no client " + name + " " + target);
}

// The reference case, times in seconds from the run's start: the audit change at 10, both
// sites lose their backends and withdraw about 3 s later, the vantage points lose the
// anycast prefix 50-80 ms after that, client1's resolver fails from 13.1 until 25.0 (5 s
// after the rollback at 20), the sites announce again at 24.5 and 24.6 and the prefix is
// back at 24.55 and 24.6. client2's resolver keeps answering (its cache holds). client1's
// resolver sends 4 times its baseline load upstream during its outage; client2's keeps its
// baseline load.
inline Timeline backbone_cut() {
  Timeline t;
  t.announcement(-100, "dns1", "announce").announcement(-100, "dns2", "announce");  // lab up
  t.dump(-0.2, "peer1", {kAnycast, kCovering, kOperator})
      .dump(-0.2, "peer2", {kAnycast, kCovering, kOperator});
  t.run(0, "start").run(0.5, "baseline");
  t.step(1, 0, "wait", "start", "baseline").step(9, 0, "wait", "done", "baseline");
  t.run(10, "steps");
  t.step(10, 1, "vtysh", "start", "audit").step(10.2, 1, "vtysh", "done", "audit");
  t.step(10.2, 2, "wait", "start", "observe").step(20, 2, "wait", "done", "observe");
  t.step(20, 3, "rollback", "start", "undo-audit").step(20.3, 3, "rollback", "done", "undo-audit");
  t.target(12.9, "dns1", "down")
      .site(13.0, "dns1", "unhealthy")
      .announcement(13.0, "dns1", "withdraw");
  t.target(12.92, "dns2", "down").announcement(13.02, "dns2", "withdraw");
  t.route(13.05, "peer1", kAnycast, "remove").route(13.08, "peer2", kAnycast, "remove");
  t.session(13.5, "pop1", "198.18.0.1", "down").session(23.0, "pop1", "198.18.0.1", "up");
  t.target(24.0, "dns1", "up").site(24.5, "dns1", "healthy").announcement(24.5, "dns1", "announce");
  t.target(24.1, "dns2", "up").announcement(24.6, "dns2", "announce");
  t.route(24.55, "peer1", kAnycast, "add").route(24.6, "peer2", kAnycast, "add");
  t.queries("client1", "resolver", 0, 40000, 100, failing_between(13100, 25000, "servfail"));
  t.queries("client1", "anycast", 0, 40000, 100, failing_between(13100, 24600, "timeout"));
  t.queries("client2", "resolver", 0, 40000, 100, always_ok);
  t.queries("client2", "anycast", 0, 40000, 100, failing_between(13200, 24700, "unreachable"));
  // What left each client for the name server, counted by querywatch: dnsprobe's own 10
  // direct anycast queries a second (timeouts and ICMP errors too: they left), plus the
  // resolver's upstream queries, 10 a second while it answers and 40 while client1's fails
  // (the intervals ending 14 to 25 s, whose midpoints lie in its 13.1-25.0 s outage).
  t.querywatch_start(0, "client1").querywatch_start(0, "client2");
  t.intervals("client1", 0, 40000, 1000,
              [](int64_t end) { return 10 + (end > 13000 && end <= 25000 ? 40 : 10); });
  t.intervals("client2", 0, 40000, 1000, [](int64_t) { return 20; });
  t.run(40, "end", {{"cut_short", false}});
  return t;
}

}  // namespace blastlab::measure::testing
