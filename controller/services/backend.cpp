#include "controller/services/backend.hpp"

#include <fmt/format.h>

namespace blastlab::services {

std::vector<std::string> backendd_argv(const std::string& binary, const model::Topology& topology,
                                       const model::Node& dc, const std::string& /*dir*/) {
  // Without a DNS service there are no health checks; 80 matches HealthCheck's default so
  // a checker configured later still finds the backend.
  uint16_t port = topology.services.dns ? topology.services.dns->health.port : 80;
  return {binary, "--listen", fmt::format("{}:{}", dc.loopback->address.str(), port)};
}

}  // namespace blastlab::services
