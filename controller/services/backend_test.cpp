#include "controller/services/backend.hpp"

#include <gtest/gtest.h>

#include "controller/services/test_support.hpp"

namespace blastlab::services {
namespace {

TEST(BackendTest, ListensOnTheLoopbackAtTheHealthCheckPort) {
  model::Topology topology = minimal_topology();
  const auto& dc = node(topology, "dc1");
  std::string loopback = dc.loopback->address.str();
  EXPECT_EQ(backendd_argv("/b/blastlab-backendd", topology, dc, "/lab/dc1"),
            (std::vector<std::string>{"/b/blastlab-backendd", "--listen", loopback + ":80"}));
  topology.services.dns->health.port = 8080;
  EXPECT_EQ(backendd_argv("b", topology, dc, "/lab/dc1").back(), loopback + ":8080");
  topology.services.dns.reset();
  EXPECT_EQ(backendd_argv("b", topology, dc, "/lab/dc1").back(), loopback + ":80");
}

}  // namespace
}  // namespace blastlab::services
