#include "controller/lab/lab.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "contracts/node_sysctls.hpp"
#include "controller/files/safe_write.hpp"
#include "controller/frr/daemons.hpp"
#include "controller/frr/plan.hpp"
#include "controller/frr/user_config.hpp"
#include "controller/frr/vtysh.hpp"
#include "controller/lab/converge.hpp"
#include "controller/lab/journal.hpp"
#include "controller/lab/launcher.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::lab {
namespace {

bool has_user_routers(const frr::RoutingPlan& plan) {
  return std::any_of(plan.routers.begin(), plan.routers.end(),
                     [](const frr::RouterPlan& r) { return r.user.has_value(); });
}

namespace fs = std::filesystem;

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = [] {
    auto existing = spdlog::get("lab");
    return existing ? existing : spdlog::stderr_color_mt("lab");
  }();
  return instance;
}

constexpr const char* kJournalFile = "journal.jsonl";
constexpr const char* kTopologyFile = "topology.yaml";
constexpr const char* kSourceFile = "source";         // the path the lab was built from
constexpr const char* kLoadFile = "load.json";        // how the topology was loaded
constexpr const char* kOverlayFile = "overlay.yaml";  // the overlay's copy, if one was given

// The copy's relative paths resolve against the original's directory, and it is read with
// the original's options: the lab's record of both.
void write_load_options(const std::string& dir, const std::string& topology_path,
                        const topology_load::LoadOptions& load) {
  std::string base = load.base_directory.empty()
                         ? fs::absolute(topology_path).parent_path().string()
                         : fs::absolute(load.base_directory).string();
  nlohmann::json record = {{"base_directory", base},
                           {"trust_exec", load.trust_exec},
                           {"overlay", !load.overlay.empty()}};
  files::write_file_atomically(dir + "/" + kLoadFile, record.dump(2) + "\n", "lab record");
}

// A lab recorded before load.json existed was loaded natively from its source's directory.
topology_load::LoadOptions read_load_options(const std::string& dir) {
  topology_load::LoadOptions load;
  std::ifstream in(dir + "/" + kLoadFile);
  if (!in) {
    std::ifstream source(dir + "/" + kSourceFile);
    std::string path;
    std::getline(source, path);
    if (!path.empty()) load.base_directory = fs::path(path).parent_path().string();
    return load;
  }
  auto record = nlohmann::json::parse(in, nullptr, false);
  if (record.is_discarded() || !record.is_object())
    throw LabError(3, dir + "/" + kLoadFile + " is not the lab's record (JSON object)");
  load.base_directory = record.value("base_directory", "");
  load.trust_exec = record.value("trust_exec", false);
  if (record.value("overlay", false)) load.overlay = dir + "/" + kOverlayFile;
  return load;
}

netns::NetemSpec netem_of(const model::Impairment& impairment) {
  netns::NetemSpec spec;
  if (impairment.delay) spec.delay = *impairment.delay;
  if (impairment.jitter) spec.jitter = *impairment.jitter;
  if (impairment.loss_percent) spec.loss_percent = *impairment.loss_percent;
  if (impairment.rate_bits_per_second) spec.rate_bits_per_second = *impairment.rate_bits_per_second;
  return spec;
}

bool matches(const model::Endpoint& end, const std::pair<std::string, std::string>& want) {
  return end.node == want.first && (want.second.empty() || end.ifname == want.second);
}

void check_name(std::string_view kind, const std::string& name, bool valid, size_t max_length) {
  if (!valid) {
    throw LabError(2, fmt::format("{} name '{}': use [a-z][a-z0-9-]*, at most {} characters", kind,
                                  name, max_length));
  }
}

}  // namespace

std::string namespace_name(const std::string& lab, const std::string& node) {
  return lab + "." + node;
}

void check_lab_name(const std::string& name) {
  check_name("lab", name, model::is_valid_lab_name(name), model::kMaxLabNameLength);
}

void check_node_name(const std::string& name) {
  check_name("node", name, model::is_valid_node_name(name), model::kMaxIfnameLength);
}

std::pair<std::string, std::string> split_endpoint(const std::string& text) {
  auto colon = text.find(':');
  if (colon == std::string::npos) return {text, ""};
  return {text.substr(0, colon), text.substr(colon + 1)};
}

