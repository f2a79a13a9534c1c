// The real fabric: Netlink over libnl. It keeps one handle (namespace fd + netlink socket
// inside the namespace) per namespace it has touched, so each request is one or two netlink
// round trips with no setns() and no subprocess. Requests to different namespaces run in
// parallel; requests to one namespace are serialised by its handle's mutex.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "controller/netns/namespace_handle.hpp"
#include "controller/netns/netlink.hpp"

namespace blastlab::netns {

class LibnlNetlink final : public Netlink {
 public:
  LibnlNetlink() = default;
  LibnlNetlink(const LibnlNetlink&) = delete;
  LibnlNetlink& operator=(const LibnlNetlink&) = delete;

  Status create_namespace(const std::string& ns) override;
  Status create_namespaces(const std::vector<std::string>& names) override;
  Status delete_namespace(const std::string& ns) override;
  bool namespace_exists(const std::string& ns) override;

  Status create_veth(const VethSpec& spec) override;
  Status delete_link(const std::string& ns, const std::string& ifname) override;
  Status add_address(const std::string& ns, const std::string& ifname,
                     const std::string& cidr) override;
  Status set_link_up(const std::string& ns, const std::string& ifname, bool up) override;
  Status set_link_mtu(const std::string& ns, const std::string& ifname, int mtu) override;
  Status set_sysctl(const std::string& ns, const std::string& key,
                    const std::string& value) override;
  Status set_netem(const std::string& ns, const std::string& ifname,
                   const NetemSpec& spec) override;

  Status add_route(const std::string& ns, const RouteSpec& spec) override;
  std::vector<RouteInfo> list_routes(const std::string& ns, Status& status) override;

  std::optional<LinkInfo> link_info(const std::string& ns, const std::string& ifname) override;
  std::vector<LinkInfo> list_links(const std::string& ns) override;
  void forget(const std::string& ns) override;

 private:
  // The cached handle of ns, opened on first use. On failure returns null and sets status.
  std::shared_ptr<NamespaceHandle> handle(const std::string& ns, Status& status);
  void remember(std::unique_ptr<NamespaceHandle> handle);

  std::mutex mutex_;  // guards handles_
  std::unordered_map<std::string, std::shared_ptr<NamespaceHandle>> handles_;
};

}  // namespace blastlab::netns
