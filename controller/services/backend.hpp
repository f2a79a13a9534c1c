// The command line of blastlab-backendd, the tiny HTTP server each datacenter node runs so
// that healthd's checks probe a real listening service: stopping it, or cutting the path
// to it, is what makes a health check fail.
#pragma once

#include <string>
#include <vector>

#include "controller/model/topology.hpp"

namespace blastlab::services {

// `BINARY --listen LOOPBACK:PORT` for the datacenter node dc: its loopback address, and
// the port the health checks probe (services.dns.health.port, 80 without a DNS service).
// dir, the node's directory, is taken like every other service's but unused: the backend
// writes no files.
std::vector<std::string> backendd_argv(const std::string& binary, const model::Topology& topology,
                                       const model::Node& dc, const std::string& dir);

}  // namespace blastlab::services
