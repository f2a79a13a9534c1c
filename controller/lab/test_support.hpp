// Shared by the lab's unit tests: a fabric with no kernel behind it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "controller/netns/netlink.hpp"

namespace blastlab::lab {

// Only what convergence and `down` ask of the fabric is real: the routes each namespace
// holds are given, and the namespaces deleted are recorded; every other change fails.
class FakeNetlink final : public netns::Netlink {
 public:
  std::map<std::string, std::vector<std::string>> routes;  // ns -> prefixes
  std::vector<std::string> deleted;                        // namespaces, in order
  std::vector<netns::RouteInfo> list_routes(const std::string& ns, netns::Status& status) override {
    status = netns::Status::ok();
    std::vector<netns::RouteInfo> out;
    for (const auto& p : routes[ns]) out.push_back({.prefix = p});
    return out;
  }
  netns::Status create_namespace(const std::string&) override { return unused(); }
  netns::Status delete_namespace(const std::string& ns) override {
    deleted.push_back(ns);
    return netns::Status::ok();
  }
  bool namespace_exists(const std::string&) override { return true; }
  netns::Status create_veth(const netns::VethSpec&) override { return unused(); }
  netns::Status delete_link(const std::string&, const std::string&) override { return unused(); }
  netns::Status add_address(const std::string&, const std::string&, const std::string&) override {
    return unused();
  }
  netns::Status set_link_up(const std::string&, const std::string&, bool) override {
    return unused();
  }
  netns::Status set_link_mtu(const std::string&, const std::string&, int) override {
    return unused();
  }
  netns::Status set_sysctl(const std::string&, const std::string&, const std::string&) override {
    return unused();
  }
  netns::Status set_netem(const std::string&, const std::string&,
                          const netns::NetemSpec&) override {
    return unused();
  }
  netns::Status add_route(const std::string&, const netns::RouteSpec&) override { return unused(); }
  std::optional<netns::LinkInfo> link_info(const std::string&, const std::string&) override {
    return std::nullopt;
  }
  std::vector<netns::LinkInfo> list_links(const std::string&) override { return {}; }
  void forget(const std::string&) override {}

 private:
  static netns::Status unused() { return netns::Status::error("not used by these tests"); }
};

}  // namespace blastlab::lab
