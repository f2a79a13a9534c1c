// Configuration for unbound, the recursive resolver every client node runs: what the
// client network's users ask, and so what the lab measures as "what users see". It
// resolves the lab zone through a stub zone pointing at the anycast name servers, and is
// tuned to forget failures quickly so an outage and a recovery both show within seconds.
// Rendering is pure: the lead writes the text to unbound_conf_path(dir) and starts
// `unbound_argv(dir)` inside the client's namespace.
#pragma once

#include <string>
#include <vector>

#include "controller/model/topology.hpp"

namespace blastlab::services {

// Renders unbound.conf for client. Unbound listens on 127.0.0.1 and on the client
// network's gateway address, sends its queries from that address, keeps every file it
// writes inside dir, and serves statistics on the node's own 127.0.0.1 (unbound-control's default
// port). Throws std::invalid_argument when the node has no network (only client nodes have one).
std::string render_unbound(const model::Topology& topology, const model::Node& client,
                           const std::string& dir);

std::string unbound_conf_path(const std::string& dir);  // DIR/unbound.conf

// `unbound -d -p -c DIR/unbound.conf`: in the foreground and without a pidfile, so the
// process the lead starts is the resolver itself and a stale pidfile never stops a restart.
std::vector<std::string> unbound_argv(const std::string& dir);

}  // namespace blastlab::services
