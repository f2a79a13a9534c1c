// fabric_bench: how much faster the libnl fabric builds a lab than one `ip` command per
// operation. It builds the same topology twice, N namespaces joined by /31 veth links from
// 198.19.0.0/16 (a ring, or a chain), with every link end and loopback up: once through
// LibnlNetlink, once with `ip netns add`, `ip -n A link add .. type veth peer name .. netns B`,
// `ip -n NS addr add` and `ip -n NS link set .. up`, each started with posix_spawn. Both builds
// are checked through link_info before they are torn down, and each phase is timed.
//
// usage: fabric_bench [-n N] [--ring|--chain]
//
// Namespaces are named fb<pid>l<i> (libnl) and fb<pid>i<i> (iproute2); none is ever connected
// to the host's namespace. Everything made is deleted on success, on error and on SIGINT.
#include <dirent.h>
#include <fmt/format.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "controller/netns/netlink.hpp"

extern char** environ;

namespace {

using blastlab::netns::Netlink;
using blastlab::netns::Status;
using Clock = std::chrono::steady_clock;

std::atomic<bool> g_interrupted{false};

void on_sigint(int) {
  g_interrupted = true;
}

struct BenchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void check_interrupt() {
  if (g_interrupted) throw BenchError("interrupted");
}

void check(const Status& status) {
  check_interrupt();
  if (!status) throw BenchError(status.message());
}

struct LinkPlan {
  int a = 0, b = 0;        // node indices
  std::string if_a, if_b;  // v<k>a, v<k>b
  std::string addr_a, addr_b;
};

struct Plan {
  int nodes = 0;
  std::vector<LinkPlan> links;
};

std::string address(int host) {
  return "198.19." + std::to_string(host >> 8) + "." + std::to_string(host & 255) + "/31";
}

Plan make_plan(int nodes, bool ring) {
  Plan plan;
  plan.nodes = nodes;
  int count = ring ? nodes : nodes - 1;
  for (int k = 0; k < count; ++k) {
    LinkPlan link;
    link.a = k;
    link.b = (k + 1) % nodes;
    // fmt rather than "v" + to_string(k): GCC 12 at -O3 raises a false -Wrestrict there.
    link.if_a = fmt::format("v{}a", k);
    link.if_b = fmt::format("v{}b", k);
    link.addr_a = address(2 * k);
    link.addr_b = address(2 * k + 1);
    plan.links.push_back(link);
  }
  return plan;
}

// The phases of one build, in seconds.
struct Timings {
  double namespaces = 0, links = 0, addresses = 0, up = 0, teardown = 0;
  double build() const { return namespaces + links + addresses + up; }
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double timed(const std::function<void()>& phase) {
  auto start = Clock::now();
  phase();
  return seconds_since(start);
}

// Every namespace either run has created, so that an error or SIGINT can remove them.
class Created {
 public:
  explicit Created(Netlink& netlink) : netlink_(netlink) {}
  ~Created() { remove_all(); }
  void add(const std::string& ns) { names_.push_back(ns); }
  void remove_all() {
    for (const auto& ns : names_) {
      if (auto status = netlink_.delete_namespace(ns); !status) {
        std::fprintf(stderr, "cleanup: %s\n", status.message().c_str());
      }
    }
    names_.clear();
  }

