// Configuration-mode commands read as FRR reads them, for the few that change what routes
// can exist: an interface shut or brought back, OSPF taken off an interface or made passive,
// a BGP neighbor shut, removed or given another remote AS, a BGP network no longer
// originated, a whole routing daemon's instance removed. The audit reads a change with it
// (which interfaces it shuts) and the gate's prediction reads a candidate with it, so both
// understand `int eth1` / `shut` as FRR does, and neither has to guess at raw text.
//
// How FRR reads a line, and what of it is reproduced here:
// - any prefix of a keyword stands for it (`int`, `shut`, `nei`, `rem`); a line is matched
//   against whole command shapes, so `ro bgp 1` is `router bgp 1` (no other command has
//   that shape), and a line that fits two shapes equally well is ambiguous and refused;
//   an exact keyword beats a prefix (`router ospf` is not `router ospf6`). The shapes are
//   the modelled commands and their nearest neighbours in FRR's grammar, not the whole
//   grammar: a line FRR would call ambiguous against a command not listed here is read as
//   the modelled command it fits (a candidate goes through FRR's own dry run first);
// - `no` is taken as the whole word only;
// - a block (`interface X`, `router bgp N`, `address-family ipv4 unicast`, `router ospf`,
//   any other `router`/`route-map` block) holds the lines after it until `exit`, `end` or a
//   line that only fits at the top level (FRR's vtysh tries a command that does not fit the
//   current block in the enclosing one, and stays there); indentation means nothing;
// - a line this reader does not know stays where it is and is reported as other, with why.
#pragma once

#include <string>
#include <vector>

namespace blastlab::frr {

enum class CommandEffect {
  kContext,  // enters or leaves a block, or a comment: changes nothing by itself
  kInterfaceShutdown,
  kInterfaceNoShutdown,
  kOspfPassive,  // `ip ospf passive`, or `passive-interface X` under router ospf
  kOspfNoPassive,
  kOspfAreaRemoved,   // `no ip ospf area`: OSPF no longer runs on the interface
  kOspfRemoved,       // `no router ospf`
  kBgpRemoved,        // `no router bgp`
  kNeighborShutdown,  // `neighbor X shutdown`
  kNeighborNoShutdown,
  kNeighborRemoved,   // `no neighbor X`, `no neighbor X remote-as ...`
  kNeighborRemoteAs,  // `neighbor X remote-as N|internal|external`
  kNetworkAdded,      // `network P` under router bgp (any address family)
  kNetworkRemoved,    // `no network P`
  kOther,             // anything else: read, but not a command the model holds
};
std::string_view to_string(CommandEffect effect);  // "interface shutdown", ...

struct ConfigCommand {
  CommandEffect effect = CommandEffect::kOther;
  std::string text;       // the line without surrounding blanks
  std::string block;      // the block it applies in, in full words ("interface eth1",
                          // "router bgp 64500", "router bgp 64500 address-family ipv4
                          // unicast"); empty at the top level
  std::string interface;  // the interface an interface or OSPF-passive command applies to;
                          // "default" for `passive-interface default`
  std::string neighbor;   // kNeighbor*: the neighbor as written (address, peer group)
  std::string remote_as;  // kNeighborRemoteAs: a number, "internal" or "external"
  std::string prefix;     // kNetwork*: as written
  std::string note;       // kOther: why it is not modelled ("ambiguous: ...", "not modelled")
};

// One ConfigCommand per line, in order.
std::vector<ConfigCommand> read_config_commands(const std::vector<std::string>& lines);

}  // namespace blastlab::frr
