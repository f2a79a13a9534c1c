// Link-level requests inside one namespace, through its handle: look a link up by name, set
// it up or down, delete it, add an IPv4 address, and describe links (state, addresses and
// impairment) for status and tests. Callers hold the handle's lock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/netns/libnl_owners.hpp"
#include "controller/netns/namespace_handle.hpp"
#include "controller/netns/netlink.hpp"

namespace blastlab::netns {

// Linux interface names are 1 to 15 characters without '/', ':' or white space; libnl would
// silently cut a longer one.
Status validate_ifname(const std::string& ifname);

// The link called ifname in the handle's namespace, straight from the kernel (ENODEV if none).
LinkPtr find_link(NamespaceHandle& handle, const std::string& ifname, SysError& error);

Status set_link_state(NamespaceHandle& handle, const std::string& ifname, bool up);
Status set_link_mtu_of(NamespaceHandle& handle, const std::string& ifname, int mtu);
Status delete_link_named(NamespaceHandle& handle, const std::string& ifname);
Status add_ipv4_address(NamespaceHandle& handle, const std::string& ifname,
                        const std::string& cidr);

// Every link in the namespace, or only the one called *ifname.
std::vector<LinkInfo> describe_links(NamespaceHandle& handle, const std::string* ifname,
                                     SysError& error);

}  // namespace blastlab::netns
