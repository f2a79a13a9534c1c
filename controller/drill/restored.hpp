// `drill check`: the drill's `restored` conditions judged on the live lab, each saying what
// a user would still see when it does not hold ("198.51.100.0/26 missing at ix1, ix2"),
// never the fault behind it. The lab is looked at through RestoredLook, so the judging is
// tested without a lab; the live look is in drill_live.cpp.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controller/drill/drill.hpp"

namespace blastlab::drill {

class RestoredLook {
 public:
  virtual ~RestoredLook() = default;
  // Whether routing has converged as `up` waits for it; *seen says what is missing.
  virtual bool converged(std::string* seen) = 0;
  // The prefixes of the node's kernel routing table.
  virtual std::vector<std::string> routes(const std::string& node) = 0;
  // The interfaces of the node's FIB route to exactly `prefix` (FRR's selected route);
  // empty when it has none.
  virtual std::vector<std::string> route_interfaces(const std::string& node,
                                                    const std::string& prefix) = 0;
  // The node's interfaces on its links to `neighbor`.
  virtual std::vector<std::string> interfaces_toward(const std::string& node,
                                                     const std::string& neighbor) = 0;
  // The client's last n resolver answers: true all ok, false all failed, nullopt mixed or
  // fewer than n.
  virtual std::optional<bool> dns_streak(const std::string& client, int n) = 0;
  // One probe from `from` to each of the probe's targets: by target name, the result
  // ("ok", "timeout", "refused", "unreachable", ...).
  virtual std::map<std::string, std::string> reach(const std::string& from,
                                                   const scenario::ReachProbe& probe) = 0;
};

struct ConditionResult {
  std::string condition;  // Condition::text()
  bool holds = false;
  std::string seen;  // what still shows, when it does not hold; what was seen, when it does
};

struct CheckResult {
  std::vector<ConditionResult> conditions;  // in the drill's order
  bool restored() const;
  // "2 of 3 conditions hold; not yet: prefix-back 198.51.100.0/26 at role:peer"
  std::string summary() const;
};

CheckResult check_restored(const Drill& drill, RestoredLook& look);

}  // namespace blastlab::drill
