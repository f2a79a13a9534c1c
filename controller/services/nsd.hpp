// Configuration for NSD, the authoritative server every DNS host runs on the anycast
// addresses. Rendering is pure: the lead writes the texts into the node's directory and
// starts `nsd_argv(dir)` inside the node's namespace. Every DNS host gets the same zone,
// byte for byte, because anycast only works when every site gives the same answers; only
// the identity (the node name, returned for `dig +nsid` and `CH TXT id.server`) differs,
// which is how a probe tells which site answered.
#pragma once

#include <string>
#include <vector>

#include "controller/model/topology.hpp"

namespace blastlab::services {

struct NsdFiles {
  std::string conf;       // the text of nsd_conf_path(dir)
  std::string zone_file;  // the text of nsd_zone_path(dir, zone), which conf names
  std::string zone;       // the zone's name, without a trailing dot: "example.net"
};

// Renders nsd.conf and the zone file for dns_node. NSD listens on every name server
// address of every anycast prefix (port 53, UDP and TCP), stays root and in the
// foreground, and keeps every file it writes inside dir. Throws std::invalid_argument when
// the topology has no services.dns: a DNS host without a zone is a caller's mistake.
NsdFiles render_nsd(const model::Topology& topology, const model::Node& dns_node,
                    const std::string& dir);

std::string nsd_conf_path(const std::string& dir);                           // DIR/nsd.conf
std::string nsd_zone_path(const std::string& dir, const std::string& zone);  // DIR/ZONE.zone

// `nsd -d -c DIR/nsd.conf`: in the foreground, so the process the lead starts is the
// server itself and stopping it needs no pidfile.
std::vector<std::string> nsd_argv(const std::string& dir);

}  // namespace blastlab::services
