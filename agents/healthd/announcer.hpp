// How healthd changes what bgpd originates. The real one edits bgpd's running configuration
// through vtysh, one run per transition covering every prefix, rather than through a route
// injection API: FRR's `show running-config` then shows exactly what healthd decided (the
// audit trail), degrade is only a route-map switch on the same `network` statement, and with
// `no bgp network import-check` there is no dependency on the RIB. One run costs about 30 ms.
// Tests replace it with a fake.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "agents/healthd/config.hpp"
#include "agents/healthd/state.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::healthd {

struct AnnounceResult {
  bool ok = false;
  std::string error;  // when not ok: what vtysh said, or why it did not run
};

class Announcer {
 public:
  virtual ~Announcer() = default;
  // Makes bgpd originate every anycast prefix as `wanted` says.
  virtual AnnounceResult apply(Announcement wanted) = 0;
};

// vtysh [--config_dir DIR] -N PATHSPACE -c "configure terminal" -c "router bgp ASN"
//   -c "address-family ipv4 unicast" then per prefix one of
//   -c "network P" | -c "network P route-map MAP" | -c "no network P"
std::vector<std::string> vtysh_argv(const Config& config, Announcement wanted);

class VtyshAnnouncer final : public Announcer {
 public:
  // vtysh gets this long before it is killed and the change counts as failed.
  static constexpr std::chrono::milliseconds kTimeout{5000};

  VtyshAnnouncer(const Config& config, proc::ProcessRunner& runner)
      : config_(config), runner_(runner) {}
  AnnounceResult apply(Announcement wanted) override;

 private:
  const Config& config_;
  proc::ProcessRunner& runner_;
};

}  // namespace blastlab::healthd
