#include "controller/lab/launcher.hpp"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "controller/files/safe_write.hpp"
#include "controller/frr/daemons.hpp"
#include "controller/frr/render.hpp"
#include "controller/frr/user_config.hpp"
#include "controller/frr/vtysh.hpp"
#include "controller/lab/healthd_config.hpp"
#include "controller/lab/lab.hpp"
#include "controller/services/backend.hpp"
#include "controller/services/nsd.hpp"
#include "controller/services/unbound.hpp"

namespace blastlab::lab {
namespace {

namespace fs = std::filesystem;
using model::Role;

// A router's node directory belongs to FRR's user once its daemons have run, and a
// restarted node's configurations are written into it again: never through a link.
void write_file(const std::string& path, const std::string& text) {
  try {
    files::write_file_atomically(path, text, "lab file");
  } catch (const std::runtime_error& e) {
    throw LabError(3, e.what());
  }
}

// FRR's daemons drop to the `frr` user right after start; what they write (pid, log, the
// pathspace's sockets) must belong to it.
void give_to_frr(const std::string& path) {
  struct passwd* user = ::getpwnam("frr");
  if (user == nullptr) {
    throw LabError(3, "FRR's user `frr` does not exist; install FRR (scripts/setup.sh)");
  }
  if (::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
    throw LabError(3, "chown " + path + " to frr: " + std::strerror(errno));
  }
}

std::string self_directory() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

// FRR's daemons run as `frr` and open their pid and log files in the node's directory: every
// directory above it must let others through. A private run directory (mode 0700, as
// mkdtemp makes) would otherwise show up only as zebra dying at start.
void check_reachable_by_frr(const std::string& dir) {
  for (fs::path p = fs::absolute(dir); !p.empty(); p = p.parent_path()) {
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0 && (st.st_mode & S_IXOTH) == 0) {
      throw LabError(3, fmt::format("FRR's daemons run as user frr and cannot enter {} (mode "
                                    "{:o}); use a run directory others may enter "
                                    "(chmod o+x {}, or another BLASTLAB_RUN_DIR)",
                                    p.string(), st.st_mode & 07777, p.string()));
    }
    if (p == p.root_path()) break;
  }
}

}  // namespace

namespace {

// One exec line's ip operation through netlink. `again`: the node's addresses and routes put
// back after its link came up, leaving link settings alone and taking what is there as done.
netns::Status apply_ip_operation(netns::Netlink& netlink, const std::string& ns,
                                 const execline::IpOperation& operation, bool again) {
  netns::Status status;
  if (const auto* a = std::get_if<execline::AddAddress>(&operation)) {
    status = netlink.add_address(ns, a->ifname, a->prefix.str());
  } else if (const auto* l = std::get_if<execline::SetLink>(&operation)) {
    if (again) return status;
    if (l->mtu) status = netlink.set_link_mtu(ns, l->ifname, *l->mtu);
    if (status && l->up) status = netlink.set_link_up(ns, l->ifname, *l->up);
  } else if (const auto* r = std::get_if<execline::AddRoute>(&operation)) {
    status = netlink.add_route(ns, {.prefix = r->destination.str(),
                                    .gateway = r->via ? r->via->str() : "",
                                    .dev = r->dev.value_or(""),
                                    .metric = r->metric,
                                    .replace = again || r->replace});
  }
  if (again && !status && status.errno_code() == EEXIST) return netns::Status::ok();
  return status;
}

}  // namespace

void reapply_exec_addresses_and_routes(netns::Netlink& netlink, const std::string& ns,
                                       const model::Node& node) {
  for (const auto& command : node.exec) {
    if (!command.ip) continue;
    throw_if_failed(apply_ip_operation(netlink, ns, *command.ip, /*again=*/true));
  }
}

std::string agent_directory() {
  return self_directory();
}

std::string node_directory(const std::string& lab_dir, const std::string& node) {
  return lab_dir + "/nodes/" + node;
}

