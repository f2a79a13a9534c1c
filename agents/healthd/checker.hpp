// The checks of one round, run against real sockets or, in tests, a fake. Every check of a
// round runs at the same time, so a round lasts about one timeout however many targets and
// kinds there are, and a dead target cannot delay the verdict on a live one.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "agents/healthd/config.hpp"

namespace blastlab::healthd {

struct CheckSpec {
  std::string target;  // the target's name, or "local" for the dns check
  CheckKind kind = CheckKind::kTcp;
  std::string address;  // dotted IPv4: the target, or the dns server
  uint16_t port = 0;    // tcp and http: the backend's port; dns: 53; icmp: unused
  std::string zone;     // dns: the zone whose SOA is asked for
};

struct CheckResult {
  CheckSpec spec;
  bool ok = false;
  std::chrono::microseconds latency{0};
  std::string error;  // when not ok: "timeout", "connection refused", ...
};

class Checker {
 public:
  virtual ~Checker() = default;
  // Runs every check at once, each bounded by `timeout`; results in the order of `checks`.
  virtual std::vector<CheckResult> run(const std::vector<CheckSpec>& checks,
                                       std::chrono::milliseconds timeout) = 0;
};

// One thread per check, each a blocking probe with its own deadline (see probes.hpp).
std::unique_ptr<Checker> make_socket_checker();

// The checks one round runs for `config`: each remote kind toward each target, then the
// local dns check when configured.
std::vector<CheckSpec> round_checks(const Config& config);

}  // namespace blastlab::healthd
