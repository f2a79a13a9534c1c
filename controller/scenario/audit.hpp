// The audit tool of the 2021 outage, as a pre-check a script runs before a change: it reads
// the change the way a change-review tool reads a diff (which interfaces each router is told
// to shut), sets that against the backbone's links and says whether the change may run. The
// verdict is computed from the topology and the expanded configuration alone, before
// anything is applied, so it is a pure function tested without a lab.
#pragma once

#include <string>
#include <vector>

#include "controller/model/topology.hpp"
#include "controller/scenario/script.hpp"

namespace blastlab::scenario {

struct AuditVerdict {
  bool pass = false;
  int backbone_links = 0;  // links whose ends are both the operator's and one is a backbone router
  int links_cut = 0;       // of those, links with an end the change shuts
  double cut_share = 0;    // links_cut / backbone_links
  std::string largest_router;  // the router whose part of the change cuts the most
  double largest_router_share = 0;
  double judged_share = 0;  // what the verdict was made on: cut_share, or with the bug the
                            // largest router's share
  std::string detail;       // one line, for the timeline and the report
};

AuditVerdict audit_change(const AuditStep& audit, const Step& change,
                          const model::Topology& topology);

// The interfaces a router's configuration lines leave shut: `shutdown` inside `interface X`,
// abbreviations read as FRR reads them (frr/config_commands.hpp); a later `no shutdown` wins.
std::vector<std::string> interfaces_shut(const std::vector<std::string>& lines);

}  // namespace blastlab::scenario