std::string events_directory(const std::string& lab_dir) {
  return lab_dir + "/events";
}

Launcher::Launcher(netns::Netlink& netlink, proc::ProcessRunner& runner, Journal& journal,
                   std::string lab_name, std::string lab_dir)
    : netlink_(netlink),
      runner_(runner),
      journal_(journal),
      lab_(std::move(lab_name)),
      dir_(std::move(lab_dir)) {}

void Launcher::launch(const model::Topology& topology, const frr::RoutingPlan& plan,
                      const std::atomic<bool>* interrupted) {
  if (!plan.routers.empty()) check_reachable_by_frr(dir_);
  std::error_code ec;
  fs::create_directories(events_directory(dir_), ec);
  for (const auto& node : topology.nodes) {
    fs::create_directories(node_directory(dir_, node.name), ec);
    if (ec) throw LabError(3, "create " + node_directory(dir_, node.name) + ": " + ec.message());
  }
  configure_hosts(plan);
  run_exec_lines(topology);
  throw_if_interrupted(interrupted);
  start_routers(topology, plan);
  throw_if_interrupted(interrupted);
  start_services(topology);
}

void Launcher::configure_hosts(const frr::RoutingPlan& plan) {
  for (const auto& a : plan.service_addresses)
    throw_if_failed(netlink_.add_address(namespace_name(lab_, a.node), "lo", a.address.str()));
  for (const auto& r : plan.host_routes) {
    throw_if_failed(netlink_.add_route(namespace_name(lab_, r.node),
                                       {.prefix = r.prefix.str(),
                                        .gateway = r.gateway.str(),
                                        .source = r.source ? r.source->str() : ""}));
  }
}

void Launcher::run_exec_lines(const model::Topology& topology) {
  for (const auto& node : topology.nodes) {
    std::string ns = namespace_name(lab_, node.name);
    for (const auto& command : node.exec) {
      auto where = fmt::format("{}:{}: exec line of {} `{}`", topology.file, command.mark.line,
                               node.name, command.line);
      auto fail = [&](const std::string& why) { throw LabError(3, where + ": " + why); };
      if (!command.ip) {
        auto result = runner_.run({.argv = {"/bin/sh", "-c", command.line}, .netns = ns},
                                  std::chrono::seconds(30));
        if (result.timed_out) fail("still running after 30 s");
        if (result.exit_code != 0)
          fail(fmt::format("exit {}: {}", result.exit_code, result.err + result.out));
        continue;
      }
      auto status = apply_ip_operation(netlink_, ns, *command.ip, /*again=*/false);
      if (!status) fail(status.message());
    }
  }
}

void Launcher::write_router_files(const model::Topology& topology, const frr::RouterPlan& router) {
  std::string node_dir = node_directory(dir_, router.node);
  if (!router.user) {
    auto config = frr::render_router(topology, router);
    write_file(node_dir + "/frr.conf", config.integrated);
    for (const auto& [daemon, text] : config.daemons) {
      write_file(frr::config_file(node_dir, daemon),
                 fmt::format("log file {}\n{}", frr::log_file(node_dir, daemon), text));
    }
    return;
  }
  // The user's own config: kept as written (frr.conf, what `blastlab config` shows), and
  // as applied (lab-frr.conf); each daemon starts with only its log file, and the lab's
  // daemons file says which run, for a restart.
  const std::string& text = router.user->config_text.value_or("");
  write_file(node_dir + "/frr.conf", text);
  write_file(node_dir + "/" + frr::kLabConfigFile, frr::lab_config(text, nullptr));
  // A daemon takes its hostname from its own start or from the system (a container's is
  // its node's name), never from vtysh: the start file carries it.
  std::string hostname = frr::config_hostname(text).value_or(router.node);
  std::string daemons;
  for (frr::Daemon daemon : router.daemons) {
    daemons += fmt::format("{}=yes\n", frr::to_string(daemon));
    write_file(frr::config_file(node_dir, daemon),
               fmt::format("hostname {}\nlog file {}\nlog timestamp precision 6\n", hostname,
                           frr::log_file(node_dir, daemon)));
  }
  write_file(node_dir + "/daemons", daemons);
}

