// The namespace fabric: named network namespaces, veth links, addresses, link state,
// per-namespace sysctls and netem impairments. `Netlink` is the seam at the OS boundary:
// the lab layer talks only to it, the real implementation speaks netlink through libnl
// (no `ip` subprocess), and tests may swap in a fake.
//
// Namespaces are made the way iproute2 makes them (a bind mount of the namespace under
// /run/netns/NAME), so `ip netns exec NAME ...` and `vtysh -N` work on them. veth pairs are
// created with each end placed straight into its namespace: no end of a lab link ever
// appears in the caller's (the host's) namespace, not even for a moment.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace blastlab::netns {

// The outcome of one fabric operation. Messages say what was done, to what, where and why:
// "add address 198.19.0.0/31 to pop1 in ns lab1.bb1: File exists".
class [[nodiscard]] Status {
 public:
  static Status ok() { return Status(); }
  static Status error(std::string message, int errno_code = 0) {
    Status s;
    s.ok_ = false;
    s.message_ = std::move(message);
    s.errno_ = errno_code;
    return s;
  }
  bool is_ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const std::string& message() const { return message_; }
  int errno_code() const { return errno_; }  // the kernel's errno, 0 if none

 private:
  bool ok_ = true;
  std::string message_;
  int errno_ = 0;
};

struct VethSpec {
  std::string ns_a;
  std::string if_a;
  std::string ns_b;
  std::string if_b;
  int mtu = 1500;
};

// What netem (and tbf, for rate) applies to one interface's egress. An empty spec removes
// any impairment.
struct NetemSpec {
  std::chrono::microseconds delay{0};
  std::chrono::microseconds jitter{0};
  double loss_percent = 0;
  uint64_t rate_bits_per_second = 0;  // 0: unlimited
  bool empty() const {
    return delay.count() == 0 && jitter.count() == 0 && loss_percent == 0 &&
           rate_bits_per_second == 0;
  }
};

struct LinkInfo {
  std::string ifname;
  int ifindex = 0;
  bool admin_up = false;  // IFF_UP
  bool carrier = false;   // IFF_LOWER_UP / operstate up
  int mtu = 0;
  std::vector<std::string> addresses;  // IPv4 "a.b.c.d/len"
  std::optional<NetemSpec> netem;      // the root netem qdisc, if any
};

// A static IPv4 route in the main table: "0.0.0.0/0" via a gateway on a connected link, out
// of an interface (`ip route add PREFIX dev IFNAME`, link scope), or both.
struct RouteSpec {
  std::string prefix;   // "a.b.c.d/len"
  std::string gateway;  // "a.b.c.d"; empty: none, and then dev is required
  std::string source;   // preferred source address, "a.b.c.d"; empty: the kernel's choice
  std::string dev;      // the interface it leaves by; empty: the kernel finds it from gateway
  std::optional<uint32_t> metric;  // the route's priority; none: the kernel's 0
  bool replace = false;            // replace a route to the same prefix (`ip route replace`)
};

// One IPv4 route of the main table, as the kernel holds it.
struct RouteInfo {
  std::string prefix;    // "a.b.c.d/len"
  std::string protocol;  // "kernel", "static", "boot", "bgp", "ospf", or the number
  std::string gateway;   // the first next hop's gateway; empty when none, or when the route
                         // uses a kernel nexthop object (FRR's routes do), which libnl omits
  uint32_t metric = 0;   // the route's priority
};

class Netlink {
 public:
  virtual ~Netlink() = default;

  // Creates /run/netns/NAME holding a new, empty network namespace. Fails with EEXIST if
  // the name is taken, leaving it untouched.
  virtual Status create_namespace(const std::string& ns) = 0;
  // Creates several namespaces, all or nothing: on failure the ones this call made are
  // deleted again. The libnl fabric creates them on a few threads at once, because the
  // kernel's work to set up a namespace dominates the cost of building a lab.
  virtual Status create_namespaces(const std::vector<std::string>& names);
  // Unmounts and removes /run/netns/NAME; the kernel destroys the namespace and its links
  // when the last process inside it is gone. Deleting a missing namespace is ok.
  virtual Status delete_namespace(const std::string& ns) = 0;
  virtual bool namespace_exists(const std::string& ns) = 0;

  virtual Status create_veth(const VethSpec& spec) = 0;
  virtual Status delete_link(const std::string& ns, const std::string& ifname) = 0;
  // cidr: "198.19.0.0/31"
  virtual Status add_address(const std::string& ns, const std::string& ifname,
                             const std::string& cidr) = 0;
  virtual Status set_link_up(const std::string& ns, const std::string& ifname, bool up) = 0;
  // 68 (IPv4's least) to 65535; the kernel refuses what the device cannot carry.
  virtual Status set_link_mtu(const std::string& ns, const std::string& ifname, int mtu) = 0;
  // key relative to /proc/sys, e.g. "net/ipv4/ip_forward"; written inside the namespace.
  virtual Status set_sysctl(const std::string& ns, const std::string& key,
                            const std::string& value) = 0;
  virtual Status set_netem(const std::string& ns, const std::string& ifname,
                           const NetemSpec& spec) = 0;

  virtual Status add_route(const std::string& ns, const RouteSpec& spec) = 0;
  // The main table's IPv4 unicast routes (local and broadcast routes left out).
  virtual std::vector<RouteInfo> list_routes(const std::string& ns, Status& status) = 0;

  virtual std::optional<LinkInfo> link_info(const std::string& ns, const std::string& ifname) = 0;
  virtual std::vector<LinkInfo> list_links(const std::string& ns) = 0;
  // Drops any cached handle on the namespace (call before deleting it).
  virtual void forget(const std::string& ns) = 0;
};

// The real fabric, through libnl. Thread-safe: operations on different namespaces may run
// in parallel from different threads.
std::unique_ptr<Netlink> make_libnl_netlink();

// Runs fn with the calling thread inside namespace ns (setns), then returns the thread to
// the namespace it was in. Used for the few things netlink cannot do from outside (sysctls,
// opening sockets that must live inside the namespace). Returns an error if either setns
// fails; fn's own result is reported through its captures.
Status run_in_namespace(const std::string& ns, const std::function<void()>& fn);

// The directory iproute2 keeps named namespaces in.
inline constexpr const char* kNetnsRunDir = "/run/netns";

}  // namespace blastlab::netns
