// Move-only owners for every libnl object the fabric touches, and the translation of libnl's
// error codes into errno values. This header is private to controller/netns: nothing outside
// this folder sees a raw libnl type.
#pragma once

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

#include <memory>
#include <string>

namespace blastlab::netns {

template <auto Release>
struct LibnlDeleter {
  template <typename T>
  void operator()(T* object) const {
    if (object != nullptr) Release(object);
  }
};

using SocketPtr = std::unique_ptr<nl_sock, LibnlDeleter<nl_socket_free>>;
using LinkPtr = std::unique_ptr<rtnl_link, LibnlDeleter<rtnl_link_put>>;
using AddrPtr = std::unique_ptr<rtnl_addr, LibnlDeleter<rtnl_addr_put>>;
using QdiscPtr = std::unique_ptr<rtnl_qdisc, LibnlDeleter<rtnl_qdisc_put>>;
using RoutePtr = std::unique_ptr<rtnl_route, LibnlDeleter<rtnl_route_put>>;
using CachePtr = std::unique_ptr<nl_cache, LibnlDeleter<nl_cache_free>>;
using NlAddrPtr = std::unique_ptr<nl_addr, LibnlDeleter<nl_addr_put>>;
using MsgPtr = std::unique_ptr<nl_msg, LibnlDeleter<nlmsg_free>>;

// A failed system or netlink call: the errno it amounts to and the text to show for it.
struct SysError {
  int code = 0;  // 0: success
  std::string text;
  bool ok() const { return code == 0; }
};

// The errno closest to a (negative) libnl error code, for calls whose kernel errno was not
// captured (errors raised by libnl itself, or by send()/recv()).
int errno_of_libnl_error(int nl_error);

// SysError for errno `code`, text from strerror.
SysError sys_error(int code);

}  // namespace blastlab::netns