void Launcher::apply_user_configs(const std::vector<const frr::RouterPlan*>& routers) {
  frr::Vtysh vtysh(runner_, dir_);
  for (const auto* router : routers) {
    if (!router->user) continue;
    std::string space = frr::pathspace(lab_, router->node);
    std::string state = std::string(frr::kFrrStateDir) + "/" + space;
    // vtysh sends each line to the daemons that know it, and only to those that listen.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (frr::Daemon daemon : router->daemons) {
      std::string socket = fmt::format("{}/{}.vty", state, frr::to_string(daemon));
      while (!fs::exists(socket)) {
        if (std::chrono::steady_clock::now() > deadline) {
          throw LabError(3, fmt::format("{} on {} did not open its socket within 20 s; see {}",
                                        frr::to_string(daemon), router->node,
                                        frr::log_file(node_directory(dir_, router->node), daemon)));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    std::string node_dir = node_directory(dir_, router->node);
    auto result = vtysh.apply_file(space, node_dir + "/" + frr::kLabConfigFile);
    std::string said = result.err + result.out;
    write_file(node_dir + "/vtysh-apply.out", said);
    if (result.timed_out || result.exit_code != 0) {
      while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
      throw LabError(
          3, fmt::format("{}: FRR did not take its configuration {} (vtysh -f {}: {}): "
                         "{}",
                         router->node, router->user->config, frr::kLabConfigFile,
                         result.timed_out ? "timed out" : fmt::format("exit {}", result.exit_code),
                         said));
    }
  }
}

void Launcher::start_routers(const model::Topology& topology, const frr::RoutingPlan& plan) {
  std::vector<const frr::RouterPlan*> routers;
  for (const auto& router : plan.routers) {
    std::string node_dir = node_directory(dir_, router.node);
    write_router_files(topology, router);
    give_to_frr(node_dir);
    // vtysh -N reads CONFIG_DIR/PATHSPACE/vtysh.conf; an empty one keeps it from
    // complaining, on every run, about a missing one.
    std::string vtysh_dir = frr::vtysh_config_dir(dir_) + "/" + frr::pathspace(lab_, router.node);
    std::error_code vtysh_ec;
    fs::create_directories(vtysh_dir, vtysh_ec);
    write_file(vtysh_dir + "/vtysh.conf", "");
    std::string state = std::string(frr::kFrrStateDir) + "/" + frr::pathspace(lab_, router.node);
    std::error_code ec;
    fs::create_directories(state, ec);
    if (ec) throw LabError(3, "create " + state + ": " + ec.message());
    give_to_frr(state);
    routers.push_back(&router);
  }
  start_daemons(routers);
  apply_user_configs(routers);
}

void Launcher::start_daemons(std::vector<const frr::RouterPlan*> waiting) {
  // zebra first, and the other daemons of a node only once its zebra listens: a daemon
  // whose first connection to zebra fails retries only after 10 s (FRR's zclient), which
  // would hold the whole lab back. A socket left by an earlier zebra of the node (a
  // restart) would be taken for the new one's, so it goes first.
  for (const auto* router : waiting) {
    std::error_code ec;
    fs::remove(zserv_socket(router->node), ec);
    start(router->node, "zebra",
          frr::daemon_argv(frr::Daemon::kZebra, frr::pathspace(lab_, router->node),
                           node_directory(dir_, router->node)),
          frr::max_open_files(frr::Daemon::kZebra, router->neighbors.size()));
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!waiting.empty()) {
    std::erase_if(waiting, [&](const frr::RouterPlan* router) {
      if (!fs::exists(zserv_socket(router->node))) return false;
      for (frr::Daemon daemon : router->daemons) {
        if (daemon == frr::Daemon::kZebra) continue;
        start(router->node, std::string(frr::to_string(daemon)),
              frr::daemon_argv(daemon, frr::pathspace(lab_, router->node),
                               node_directory(dir_, router->node)),
              frr::max_open_files(daemon, router->neighbors.size()));
      }
      return true;
    });
    if (waiting.empty()) break;
    if (std::chrono::steady_clock::now() > deadline) {
      throw LabError(
          3, fmt::format(
                 "zebra on {} did not open its socket within 20 s; see {}", waiting.front()->node,
                 frr::log_file(node_directory(dir_, waiting.front()->node), frr::Daemon::kZebra)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string Launcher::zserv_socket(const std::string& node) const {
  return std::string(frr::kFrrStateDir) + "/" + frr::pathspace(lab_, node) + "/zserv.api";
}

void Launcher::restart_node(const model::Topology& topology, const frr::RoutingPlan& plan,
                            const std::string& node) {
  for (const auto& router : plan.routers) {
    if (router.node == node) {
      start_daemons({&router});
      apply_user_configs({&router});
    }
  }
  if (const model::Node* n = topology.find_node(node)) start_services(topology, *n);
}

void Launcher::start_services(const model::Topology& topology) {
  for (const auto& node : topology.nodes) start_services(topology, node);
}

void Launcher::start_services(const model::Topology& topology, const model::Node& node) {
  std::string agents = agent_directory();
  std::string node_dir = node_directory(dir_, node.name);
  switch (node.role) {
    case Role::kDatacenter:
      start(node.name, "backendd",
            services::backendd_argv(agents + "/blastlab-backendd", topology, node, node_dir));
      break;
    case Role::kDns: {
      if (!topology.services.dns) break;
      auto nsd = services::render_nsd(topology, node, node_dir);
      write_file(services::nsd_conf_path(node_dir), nsd.conf);
      write_file(services::nsd_zone_path(node_dir, nsd.zone), nsd.zone_file);
      start(node.name, "nsd", services::nsd_argv(node_dir));
      // After bgpd (started above, or still running): healthd tells bgpd what to announce,
      // and a restarted bgpd has forgotten it.
      start(node.name, "healthd",
            {agents + "/blastlab-healthd", "--config", write_healthd_config(topology, node)});
      break;
    }
    case Role::kClient:
      if (!topology.services.dns) break;
      write_file(services::unbound_conf_path(node_dir),
                 services::render_unbound(topology, node, node_dir));
      start(node.name, "unbound", services::unbound_argv(node_dir));
      break;
    default:
      break;
  }
}

std::string Launcher::write_healthd_config(const model::Topology& topology,
                                           const model::Node& node) {
  std::string path = node_directory(dir_, node.name) + "/healthd.json";
  write_file(path, healthd_config(topology, node, lab_, dir_).dump(2) + "\n");
  return path;
}

proc::RecordedProcess Launcher::start(const std::string& node, const std::string& what,
                                      std::vector<std::string> argv, unsigned long max_open_files) {
  std::string ns = namespace_name(lab_, node);
  std::string out = node_directory(dir_, node) + "/" + what + ".out";
  std::unique_ptr<proc::Process> process;
  try {
    process = runner_.start({.argv = std::move(argv),
                             .netns = ns,
                             .stdout_path = out,
                             .stderr_path = out,
                             .new_session = true,
                             .max_open_files = max_open_files});
  } catch (const std::exception& e) {
    throw LabError(3, "start " + what + " on " + node + ": " + e.what());
  }
  proc::RecordedProcess recorded{process->pid(), proc::process_start_time(process->pid())};
  journal_.append({.kind = JournalEntry::Kind::kProcess,
                   .ns = ns,
                   .node = node,
                   .pid = recorded.pid,
                   .start_time = recorded.start_time,
                   .what = what});
  process->release();
  return recorded;
}

}  // namespace blastlab::lab
