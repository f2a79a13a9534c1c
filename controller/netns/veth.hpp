// veth pairs whose ends are created straight inside their namespaces. One RTM_NEWLINK carries
// IFLA_NET_NS_FD for the first end and, nested in the peer's info, for the second, and it is
// sent on a socket inside the first end's namespace, so no end ever exists in the host's
// namespace, not even for a moment.
#pragma once

#include "controller/netns/libnl_owners.hpp"
#include "controller/netns/namespace_handle.hpp"
#include "controller/netns/netlink.hpp"

namespace blastlab::netns {

// The RTM_NEWLINK request for spec, each end placed by a namespace fd. Fails (EPROTO) rather
// than return a request that does not place both ends, since an unplaced end would be
// created in the namespace of the socket that sends it.
SysError build_veth_request(const VethSpec& spec, int fd_a, int fd_b, MsgPtr& message);
// True if the request carries IFLA_NET_NS_FD for the link and, nested in
// IFLA_LINKINFO/IFLA_INFO_DATA/VETH_INFO_PEER, for its peer.
bool places_both_ends(nl_msg* message);

// Creates the pair described by spec; a and b are the handles of spec.ns_a and spec.ns_b (the
// same handle when both ends are in one namespace). Takes each handle's lock only while using
// it, never both at once. Transient kernel errors are retried with backoff; on a final failure
// any end this call may have left behind is removed.
Status create_veth_pair(NamespaceHandle& a, NamespaceHandle& b, const VethSpec& spec);

}  // namespace blastlab::netns
