// Where a reachability probe goes and what must listen there, from the topology alone: the
// address the lab routes to a node, the nodes that hold an address, and the TCP listeners a
// run starts for its probes (on each target address and port that nothing of the lab serves
// already). Shared by the script's validation and the agents' command lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controller/model/topology.hpp"
#include "controller/scenario/script.hpp"

namespace blastlab::scenario {

// The address probes to a node go to: a client's network address (its loopback is not
// routed beyond it: its traffic comes from its network), any other node's loopback; nullopt
// for a node without one in the model (a node configured by the user's own files).
std::optional<model::Ipv4Address> model_probe_address(const model::Node& node);

// The nodes that hold `address` in the model: as a loopback, a client network address, a
// link end, or an anycast name-server address (every DNS host), in topology order.
std::vector<std::string> holders_of(const model::Topology& topology, model::Ipv4Address address);

// Whether the lab already serves TCP `port` on `address` at `node`: a datacenter's backend
// on its loopback, a DNS host's NSD on the name-server addresses (53).
bool served_already(const model::Topology& topology, const model::Node& node,
                    const std::string& address, uint16_t port);

// The listeners a run starts for the script's TCP probes, one per node, in topology order.
// A target node whose address is read from its namespace at run start is listened for on
// every address (0.0.0.0).
std::vector<ReachListener> reach_listeners(const model::Topology& topology, const Script& script);

// The first address a probe should go to among a namespace's interfaces (each "a.b.c.d/len"):
// the first global one on lo (not 127/8), else on the other interfaces in name order;
// nullopt when there is none. For nodes whose addresses only their own configuration knows.
struct InterfaceAddresses {
  std::string ifname;
  std::vector<std::string> addresses;
};
std::optional<std::string> first_probe_address(std::vector<InterfaceAddresses> interfaces);

}  // namespace blastlab::scenario