void check_endpoint(const std::string& endpoint) {
  check_node_name(split_endpoint(endpoint).first);
}

bool LabStatus::healthy() const {
  for (const auto& n : nodes)
    if (!n.present) return false;
  for (const auto& l : links)
    if (!l.up()) return false;
  for (const auto& n : nodes)
    for (const auto& p : n.processes)
      if (!p.running) return false;
  return true;
}

struct LabManager::CachedChecker {
  std::unique_ptr<frr::Vtysh> vtysh;
  model::Topology topology;
  std::unique_ptr<ConvergenceChecker> checker;
};

LabManager::~LabManager() = default;

LabManager::LabManager(netns::Netlink& netlink, proc::ProcessRunner& runner, std::string run_dir)
    : netlink_(netlink), runner_(runner), run_dir_(std::move(run_dir)) {}

std::string LabManager::lab_dir(const std::string& lab_name) const {
  check_lab_name(lab_name);
  return run_dir_ + "/" + lab_name;
}

bool LabManager::exists(const std::string& lab_name) const {
  return fs::exists(lab_dir(lab_name));
}

std::vector<std::string> LabManager::labs() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(run_dir_, ec)) {
    if (!entry.is_directory() || entry.is_symlink()) continue;
    std::string name = entry.path().filename().string();
    if (model::is_valid_lab_name(name)) {
      names.push_back(name);
    } else {
      logger()->warn("{}: not a lab name; left alone", entry.path().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

UpTimes LabManager::up(const model::Topology& topology, const std::string& topology_path,
                       const std::string& lab_name, const UpOptions& options,
                       const std::atomic<bool>* interrupted) {
  std::string dir = lab_dir(lab_name);
  if (exists(lab_name)) {
    throw LabError(3, "lab '" + lab_name + "' already exists (" + dir +
                          "); take it down first with `blastlab down " + lab_name +
                          "` or choose another --name");
  }
  // A namespace of the same name that is not ours must never be recorded in our journal,
  // or `down` would remove it: refuse before creating anything.
  for (const auto& node : topology.nodes) {
    std::string ns = namespace_name(lab_name, node.name);
    if (netlink_.namespace_exists(ns)) {
      throw LabError(3, "namespace " + ns +
                            " already exists and is not recorded by any lab; "
                            "remove it (ip netns delete " +
                            ns + ") or choose another --name");
    }
  }
  // The user's own FRR configs are read and put through FRR's dry run before anything is
  // built: a config FRR refuses is bad input, named at its file and line.
  auto plan = frr::plan_routing(topology);
  check_user_configs(plan, runner_);
  std::error_code ec;
  fs::create_directories(run_dir_, ec);
  if (!fs::create_directory(dir, ec) || ec) {
    throw LabError(3, "create lab directory " + dir + ": " + (ec ? ec.message() : "exists"));
  }
  std::string copy = dir + "/" + topology_load::copy_file_name(topology_path);
  if (options.topology_text.empty()) {
    fs::copy_file(topology_path, copy, ec);
  } else {
    try {
      files::write_file_atomically(copy, options.topology_text, "topology copy");
    } catch (const std::exception& e) {
      fs::remove_all(dir);
      throw LabError(3, e.what());
    }
  }
  if (!ec) std::ofstream(dir + "/" + kSourceFile) << fs::absolute(topology_path).string() << "\n";
  if (!ec && !options.load.overlay.empty())
    fs::copy_file(options.load.overlay, dir + "/" + kOverlayFile, ec);
  if (ec) {
    fs::remove_all(dir);
    throw LabError(3, "copy " + topology_path + " to " + dir + ": " + ec.message());
  }
  try {
    write_load_options(dir, topology_path, options.load);
  } catch (const std::exception& e) {
    fs::remove_all(dir);
    throw LabError(3, e.what());
  }

  logger()->info("{}: building {} nodes, {} links", lab_name, topology.nodes.size(),
                 topology.links.size());
  auto remove_and_throw = [&](const std::exception& e) {
    try {
      down(lab_name);
    } catch (const std::exception& cleanup) {
      logger()->error("{}: cleanup after failed bring-up: {}", lab_name, cleanup.what());
    }
    if (auto* lab_error = dynamic_cast<const LabError*>(&e)) throw *lab_error;
    throw LabError(3, e.what());
  };
  std::optional<Journal> journal;
  auto since = [](std::chrono::steady_clock::time_point from) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 from);
  };
  UpTimes times;
  auto started = std::chrono::steady_clock::now();
  try {
    journal.emplace(dir + "/" + kJournalFile);
    journal->append({.kind = JournalEntry::Kind::kStatus, .what = "building"});
    build(topology, lab_name, *journal, interrupted);
    times.build = since(started);
    journal->append({.kind = JournalEntry::Kind::kStatus, .what = "starting"});
    started = std::chrono::steady_clock::now();
    Launcher(netlink_, runner_, *journal, lab_name, dir).launch(topology, plan, interrupted);
    times.start = since(started);
  } catch (const std::exception& e) {
    logger()->warn("{}: bring-up failed ({}); removing what was built", lab_name, e.what());
    remove_and_throw(e);
  }
  if (!options.wait) {
    journal->append({.kind = JournalEntry::Kind::kStatus, .what = "up"});
    logger()->info("{}: up (not waiting for convergence)", lab_name);
    return times;
  }
  frr::Vtysh vtysh(runner_, dir);
  ConvergenceChecker checker(netlink_, vtysh, lab_name, plan,
                             [&] { return dead_processes(lab_name); });
  if (has_user_routers(plan)) checker.check_user_network(topology, options.settle);
  auto report = checker.wait(options.timeout, interrupted);
  auto elapsed = since(started);
  if (interrupted && interrupted->load()) remove_and_throw(LabError(130, "interrupted"));
  if (!report.converged()) {
    // A dead process ends the wait at once: the time is when that was seen, not a timeout.
    std::string message =
        fmt::format("lab {} did not converge {} {:.1f} s:{}", lab_name,
                    report.dead_processes.empty() ? "within" : "(a process stopped) after",
                    std::chrono::duration<double>(elapsed).count(), report.describe());
    if (options.keep_on_failure) {
      journal->append({.kind = JournalEntry::Kind::kStatus, .what = "not-converged"});
      throw LabError(3, message + fmt::format("\nthe lab is left up for inspection; remove it "
                                              "with `blastlab down {}`",
                                              lab_name));
    }
    logger()->warn("{}: did not converge; removing it", lab_name);
    remove_and_throw(LabError(3, message));
  }
  journal->append({.kind = JournalEntry::Kind::kStatus, .what = "up"});
  logger()->info("{}: up, converged {:.2f} s after its daemons started", lab_name,
                 std::chrono::duration<double>(elapsed).count());
  times.converge = elapsed;
  return times;
}

namespace {

// The processes a journal records, each with its node and whether it still runs. A node
// started again (a script's stop and start) has a newer record of each program, which
// replaces the older one.
std::vector<std::pair<std::string, ProcessStatus>> process_statuses(
    const std::vector<JournalEntry>& entries) {
  std::vector<std::pair<std::string, ProcessStatus>> result;
  for (const auto& e : entries) {
    if (e.kind == JournalEntry::Kind::kEnded) {
      std::erase_if(result,
                    [&](const auto& r) { return r.first == e.node && r.second.pid == e.pid; });
      continue;
    }
    if (e.kind != JournalEntry::Kind::kProcess) continue;
    ProcessStatus status{e.what, e.pid,
                         proc::recorded_alive({.pid = e.pid, .start_time = e.start_time})};
    auto same = std::find_if(result.begin(), result.end(), [&](const auto& r) {
      return r.first == e.node && r.second.what == e.what;
    });
    if (same != result.end()) {
      same->second = status;
    } else {
      result.push_back({e.node, status});
    }
  }
  return result;
}

}  // namespace

std::vector<std::pair<std::string, ProcessStatus>> LabManager::processes(
    const std::string& lab_name) const {
  return process_statuses(Journal::read(lab_dir(lab_name) + "/" + kJournalFile));
}

void LabManager::build(const model::Topology& topology, const std::string& lab_name,
                       Journal& journal, const std::atomic<bool>* interrupted) {
  // Every namespace is recorded first, then all are made in one batch: the kernel's work to
  // set a namespace up dominates bring-up, and the fabric spreads it over a few threads.
  std::vector<std::string> namespaces;
  for (const auto& node : topology.nodes) {
    namespaces.push_back(namespace_name(lab_name, node.name));
    journal.append(
        {.kind = JournalEntry::Kind::kNamespace, .ns = namespaces.back(), .node = node.name});
  }
  throw_if_interrupted(interrupted);
  throw_if_failed(netlink_.create_namespaces(namespaces));
  for (size_t i = 0; i < topology.nodes.size(); ++i) {
    throw_if_interrupted(interrupted);
    const std::string& ns = namespaces[i];
    throw_if_failed(netlink_.set_link_up(ns, "lo", true));
    if (const auto& loopback = topology.nodes[i].loopback)
      throw_if_failed(netlink_.add_address(ns, "lo", loopback->str()));
    for (const auto& [key, value] : contracts::kNodeSysctls)
      throw_if_failed(netlink_.set_sysctl(ns, std::string(key), std::string(value)));
  }
  for (const auto& link : topology.links) {
    throw_if_interrupted(interrupted);
    std::string ns_a = namespace_name(lab_name, link.a.node);
    std::string ns_b = namespace_name(lab_name, link.b.node);
    journal.append({.kind = JournalEntry::Kind::kVeth,
                    .ns = ns_a,
                    .ifname = link.a.ifname,
                    .peer_ns = ns_b,
                    .peer_ifname = link.b.ifname});
    throw_if_failed(netlink_.create_veth({.ns_a = ns_a,
                                          .if_a = link.a.ifname,
                                          .ns_b = ns_b,
                                          .if_b = link.b.ifname,
                                          .mtu = link.mtu}));
    for (const auto* end : {&link.a, &link.b}) {
      std::string ns = namespace_name(lab_name, end->node);
      if (end->address) throw_if_failed(netlink_.add_address(ns, end->ifname, end->address->str()));
      if (link.impairment.any())
        throw_if_failed(netlink_.set_netem(ns, end->ifname, netem_of(link.impairment)));
      throw_if_failed(netlink_.set_link_up(ns, end->ifname, true));
    }
  }
}

void LabManager::down(const std::string& lab_name) {
  std::string dir = lab_dir(lab_name);
  if (!exists(lab_name)) throw LabError(2, "no lab named '" + lab_name + "' (no " + dir + ")");
  auto own = own_entries(Journal::read(dir + "/" + kJournalFile), lab_name);
  for (const auto& why : own.refused)
    logger()->warn("{}: journal entry not the lab's own; left alone: {}", lab_name, why);
  std::vector<std::string> failures;
  // Processes first: a namespace lives on while anything runs inside it. FRR's daemons get
  // SIGKILL at once: they have nothing to save, and their orderly shutdown (zebra removing
  // every route it installed, every daemon freeing its command tree) costs about as much CPU
  // as their start, which on a 300-router lab held the teardown for seconds. The rest (the
  // agents, NSD, unbound) get SIGTERM and one short grace, so an agent can finish its line.
  // Ended is what runs in the lab's namespaces, found by their identity: the recorded
  // programs, the children they forked (NSD's servers), and a daemon started by a
  // controller killed before it could write its record. A recorded pid found elsewhere is
  // not verifiably the lab's (a record naming someone else's process, or a namespace
  // deleted under its programs), so it is named and left alone.
  std::vector<std::string> namespace_paths;
  for (const auto& e : own.namespaces)
    namespace_paths.push_back(std::string(netns::kNetnsRunDir) + "/" + e.ns);
  std::vector<proc::RecordedProcess> running = proc::processes_in_netns(namespace_paths);
  std::set<pid_t> in_lab;
  for (const auto& p : running) in_lab.insert(p.pid);
  for (const auto& e : own.processes) {
    if (!in_lab.contains(e.pid) && proc::recorded_alive({e.pid, e.start_time}))
      logger()->warn("{}: {} on {} (pid {}) runs outside the lab's namespaces; left alone",
                     lab_name, e.what, e.node, e.pid);
  }
  std::map<pid_t, std::string> frr_daemons;  // pid -> daemon
  for (const auto& e : own.processes)
    if (frr::daemon_from_string(e.what)) frr_daemons[e.pid] = e.what;
  std::vector<proc::RecordedProcess> frr_running, others;
  for (const auto& p : running) (frr_daemons.contains(p.pid) ? frr_running : others).push_back(p);
  std::vector<pid_t> not_ours = proc::kill_all_recorded(frr_running);
  for (pid_t pid : proc::terminate_all_recorded(others, std::chrono::milliseconds(100)))
    not_ours.push_back(pid);
  for (pid_t pid : not_ours)
    logger()->warn("{}: pid {} is no longer ours; left alone", lab_name, pid);
  // A daemon keeps its per-thread log buffers in /var/tmp/frr/DAEMON.PID and removes them
  // only on an orderly exit; the ones killed here would leave them behind for good. Only
  // those: a recorded daemon that had died before may have left its pid to another lab's.
  for (const auto& p : frr_running) {
    if (std::find(not_ours.begin(), not_ours.end(), p.pid) != not_ours.end()) continue;
    std::error_code ec;
    fs::remove_all(fmt::format("{}/{}.{}", frr::kFrrTempDir, frr_daemons[p.pid], p.pid), ec);
  }
  // Deleting a namespace destroys the veth ends inside it, and with them their peers.
  for (auto it = own.namespaces.rbegin(); it != own.namespaces.rend(); ++it) {
    netlink_.forget(it->ns);
    auto status = netlink_.delete_namespace(it->ns);
    if (!status) failures.push_back(status.message());
    std::error_code ec;
    fs::remove_all(std::string(frr::kFrrStateDir) + "/" + frr::pathspace(lab_name, it->node), ec);
  }
  if (!failures.empty()) {
    std::string message =
        "lab " + lab_name + ": could not remove everything (state kept in " + dir + "):";
    for (const auto& f : failures) message += "\n  " + f;
    throw LabError(3, message);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) throw LabError(3, "remove " + dir + ": " + ec.message());
  logger()->info("{}: down", lab_name);
}

model::Topology LabManager::topology(const std::string& lab_name) const {
  std::string dir = lab_dir(lab_name);
  if (!exists(lab_name)) throw LabError(2, "no lab named '" + lab_name + "'");
  std::string path = dir + "/" + kTopologyFile;
  for (const char* name : {"topology.clab.yml", "topology.clab.yaml"}) {
    if (fs::exists(dir + "/" + name)) path = dir + "/" + name;
  }
  auto loaded = topology_load::load_topology_file(path, read_load_options(dir));
  if (!loaded.topology) {
    throw LabError(3, "lab " + lab_name + ": its topology copy no longer loads:\n" +
                          model::format_diagnostics(loaded.errors));
  }
  return *loaded.topology;
}

frr::RoutingPlan LabManager::routing_plan(const std::string& lab_name) const {
  auto plan = frr::plan_routing(topology(lab_name));
  for (auto& router : plan.routers) {
    if (!router.user) continue;
    std::string node_dir = node_directory(lab_dir(lab_name), router.node);
    router.user->config = node_dir + "/frr.conf";
    router.user->config_text.reset();
    router.user->daemons = node_dir + "/daemons";
  }
  auto errors = frr::load_user_configs(plan, runner_, "", /*dry_run=*/false);
  if (!errors.empty()) {
    throw LabError(3, "lab " + lab_name + ": its copies of the user's FRR configs do not read:\n" +
                          model::format_diagnostics(errors));
  }
  return plan;
}

void check_user_configs(frr::RoutingPlan& plan, proc::ProcessRunner& runner) {
  if (!has_user_routers(plan)) return;
  std::string scratch = (fs::temp_directory_path() / "blastlab-check-XXXXXX").string();
  if (::mkdtemp(scratch.data()) == nullptr) {
    throw LabError(3, "create a directory for FRR's dry run in " +
                          fs::temp_directory_path().string() + ": " + std::strerror(errno));
  }
  auto errors = frr::load_user_configs(plan, runner, scratch);
  std::error_code ec;
  fs::remove_all(scratch, ec);
  if (!errors.empty()) throw LabError(2, model::format_diagnostics(errors));
}

LabStatus LabManager::status(const std::string& lab_name) {
  auto topo = topology(lab_name);
  LabStatus status;
  status.name = lab_name;
  std::ifstream source(lab_dir(lab_name) + "/" + kSourceFile);
  std::getline(source, status.topology);
  status.state = "unknown";
  auto entries = Journal::read(lab_dir(lab_name) + "/" + kJournalFile);
  for (const auto& e : entries) {
    if (e.kind == JournalEntry::Kind::kStatus) status.state = e.what;
  }
  std::set<std::string> present;  // nodes whose namespace exists; their links are looked at
  for (const auto& node : topo.nodes) {
    std::string ns = namespace_name(lab_name, node.name);
    bool exists = netlink_.namespace_exists(ns);
    if (exists) present.insert(node.name);
    status.nodes.push_back({node.name, std::string(model::to_string(node.role)), ns, exists});
  }
  for (auto& [node, process] : process_statuses(entries)) {
    for (auto& n : status.nodes)
      if (n.name == node) n.processes.push_back(process);
  }
  for (const auto& link : topo.links) {
    LinkStatus ls;
    for (auto [end, out] : {std::pair{&link.a, &ls.a}, std::pair{&link.b, &ls.b}}) {
      out->node = end->node;
      out->ifname = end->ifname;
      out->address = end->address ? end->address->str() : "";
      if (!present.count(end->node)) continue;
      if (auto info = netlink_.link_info(namespace_name(lab_name, end->node), end->ifname)) {
        out->present = true;
        out->admin_up = info->admin_up;
        out->carrier = info->carrier;
        out->netem = info->netem;
      }
    }
    status.links.push_back(ls);
  }
  return status;
}

std::vector<const model::Link*> LabManager::find_links(const model::Topology& topology,
                                                       const std::string& a,
                                                       const std::string& b) const {
  auto want_a = split_endpoint(a);
  auto want_b = split_endpoint(b);
  for (const auto& name : {want_a.first, want_b.first}) {
    if (!topology.find_node(name)) throw LabError(2, "no node named '" + name + "' in this lab");
  }
  std::vector<const model::Link*> found;
  for (const auto& link : topology.links) {
    if ((matches(link.a, want_a) && matches(link.b, want_b)) ||
        (matches(link.a, want_b) && matches(link.b, want_a)))
      found.push_back(&link);
  }
  if (found.empty()) throw LabError(2, "no link between " + a + " and " + b);
  return found;
}

void LabManager::set_link(const std::string& lab_name, const std::string& a, const std::string& b,
                          bool up) {
  auto topo = topology(lab_name);
  for (const auto* link : find_links(topo, a, b)) {
    for (const auto* end : {&link->a, &link->b}) {
      throw_if_failed(netlink_.set_link_up(namespace_name(lab_name, end->node), end->ifname, up));
    }
    for (const auto* end : {&link->a, &link->b}) {
      const model::Node* node = topo.find_node(end->node);
      if (up && node && !node->exec.empty())
        reapply_exec_addresses_and_routes(netlink_, namespace_name(lab_name, end->node), *node);
    }
    logger()->info("{}: link {}:{} - {}:{} {}", lab_name, link->a.node, link->a.ifname,
                   link->b.node, link->b.ifname, up ? "up" : "down");
  }
}

void LabManager::set_netem(const std::string& lab_name, const std::string& a, const std::string& b,
                           const netns::NetemSpec& spec) {
  auto topo = topology(lab_name);
  for (const auto* link : find_links(topo, a, b)) {
    for (const auto* end : {&link->a, &link->b}) {
      throw_if_failed(netlink_.set_netem(namespace_name(lab_name, end->node), end->ifname, spec));
    }
  }
}

proc::RecordedProcess LabManager::start_process(const std::string& lab_name,
                                                const std::string& node, const std::string& what,
                                                std::vector<std::string> argv) {
  std::string dir = lab_dir(lab_name);
  Journal journal(dir + "/" + kJournalFile);
  return Launcher(netlink_, runner_, journal, lab_name, dir).start(node, what, std::move(argv));
}

void LabManager::end_process(const std::string& lab_name, const std::string& node,
                             const std::string& what, const proc::RecordedProcess& process,
                             std::chrono::milliseconds grace) {
  for (pid_t pid : proc::terminate_all_recorded({process}, grace))
    logger()->warn("{}: {} pid {} is no longer ours; left alone", lab_name, what, pid);
  Journal(lab_dir(lab_name) + "/" + kJournalFile)
      .append({.kind = JournalEntry::Kind::kEnded,
               .ns = namespace_name(lab_name, node),
               .node = node,
               .pid = process.pid,
               .start_time = process.start_time,
               .what = what});
}

void LabManager::stop_node(const std::string& lab_name, const std::string& node,
                           std::chrono::milliseconds grace,
                           const std::vector<proc::RecordedProcess>& spare) {
  std::string ns = namespace_name(lab_name, node);
  // Recorded processes and what they forked (NSD's servers), by the namespace's identity.
  std::vector<proc::RecordedProcess> running =
      proc::processes_in_netns({std::string(netns::kNetnsRunDir) + "/" + ns});
  std::erase_if(running, [&](const proc::RecordedProcess& p) {
    return std::any_of(spare.begin(), spare.end(), [&](const proc::RecordedProcess& s) {
      return s.pid == p.pid && s.start_time == p.start_time;
    });
  });
  for (pid_t pid : proc::terminate_all_recorded(running, grace))
    logger()->warn("{}: pid {} on {} is no longer ours; left alone", lab_name, pid, node);
  logger()->info("{}: stopped {} ({} process(es))", lab_name, node, running.size());
}

void LabManager::start_node(const std::string& lab_name, const std::string& node) {
  auto topo = topology(lab_name);
  if (!topo.find_node(node)) throw LabError(2, "lab " + lab_name + " has no node " + node);
  std::string dir = lab_dir(lab_name);
  Journal journal(dir + "/" + kJournalFile);
  Launcher(netlink_, runner_, journal, lab_name, dir)
      .restart_node(topo, routing_plan(lab_name), node);
  logger()->info("{}: started {} again", lab_name, node);
}

namespace {

// The last few non-empty lines of a file, each indented under the process it came from;
// empty when the file is absent or empty. The lab directory goes when a bring-up fails,
// so what a dead process said last must travel in the message.
std::string last_lines(const std::string& path, size_t count) {
  std::ifstream in(path);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    lines.push_back(line.size() > 200 ? line.substr(0, 200) + "..." : line);
    if (lines.size() > count) lines.pop_front();
  }
  std::string out;
  for (const auto& line : lines) out += "\n        " + line;
  return out;
}

}  // namespace