 private:
  Netlink& netlink_;
  std::vector<std::string> names_;
};

// One `ip` command through posix_spawn, as a shell script would run it.
void ip(const std::vector<std::string>& args) {
  check_interrupt();
  std::vector<std::string> full = {"ip"};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : full) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (int err = ::posix_spawnp(&pid, "ip", nullptr, nullptr, argv.data(), environ); err != 0) {
    throw BenchError("spawn ip: " + std::string(std::strerror(err)));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string line;
    for (const auto& arg : full) line += arg + " ";
    throw BenchError("command failed: " + line);
  }
}

std::string ns_name(char run, int i) {
  return "fb" + std::to_string(::getpid()) + run + std::to_string(i);
}

Timings build_with_libnl(Netlink& netlink, const Plan& plan, Created& created) {
  Timings t;
  std::vector<std::string> names;
  for (int i = 0; i < plan.nodes; ++i) names.push_back(ns_name('l', i));
  t.namespaces = timed([&] {
    for (const auto& ns : names) created.add(ns);
    check(netlink.create_namespaces(names));
  });
  t.links = timed([&] {
    for (const auto& link : plan.links) {
      check(netlink.create_veth({names[link.a], link.if_a, names[link.b], link.if_b, 1500}));
    }
  });
  t.addresses = timed([&] {
    for (const auto& link : plan.links) {
      check(netlink.add_address(names[link.a], link.if_a, link.addr_a));
      check(netlink.add_address(names[link.b], link.if_b, link.addr_b));
    }
  });
  t.up = timed([&] {
    for (const auto& ns : names) check(netlink.set_link_up(ns, "lo", true));
    for (const auto& link : plan.links) {
      check(netlink.set_link_up(names[link.a], link.if_a, true));
      check(netlink.set_link_up(names[link.b], link.if_b, true));
    }
  });
  return t;
}

Timings build_with_iproute2(const Plan& plan, Created& created) {
  Timings t;
  std::vector<std::string> names;
  for (int i = 0; i < plan.nodes; ++i) names.push_back(ns_name('i', i));
  t.namespaces = timed([&] {
    for (const auto& ns : names) {
      created.add(ns);
      ip({"netns", "add", ns});
    }
  });
  t.links = timed([&] {
    for (const auto& link : plan.links) {
      ip({"-n", names[link.a], "link", "add", link.if_a, "mtu", "1500", "type", "veth", "peer",
          "name", link.if_b, "mtu", "1500", "netns", names[link.b]});
    }
  });
  t.addresses = timed([&] {
    for (const auto& link : plan.links) {
      ip({"-n", names[link.a], "addr", "add", link.addr_a, "dev", link.if_a});
      ip({"-n", names[link.b], "addr", "add", link.addr_b, "dev", link.if_b});
    }
  });
  t.up = timed([&] {
    for (const auto& ns : names) ip({"-n", ns, "link", "set", "lo", "up"});
    for (const auto& link : plan.links) {
      ip({"-n", names[link.a], "link", "set", link.if_a, "up"});
      ip({"-n", names[link.b], "link", "set", link.if_b, "up"});
    }
  });
  return t;
}

// Both builds must have made the same lab: every end up, with its address.
void verify(Netlink& netlink, const Plan& plan, char run) {
  for (const auto& link : plan.links) {
    for (const auto& [node, ifname, cidr] :
         {std::tuple{link.a, link.if_a, link.addr_a}, std::tuple{link.b, link.if_b, link.addr_b}}) {
      auto info = netlink.link_info(ns_name(run, node), ifname);
      if (!info || !info->admin_up || info->addresses != std::vector<std::string>{cidr}) {
        throw BenchError("verify: " + ifname + " in " + ns_name(run, node) +
                         " is missing, down or without " + cidr);
      }
    }
  }
}

Timings teardown_libnl(Netlink& netlink, const Plan& plan, Created& created) {
  Timings t;
  t.teardown = timed([&] {
    for (int i = 0; i < plan.nodes; ++i) check(netlink.delete_namespace(ns_name('l', i)));
  });
  created.remove_all();  // nothing left; clears the list
  return t;
}

double teardown_iproute2(const Plan& plan, Created& created) {
  double seconds = timed([&] {
    for (int i = 0; i < plan.nodes; ++i) ip({"netns", "del", ns_name('i', i)});
  });
  created.remove_all();
  return seconds;
}

void print_row(const char* phase, double libnl, double iproute2) {
  std::printf("%-12s %10.4f %12.4f %8.1fx\n", phase, libnl, iproute2,
              libnl > 0 ? iproute2 / libnl : 0.0);
}

int usage() {
  std::fprintf(stderr, "usage: fabric_bench [-n N] [--ring|--chain]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int nodes = 100;
  bool ring = true;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-n" && i + 1 < argc) {
      char* end = nullptr;
      long value = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || value < 2 || value > 10000) return usage();
      nodes = static_cast<int>(value);
    } else if (arg == "--ring") {
      ring = true;
    } else if (arg == "--chain") {
      ring = false;
    } else {
      return usage();
    }
  }
  if (::geteuid() != 0) {
    std::fprintf(stderr, "fabric_bench: needs root (network namespaces)\n");
    return 3;
  }
  struct sigaction action {};
  action.sa_handler = on_sigint;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);

  spdlog::set_level(spdlog::level::warn);  // the table is the output
  const Plan plan = make_plan(nodes, ring);
  auto netlink = blastlab::netns::make_libnl_netlink();
  Created created(*netlink);
  try {
    // iproute2 first: the kernel finishes tearing namespaces down in the background, and
    // what is left of the first run slows the second, so libnl takes that handicap.
    Timings iproute2 = build_with_iproute2(plan, created);
    verify(*netlink, plan, 'i');
    for (int i = 0; i < nodes; ++i) netlink->forget(ns_name('i', i));
    iproute2.teardown = teardown_iproute2(plan, created);
    std::this_thread::sleep_for(std::chrono::seconds(1));

    Timings libnl = build_with_libnl(*netlink, plan, created);
    verify(*netlink, plan, 'l');
    libnl.teardown = teardown_libnl(*netlink, plan, created).teardown;

    std::printf("fabric_bench: %d namespaces, %zu links (%s)\n", nodes, plan.links.size(),
                ring ? "ring" : "chain");
    std::printf("%-12s %10s %12s %9s\n", "phase", "libnl s", "iproute2 s", "ratio");
    print_row("namespaces", libnl.namespaces, iproute2.namespaces);
    print_row("links", libnl.links, iproute2.links);
    print_row("addresses", libnl.addresses, iproute2.addresses);
    print_row("up", libnl.up, iproute2.up);
    print_row("build", libnl.build(), iproute2.build());
    print_row("teardown", libnl.teardown, iproute2.teardown);
    print_row("total", libnl.build() + libnl.teardown, iproute2.build() + iproute2.teardown);
  } catch (const BenchError& error) {
    std::fprintf(stderr, "fabric_bench: %s; cleaning up\n", error.what());
    created.remove_all();
    return g_interrupted ? 130 : 3;
  }
  return 0;
}
