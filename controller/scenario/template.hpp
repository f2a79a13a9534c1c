// Expanding a vtysh step's configuration template for one router: the router's own facts
// ({{node}}, {{asn}}, {{router_id}}, {{region}}) and, with `each-link`, the block repeated
// once per link whose other end is selected ({{interface}}, {{address}}, {{peer}},
// {{peer_interface}}, {{peer_address}}). Names were checked when the script was loaded.
#pragma once

#include <string>
#include <vector>

#include "controller/model/topology.hpp"
#include "controller/scenario/script.hpp"

namespace blastlab::scenario {

std::vector<std::string> expand_config(const VtyshStep& step, const model::Topology& topology,
                                       const std::string& node);

}  // namespace blastlab::scenario
