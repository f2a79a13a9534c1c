#include "agents/healthd/checker.hpp"

#include <future>
#include <system_error>

#include "agents/healthd/probes.hpp"
#include "contracts/limits.hpp"

namespace blastlab::healthd {
namespace {

ProbeResult probe(const CheckSpec& spec, std::chrono::milliseconds timeout) {
  switch (spec.kind) {
    case CheckKind::kTcp:
      return probe_tcp(spec.address, spec.port, timeout);
    case CheckKind::kIcmp:
      return probe_icmp(spec.address, timeout);
    case CheckKind::kHttp:
      return probe_http(spec.address, spec.port, timeout);
    case CheckKind::kDns:
      return probe_dns(spec.address, spec.port, spec.zone, timeout);
  }
  return {false, {}, "unknown check"};
}

class SocketChecker final : public Checker {
 public:
  std::vector<CheckResult> run(const std::vector<CheckSpec>& checks,
                               std::chrono::milliseconds timeout) override {
    std::vector<std::future<ProbeResult>> running;
    running.reserve(checks.size());
    for (const CheckSpec& spec : checks) {
      try {
        running.push_back(std::async(std::launch::async, probe, spec, timeout));
      } catch (const std::system_error& e) {
        // Out of threads: this check fails, the others still run.
        std::promise<ProbeResult> failed;
        failed.set_value({false, {}, std::string("start check thread: ") + e.what()});
        running.push_back(failed.get_future());
      }
    }
    std::vector<CheckResult> results;
    results.reserve(checks.size());
    for (size_t i = 0; i < checks.size(); ++i) {
      ProbeResult r = running[i].get();
      results.push_back({checks[i], r.ok, r.latency, r.error});
    }
    return results;
  }
};

}  // namespace

std::unique_ptr<Checker> make_socket_checker() {
  return std::make_unique<SocketChecker>();
}

std::vector<CheckSpec> round_checks(const Config& config) {
  std::vector<CheckSpec> checks;
  for (const Target& target : config.targets) {
    for (CheckKind kind : config.remote_checks()) {
      uint16_t port = kind == CheckKind::kIcmp ? 0 : config.port;
      checks.push_back({target.name, kind, target.address, port, {}});
    }
  }
  if (config.has_check(CheckKind::kDns) && config.dns)
    checks.push_back({std::string(contracts::kReservedTargetName), CheckKind::kDns,
                      config.dns->server, 53, config.dns->zone});
  return checks;
}

}  // namespace blastlab::healthd
