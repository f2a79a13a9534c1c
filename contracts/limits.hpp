// What the lab's agents accept, in one place for both sides of their command lines and
// config files. The agents check every value they are given against these limits when they
// start and refuse the rest; the controller checks the topology and the change script
// against the same limits when it validates them, so that a value an agent would refuse is
// reported at its file:line:col before anything is built, never as an agent that exits 2 in
// the middle of a run. The texts that say what is allowed are made from the constants, so
// both sides' messages name the same numbers.
//
// Only what the controller passes lives here. A flag it never sets (dnsprobe's --count,
// querywatch's --interval, routewatch's --receive-buffer) keeps its limit in its agent.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace blastlab::contracts {

// The values from min to max, both allowed.
template <typename T>
struct Range {
  T min;
  T max;
  constexpr bool contains(T value) const { return min <= value && value <= max; }
};

// ---- dnsprobe: --rate, --timeout, --zone, --qname -----------------------------------------

// Queries per second to each target.
inline constexpr Range<double> kProbeRate{0.01, 1000};
// How long a query waits for its answer.
inline constexpr Range<std::chrono::microseconds> kProbeTimeout{std::chrono::milliseconds(1),
                                                                std::chrono::seconds(60)};
// dnsprobe's unique names are "<20 digits>-<8 hex>.probe.ZONE" and must fit a DNS name:
// a zone of at most 200 characters leaves them room.
inline constexpr size_t kMaxProbeZoneLength = 200;

// ---- reachprobe: --rate, --timeout, --target ---------------------------------------------

// Probes per second to each target.
inline constexpr Range<double> kReachRate{0.01, 100};
// How long a probe waits for its echo reply or its connection.
inline constexpr Range<std::chrono::microseconds> kReachTimeout{std::chrono::milliseconds(1),
                                                                std::chrono::seconds(10)};
// Targets of one source node. An echo request is told apart from the others in flight by its
// 16-bit sequence number: rate x targets x timeout (100 x 64 x 10 s = 64000) stays below
// 65536, so no two probes in flight ever share one.
inline constexpr size_t kMaxReachTargets = 64;

// ---- every agent a run starts (dnsprobe, routewatch, querywatch, reachprobe): --duration --

// How long an agent runs on its own before it stops, so that an agent whose controller was
// killed still ends.
inline constexpr Range<std::chrono::microseconds> kAgentDuration{std::chrono::milliseconds(1),
                                                                 std::chrono::hours(24)};

// ---- healthd: its JSON config --------------------------------------------------------------

// interval_ms and timeout_ms; the timeout must also be shorter than the interval
// (health_timeout_fits), or rounds would overlap.
inline constexpr Range<std::chrono::milliseconds> kHealthPeriod{std::chrono::milliseconds(1),
                                                                std::chrono::hours(1)};
// rise and fall, in rounds.
inline constexpr Range<int> kHealthRounds{1, 1000};
// The guard's min_sites when it is on (the topology's 0 turns it off).
inline constexpr Range<int> kGuardMinSites{1, 1000};
// The target name healthd keeps for its own dns check: no datacenter target may take it.
inline constexpr std::string_view kReservedTargetName = "local";

constexpr bool health_timeout_fits(std::chrono::milliseconds timeout,
                                   std::chrono::milliseconds interval) {
  return timeout < interval;
}

// ---- DNS names (RFC 1035), as every agent that builds one checks it -----------------------

// Characters of a name without its trailing dot (255 bytes on the wire).
inline constexpr size_t kMaxDnsNameLength = 253;
inline constexpr size_t kMaxDnsLabelLength = 63;

// The name dnsprobe asks when its --qname is not "unique": QNAME under ZONE ("www" and
// "example.net" make "www.example.net"), or QNAME alone when it ends with a dot; without
// the trailing dot.
std::string probe_query_name(std::string_view qname, std::string_view zone);

// ---- the texts both sides' messages end with ----------------------------------------------

// A duration in the largest of s, ms, us that keeps it whole: "1ms", "60s", "86400s". Every
// file and flag that takes a duration reads these units.
std::string duration_text(std::chrono::microseconds duration);
// "1ms to 60s"
std::string range_text(Range<std::chrono::microseconds> range);
std::string range_text(Range<std::chrono::milliseconds> range);
// "from 1 to 1000"
std::string range_text(Range<int> range);
// "queries per second per target, from 0.01 to 1000"
std::string probe_rate_text();
// "probes per second per target, from 0.01 to 100"
std::string reach_rate_text();

}  // namespace blastlab::contracts
