// Named network namespaces as files under /run/netns, made and removed the way iproute2 does
// it, so `ip netns exec` and `vtysh -N` find them. Nothing here speaks netlink.
//
// Creating a namespace changes the network namespace of the thread that creates it, so it is
// always done on a disposable worker thread: the thread unshares a new namespace, bind-mounts
// it onto the file, and may then do work that must happen inside (opening a netlink socket)
// before it exits. The caller's thread never changes namespace.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "controller/netns/libnl_owners.hpp"
#include "controller/netns/netlink.hpp"

namespace blastlab::netns {

// Owns one file descriptor; closes it when it goes out of scope.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// "/run/netns/NAME".
std::string namespace_path(const std::string& ns);

// A namespace name must be a plain file name: not empty, no '/', not "." or "..", and short
// enough for a path component.
Status validate_namespace_name(const std::string& ns);

// Opens /run/netns/NAME (O_RDONLY | O_CLOEXEC); the fd names the namespace for setns() and
// IFLA_NET_NS_FD.
UniqueFd open_namespace(const std::string& ns, SysError& error);

// True if /run/netns/NAME exists and is a mounted namespace (not a stray file).
bool is_namespace_mounted(const std::string& ns);

// Called on the creating thread while it is inside the namespace just made. An error makes
// the creation fail, and the namespace is removed again.
using InsideNamespace = std::function<Status(const std::string& ns)>;

// Creates the namespaces in `names` on up to `workers` disposable threads. All or nothing:
// on the first failure the namespaces made by this call are removed again and the failure is
// returned ("create namespace lab1.bb1: File exists", errno EEXIST). An existing namespace is
// never touched.
Status create_namespace_files(const std::vector<std::string>& names, std::size_t workers,
                              const InsideNamespace& inside);

// Unmounts (lazily) and removes /run/netns/NAME. A missing namespace is ok.
Status delete_namespace_file(const std::string& ns);

}  // namespace blastlab::netns
