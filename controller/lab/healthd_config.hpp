// healthd's configuration for one DNS host, as the launcher writes it to the host's
// healthd.json: the topology's health section with the host's own `health` over it, the
// host's anycast prefixes and BGP identity, its targets' addresses and, with min-sites, the
// guard's gossip peers. A pure function of the topology, so that the contract test feeds
// what every shipped topology makes to healthd's own parser.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "controller/model/topology.hpp"

namespace blastlab::lab {

// `node` is a dns node of `topology`, which has services.dns. Throws LabError(3) when a DNS
// host has no link to its site (validation requires one).
nlohmann::json healthd_config(const model::Topology& topology, const model::Node& node,
                              const std::string& lab_name, const std::string& lab_dir);

}  // namespace blastlab::lab
