#include "controller/netns/namespace_handle.hpp"

#include <fmt/format.h>
#include <netlink/errno.h>

#include <cerrno>
#include <cstring>

namespace blastlab::netns {

int errno_of_libnl_error(int nl_error) {
  switch (nl_error < 0 ? -nl_error : nl_error) {
    case 0:
      return 0;
    case NLE_INTR:
      return EINTR;
    case NLE_BAD_SOCK:
      return EBADF;
    case NLE_AGAIN:
      return EAGAIN;
    case NLE_NOMEM:
      return ENOBUFS;
    case NLE_EXIST:
      return EEXIST;
    case NLE_INVAL:
      return EINVAL;
    case NLE_RANGE:
      return ERANGE;
    case NLE_MSGSIZE:
      return EMSGSIZE;
    case NLE_OPNOTSUPP:
      return EOPNOTSUPP;
    case NLE_AF_NOSUPPORT:
      return EAFNOSUPPORT;
    case NLE_OBJ_NOTFOUND:
      return ENOENT;
    case NLE_NOATTR:
      return ENODATA;
    case NLE_PERM:
      return EPERM;
    case NLE_BUSY:
      return EBUSY;
    case NLE_NOADDR:
      return EADDRNOTAVAIL;
    case NLE_NODEV:
      return ENODEV;
    case NLE_IMMUTABLE:
      return EROFS;
    default:
      return EIO;
  }
}

SysError sys_error(int code) {
  return SysError{code, code == 0 ? "" : std::strerror(code)};
}

std::unique_ptr<NamespaceHandle> NamespaceHandle::open_inside(const std::string& ns,
                                                              Status& status) {
  std::unique_ptr<NamespaceHandle> handle(new NamespaceHandle(ns));
  const std::string what = fmt::format("open ns {}", ns);
  SysError error;
  handle->fd_ = open_namespace(ns, error);
  if (!error.ok()) {
    status = Status::error(fmt::format("{}: {}", what, error.text), error.code);
    return nullptr;
  }
  status = handle->connect(what);
  return status ? std::move(handle) : nullptr;
}

std::unique_ptr<NamespaceHandle> NamespaceHandle::open(const std::string& ns, Status& status) {
  std::unique_ptr<NamespaceHandle> handle;
  Status inside = Status::ok();
  status = run_in_namespace(ns, [&] { handle = open_inside(ns, inside); });
  if (status && !inside) status = inside;
  return status ? std::move(handle) : nullptr;
}

Status NamespaceHandle::connect(const std::string& what) {
  socket_.reset(nl_socket_alloc());
  if (!socket_) return Status::error(what + ": cannot allocate a netlink socket", ENOMEM);
  nl_socket_modify_err_cb(socket_.get(), NL_CB_CUSTOM, &NamespaceHandle::on_kernel_error, this);
  if (int err = nl_connect(socket_.get(), NETLINK_ROUTE); err < 0) {
    SysError error = outcome(err);
    return Status::error(fmt::format("{}: netlink socket: {}", what, error.text), error.code);
  }
  return Status::ok();
}

int NamespaceHandle::on_kernel_error(sockaddr_nl*, nlmsgerr* error, void* self) {
  static_cast<NamespaceHandle*>(self)->kernel_errno_ = -error->error;
  return NL_STOP;  // libnl then returns its own code for this errno
}

SysError NamespaceHandle::outcome(int nl_result) const {
  if (nl_result >= 0) return SysError{};
  if (kernel_errno_ > 0) return sys_error(kernel_errno_);
  return SysError{errno_of_libnl_error(nl_result), nl_geterror(nl_result)};
}

}  // namespace blastlab::netns
