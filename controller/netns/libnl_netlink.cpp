#include "controller/netns/libnl_netlink.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <thread>

#include "controller/netns/links.hpp"
#include "controller/netns/log.hpp"
#include "controller/netns/namespace.hpp"
#include "controller/netns/netem.hpp"
#include "controller/netns/routes.hpp"
#include "controller/netns/veth.hpp"

namespace blastlab::netns {
namespace {

// Setting up a namespace is mostly kernel work on the creating CPU, so a few threads help;
// more than the CPUs only adds contention on the kernel's locks.
constexpr std::size_t kMaxCreateWorkers = 8;

Status in_ns(const std::string& what, const std::string& ns, const Status& cause) {
  return Status::error(fmt::format("{} in ns {}: {}", what, ns, cause.message()),
                       cause.errno_code());
}

bool valid_sysctl_key(const std::string& key) {
  if (key.empty() || key.front() == '/' || key.find("..") != std::string::npos) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
           c == '.';
  });
}

}  // namespace

std::unique_ptr<Netlink> make_libnl_netlink() {
  return std::make_unique<LibnlNetlink>();
}

Status LibnlNetlink::create_namespace(const std::string& ns) {
  return create_namespaces({ns});
}

Status LibnlNetlink::create_namespaces(const std::vector<std::string>& names) {
  const std::size_t cpus = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t workers = std::min({names.size(), cpus, kMaxCreateWorkers});
  Status status = create_namespace_files(names, workers, [this](const std::string& ns) {
    // Still inside the new namespace: its socket is opened here without a setns() round trip.
    Status opened = Status::ok();
    auto handle = NamespaceHandle::open_inside(ns, opened);
    if (handle) remember(std::move(handle));
    return opened;
  });
  if (!status) {
    for (const auto& ns : names) {
      std::lock_guard lock(mutex_);
      handles_.erase(ns);
    }
    return status;
  }
  logger()->info("created {} namespace(s){}", names.size(),
                 names.size() == 1 ? fmt::format(" {}", names.front()) : std::string());
  return Status::ok();
}

Status LibnlNetlink::delete_namespace(const std::string& ns) {
  forget(ns);
  Status status = delete_namespace_file(ns);
  if (status) logger()->debug("deleted namespace {}", ns);
  return status;
}

bool LibnlNetlink::namespace_exists(const std::string& ns) {
  return validate_namespace_name(ns) && is_namespace_mounted(ns);
}

Status LibnlNetlink::create_veth(const VethSpec& spec) {
  Status status = Status::ok();
  auto a = handle(spec.ns_a, status);
  auto b = a ? handle(spec.ns_b, status) : nullptr;
  if (!a || !b) {
    return Status::error(fmt::format("create veth {} (ns {}) <-> {} (ns {}): {}", spec.if_a,
                                     spec.ns_a, spec.if_b, spec.ns_b, status.message()),
                         status.errno_code());
  }
  logger()->debug("create veth {}:{} <-> {}:{}", spec.ns_a, spec.if_a, spec.ns_b, spec.if_b);
  return create_veth_pair(*a, *b, spec);
}

Status LibnlNetlink::delete_link(const std::string& ns, const std::string& ifname) {
  Status status = Status::ok();
  auto h = handle(ns, status);
  if (!h) return in_ns(fmt::format("delete link {}", ifname), ns, status);
  auto lock = h->lock();
  return delete_link_named(*h, ifname);
}

Status LibnlNetlink::add_address(const std::string& ns, const std::string& ifname,
                                 const std::string& cidr) {
  Status status = Status::ok();
  auto h = handle(ns, status);
  if (!h) return in_ns(fmt::format("add address {} to {}", cidr, ifname), ns, status);
  auto lock = h->lock();
  return add_ipv4_address(*h, ifname, cidr);
}

Status LibnlNetlink::set_link_up(const std::string& ns, const std::string& ifname, bool up) {
  Status status = Status::ok();
  auto h = handle(ns, status);
  if (!h) return in_ns(fmt::format("set link {} {}", ifname, up ? "up" : "down"), ns, status);
  auto lock = h->lock();
  return set_link_state(*h, ifname, up);
}

Status LibnlNetlink::set_link_mtu(const std::string& ns, const std::string& ifname, int mtu) {
  Status status = Status::ok();
  auto h = handle(ns, status);
  if (!h) return in_ns(fmt::format("set link {} mtu {}", ifname, mtu), ns, status);
  auto lock = h->lock();
  return set_link_mtu_of(*h, ifname, mtu);
}