std::vector<std::string> LabManager::dead_processes(const std::string& lab_name) const {
  std::vector<std::string> dead;
  for (const auto& [node, p] : processes(lab_name)) {
    if (p.running) continue;
    std::string item = fmt::format("{} on {} (pid {})", p.what, node, p.pid);
    std::string node_dir = node_directory(lab_dir(lab_name), node);
    for (const char* suffix : {".out", ".log"}) {
      std::string path = node_dir + "/" + p.what + suffix;
      if (std::string said = last_lines(path, 3); !said.empty())
        item += fmt::format("\n      last lines of {}:{}", p.what + suffix, said);
    }
    dead.push_back(item);
  }
  return dead;
}

LabManager::ConvergenceView LabManager::check_convergence(const std::string& lab_name,
                                                          const frr::RoutingPlan& plan) {
  auto& cached = checkers_[{lab_name, &plan}];
  if (!cached) {
    cached = std::make_unique<CachedChecker>(
        CachedChecker{std::make_unique<frr::Vtysh>(runner_, lab_dir(lab_name)), {}, nullptr});
    cached->checker =
        std::make_unique<ConvergenceChecker>(netlink_, *cached->vtysh, lab_name, plan,
                                             [this, lab_name] { return dead_processes(lab_name); });
    if (has_user_routers(plan)) {
      cached->topology = topology(lab_name);
      cached->checker->check_user_network(cached->topology, UpOptions{}.settle);
    }
  }
  auto report = cached->checker->check(false);
  return {report.converged(), report.converged() ? "" : report.describe()};
}

}  // namespace blastlab::lab
