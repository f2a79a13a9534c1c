// One namespace's connection to the kernel: an fd naming the namespace (for setns() and for
// placing links into it) and a NETLINK_ROUTE socket that lives inside it. A socket stays bound
// to the namespace it was created in, so requests sent on it act there without the caller
// ever entering the namespace. The handle's mutex serialises use of the socket; handles of
// different namespaces are used from different threads at once.
#pragma once

#include <mutex>
#include <string>

#include "controller/netns/libnl_owners.hpp"
#include "controller/netns/namespace.hpp"
#include "controller/netns/netlink.hpp"

namespace blastlab::netns {

class NamespaceHandle {
 public:
  // For a thread that is inside namespace ns already (the thread that created it).
  static std::unique_ptr<NamespaceHandle> open_inside(const std::string& ns, Status& status);
  // For any thread: enters ns for the moment it takes to create the socket.
  static std::unique_ptr<NamespaceHandle> open(const std::string& ns, Status& status);

  NamespaceHandle(const NamespaceHandle&) = delete;
  NamespaceHandle& operator=(const NamespaceHandle&) = delete;

  const std::string& name() const { return name_; }
  int fd() const { return fd_.get(); }
  // Hold this while using socket() or call().
  std::unique_lock<std::mutex> lock() { return std::unique_lock(mutex_); }
  nl_sock* socket() { return socket_.get(); }

  // Runs one libnl request on the socket and reports its outcome, with the errno the kernel
  // sent when there was one (libnl's own codes lose detail: many errnos map to one code).
  template <typename Request>
  SysError call(Request&& request) {
    kernel_errno_ = 0;
    return outcome(request(socket_.get()));
  }

 private:
  explicit NamespaceHandle(std::string ns) : name_(std::move(ns)) {}
  Status connect(const std::string& what);
  SysError outcome(int nl_result) const;
  static int on_kernel_error(sockaddr_nl* from, nlmsgerr* error, void* self);

  std::string name_;
  UniqueFd fd_;
  SocketPtr socket_;
  int kernel_errno_ = 0;
  std::mutex mutex_;
};

}  // namespace blastlab::netns