Status LibnlNetlink::set_sysctl(const std::string& ns, const std::string& key,
                                const std::string& value) {
  const std::string what = fmt::format("set sysctl {}={}", key, value);
  if (!valid_sysctl_key(key)) {
    return Status::error(
        fmt::format("{} in ns {}: key must be a path under /proc/sys like net/ipv4/ip_forward",
                    what, ns),
        EINVAL);
  }
  const std::string path = "/proc/sys/" + key;
  int error = 0;
  // /proc/sys/net resolves by the network namespace of the thread that opens it.
  Status entered = run_in_namespace(ns, [&] {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      error = errno;
      return;
    }
    if (::write(fd, value.data(), value.size()) != static_cast<ssize_t>(value.size())) {
      error = errno != 0 ? errno : EIO;
    }
    ::close(fd);
  });
  if (!entered) return in_ns(what, ns, entered);
  if (error != 0) {
    return Status::error(fmt::format("{} in ns {}: {}", what, ns, std::strerror(error)), error);
  }
  return Status::ok();
}

Status LibnlNetlink::set_netem(const std::string& ns, const std::string& ifname,
                               const NetemSpec& spec) {
  Status status = Status::ok();
  auto h = handle(ns, status);
  if (!h) return in_ns(fmt::format("set netem on {}", ifname), ns, status);
  auto lock = h->lock();
  return apply_netem(*h, ifname, spec);
}

Status LibnlNetlink::add_route(const std::string& ns, const RouteSpec& spec) {
  Status status = Status::ok();
  auto h = handle(ns, status);
  if (!h) return in_ns(route_text(spec), ns, status);
  auto lock = h->lock();
  return add_ipv4_route(*h, spec);
}

std::vector<RouteInfo> LibnlNetlink::list_routes(const std::string& ns, Status& status) {
  status = Status::ok();
  auto h = handle(ns, status);
  if (!h) {
    status = in_ns("list routes", ns, status);
    return {};
  }
  auto lock = h->lock();
  SysError error;
  auto routes = dump_ipv4_routes(*h, error);
  if (!error.ok()) {
    status = Status::error(fmt::format("list routes in ns {}: {}", ns, error.text), error.code);
  }
  return routes;
}

std::optional<LinkInfo> LibnlNetlink::link_info(const std::string& ns, const std::string& ifname) {
  Status status = Status::ok();
  auto h = handle(ns, status);
  if (!h) {
    logger()->debug("link info {}: {}", ifname, status.message());
    return std::nullopt;
  }
  auto lock = h->lock();
  SysError error;
  auto links = describe_links(*h, &ifname, error);
  if (!error.ok() || links.empty()) {
    logger()->debug("link info {} in ns {}: {}", ifname, ns, error.text);
    return std::nullopt;
  }
  return links.front();
}

std::vector<LinkInfo> LibnlNetlink::list_links(const std::string& ns) {
  Status status = Status::ok();
  auto h = handle(ns, status);
  if (!h) {
    logger()->debug("list links: {}", status.message());
    return {};
  }
  auto lock = h->lock();
  SysError error;
  auto links = describe_links(*h, nullptr, error);
  if (!error.ok()) logger()->debug("list links in ns {}: {}", ns, error.text);
  return links;
}

void LibnlNetlink::forget(const std::string& ns) {
  std::shared_ptr<NamespaceHandle> dropped;
  std::lock_guard lock(mutex_);
  if (auto it = handles_.find(ns); it != handles_.end()) {
    dropped = std::move(it->second);
    handles_.erase(it);
  }
}

std::shared_ptr<NamespaceHandle> LibnlNetlink::handle(const std::string& ns, Status& status) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = handles_.find(ns); it != handles_.end()) return it->second;
  }
  if (status = validate_namespace_name(ns); !status) return nullptr;
  // Opened outside the map's lock: entering a namespace is slow next to a map lookup.
  std::shared_ptr<NamespaceHandle> opened = NamespaceHandle::open(ns, status);
  if (!opened) return nullptr;
  std::lock_guard lock(mutex_);
  auto [it, inserted] = handles_.emplace(ns, std::move(opened));
  return it->second;  // another thread may have opened it first; use that one
}

void LibnlNetlink::remember(std::unique_ptr<NamespaceHandle> handle) {
  std::lock_guard lock(mutex_);
  std::string name = handle->name();
  handles_.insert_or_assign(std::move(name), std::shared_ptr<NamespaceHandle>(std::move(handle)));
}

}  // namespace blastlab::netns
