#include "controller/netns/veth.hpp"

#include <fmt/format.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <netlink/attr.h>
#include <netlink/route/link/veth.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "controller/netns/links.hpp"
#include "controller/netns/log.hpp"

namespace blastlab::netns {
namespace {

constexpr int kAttempts = 5;
constexpr std::chrono::milliseconds kFirstBackoff{2};  // then 4, 8, 16 ms

bool is_transient(int code) {
  return code == EBUSY || code == EAGAIN || code == ENOBUFS || code == ENODEV || code == EINTR;
}

// Finds attribute `type` among the attributes that follow a struct header of `header` bytes
// inside the payload of `container`.
nlattr* find_after_header(nlattr* container, std::size_t header, int type) {
  if (container == nullptr || nla_len(container) < static_cast<int>(header)) return nullptr;
  auto* first = reinterpret_cast<nlattr*>(static_cast<char*>(nla_data(container)) + header);
  return nla_find(first, nla_len(container) - static_cast<int>(header), type);
}

SysError send_create(NamespaceHandle& a, NamespaceHandle& b, const VethSpec& spec) {
  MsgPtr message;
  if (SysError error = build_veth_request(spec, a.fd(), b.fd(), message); !error.ok()) {
    return error;
  }
  auto lock = a.lock();
  return a.call([&](nl_sock* socket) { return nl_send_sync(socket, message.release()); });
}

bool is_veth(NamespaceHandle& handle, const std::string& ifname) {
  SysError error;
  LinkPtr link = find_link(handle, ifname, error);
  const char* type = link ? rtnl_link_get_type(link.get()) : nullptr;
  return type != nullptr && std::strcmp(type, "veth") == 0;
}

// Removes the ends an earlier attempt of this call may have made. Only veths are touched:
// anything else of that name was never ours.
void remove_leftovers(NamespaceHandle& a, NamespaceHandle& b, const VethSpec& spec) {
  for (auto [handle, ifname] : {std::pair{&a, &spec.if_a}, std::pair{&b, &spec.if_b}}) {
    auto lock = handle->lock();
    if (!is_veth(*handle, *ifname)) continue;
    if (auto status = delete_link_named(*handle, *ifname); status) {
      logger()->debug("removed leftover veth end {} in ns {}", *ifname, handle->name());
    } else if (status.errno_code() != ENODEV) {
      logger()->warn("{}", status.message());
    }
  }
}

}  // namespace

bool places_both_ends(nl_msg* message) {
  nlmsghdr* header = nlmsg_hdr(message);
  if (nlmsg_find_attr(header, sizeof(ifinfomsg), IFLA_NET_NS_FD) == nullptr) return false;
  nlattr* info = nlmsg_find_attr(header, sizeof(ifinfomsg), IFLA_LINKINFO);
  nlattr* data = info
                     ? nla_find(static_cast<nlattr*>(nla_data(info)), nla_len(info), IFLA_INFO_DATA)
                     : nullptr;
  nlattr* peer = data
                     ? nla_find(static_cast<nlattr*>(nla_data(data)), nla_len(data), VETH_INFO_PEER)
                     : nullptr;
  return find_after_header(peer, sizeof(ifinfomsg), IFLA_NET_NS_FD) != nullptr;
}

SysError build_veth_request(const VethSpec& spec, int fd_a, int fd_b, MsgPtr& message) {
  LinkPtr link(rtnl_link_veth_alloc());
  if (!link) return sys_error(ENOMEM);
  LinkPtr peer(rtnl_link_veth_get_peer(link.get()));
  if (!peer) return sys_error(ENOMEM);
  rtnl_link_set_name(link.get(), spec.if_a.c_str());
  rtnl_link_set_name(peer.get(), spec.if_b.c_str());
  rtnl_link_set_mtu(link.get(), static_cast<unsigned>(spec.mtu));
  rtnl_link_set_mtu(peer.get(), static_cast<unsigned>(spec.mtu));
  rtnl_link_set_ns_fd(link.get(), fd_a);
  rtnl_link_set_ns_fd(peer.get(), fd_b);

  nl_msg* raw = nullptr;
  if (int err = rtnl_link_build_add_request(link.get(), NLM_F_CREATE | NLM_F_EXCL, &raw); err < 0) {
    return SysError{errno_of_libnl_error(err), nl_geterror(err)};
  }
  message.reset(raw);
  if (!places_both_ends(message.get())) {
    message.reset();
    return SysError{EPROTO, "libnl did not put both ends' namespaces into the request"};
  }
  return SysError{};
}

Status create_veth_pair(NamespaceHandle& a, NamespaceHandle& b, const VethSpec& spec) {
  const std::string what = fmt::format("create veth {} (ns {}) <-> {} (ns {})", spec.if_a,
                                       spec.ns_a, spec.if_b, spec.ns_b);
  for (const auto* ifname : {&spec.if_a, &spec.if_b}) {
    if (auto status = validate_ifname(*ifname); !status) {
      return Status::error(fmt::format("{}: {}", what, status.message()), EINVAL);
    }
  }
  if (spec.ns_a == spec.ns_b && spec.if_a == spec.if_b) {
    return Status::error(fmt::format("{}: both ends have the same name", what), EINVAL);
  }
  if (spec.mtu < 68 || spec.mtu > 65535) {
    return Status::error(fmt::format("{}: mtu {}: must be 68 to 65535", what, spec.mtu), EINVAL);
  }

  SysError error;
  bool may_have_left_something = false;
  auto backoff = kFirstBackoff;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(backoff);
      backoff *= 2;
    }
    error = send_create(a, b, spec);
    if (error.ok()) return Status::ok();
    if (error.code == EEXIST && !may_have_left_something) break;  // the name is someone's
    if (error.code == EEXIST) {
      // An earlier attempt got through although it reported an error.
      remove_leftovers(a, b, spec);
      continue;
    }
    if (!is_transient(error.code)) break;
    may_have_left_something = true;
    logger()->debug("{}: {} (attempt {} of {})", what, error.text, attempt + 1, kAttempts);
  }
  if (may_have_left_something) remove_leftovers(a, b, spec);
  return Status::error(fmt::format("{}: {}", what, error.text), error.code);
}

}  // namespace blastlab::netns
