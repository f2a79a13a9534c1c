// A lab is a topology realised on this host: one network namespace per node, one veth pair
// per link, addresses, impairments, and (later) the daemons inside. `LabManager` brings labs
// up and down, reports their status and changes their links. Everything it creates is
// first written to the lab's journal under the run directory (/run/blastlab/LAB/), so a lab
// is always removable, whatever happened to the controller that built it.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "controller/frr/plan.hpp"
#include "controller/model/topology.hpp"
#include "controller/netns/netlink.hpp"
#include "controller/proc/process.hpp"
#include "controller/topology_load/topology_load.hpp"

namespace blastlab::lab {

inline constexpr const char* kDefaultRunDir = "/run/blastlab";

// The one fatal error type of the lab layer, carrying the exit code the CLI returns
// (2 bad input, 3 environment or runtime failure). Caught only in main.
class LabError : public std::runtime_error {
 public:
  LabError(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// The lab's two ways out of a step: a fabric (netlink) failure is an environment failure,
// exit 3, with the fabric's message; Ctrl-C during `up` is exit 130.
inline void throw_if_failed(const netns::Status& status) {
  if (!status) throw LabError(3, status.message());
}
inline void throw_if_interrupted(const std::atomic<bool>* interrupted) {
  if (interrupted && interrupted->load()) throw LabError(130, "interrupted");
}

struct ProcessStatus {
  std::string what;  // "bgpd", "nsd", "healthd", ...
  pid_t pid = 0;
  bool running = false;
};

struct NodeStatus {
  std::string name;
  std::string role;
  std::string ns;
  bool present = false;  // the namespace exists
  std::vector<ProcessStatus> processes;
};

struct UpOptions {
  bool wait = true;  // wait for convergence before returning
  std::chrono::milliseconds timeout{60000};
  bool keep_on_failure = false;  // leave a lab that did not converge up for inspection
  // A lab with the user's own routers is converged once, with everything else in place,
  // every node's routes have held still this long (converge.hpp).
  std::chrono::milliseconds settle{2000};
  // How the topology was loaded; the lab keeps it (and a copy of the overlay) so that its
  // copy of the topology reloads the same way. An empty base directory is the file's own.
  topology_load::LoadOptions load;
  // The topology as YAML when the lab is not built from the file as written (a drill's
  // `topology-set`): kept as the lab's copy instead of the file, so that later commands
  // reload what the lab runs; its relative paths are the file's. Empty: the file is copied.
  std::string topology_text;
};

struct LinkEndStatus {
  std::string node;
  std::string ifname;
  std::string address;
  bool present = false;
  bool admin_up = false;
  bool carrier = false;
  std::optional<netns::NetemSpec> netem;
};

struct LinkStatus {
  LinkEndStatus a;
  LinkEndStatus b;
  bool up() const { return a.admin_up && b.admin_up && a.carrier && b.carrier; }
};

struct LabStatus {
  std::string name;
  std::string topology;  // the file it was built from
  std::string state;     // "building", "up", "tearing-down"
  std::vector<NodeStatus> nodes;
  std::vector<LinkStatus> links;
  // Every namespace present, every link up on both ends, every recorded process running.
  bool healthy() const;
};

// How a lab's namespace is named: "<lab>.<node>". A dot is allowed in neither lab nor node
// names, so two labs never produce the same namespace name.
std::string namespace_name(const std::string& lab, const std::string& node);

// The names a command is given are checked before they become paths or namespace names:
// blastlab runs as root, and `down ../../etc` must never reach /etc. Each throws
// LabError(2) saying what a name may be (model::is_valid_lab_name, is_valid_node_name).
// An endpoint is "node" or "node:ifname"; only its node becomes part of a name.
void check_lab_name(const std::string& name);
void check_node_name(const std::string& name);
void check_endpoint(const std::string& endpoint);
// "node" or "node:ifname" as {node, ifname}; ifname is empty when there is no ':'.
std::pair<std::string, std::string> split_endpoint(const std::string& endpoint);

// Reads each user router's config and daemons into the plan and puts the config through
// FRR's dry run; throws LabError(2) naming every refused line at its file and line. `up`
// does it before it builds anything, `validate` too.
void check_user_configs(frr::RoutingPlan& plan, proc::ProcessRunner& runner);

// Where a bring-up's time went, each phase from the end of the one before: building the
// namespaces and links, starting every node's programs, and (when waited for) from their
// start until routing had converged.
struct UpTimes {
  std::chrono::milliseconds build{0};
  std::chrono::milliseconds start{0};
  std::chrono::milliseconds converge{0};  // 0 when not waited for
};

class LabManager {
 public:
  LabManager(netns::Netlink& netlink, proc::ProcessRunner& runner,
             std::string run_dir = kDefaultRunDir);
  ~LabManager();

  // Builds the lab, starts its daemons and (by default) waits until routing has converged.
  // On any failure, or when *interrupted becomes true (Ctrl-C), removes what it built and
  // throws LabError. The topology file is copied into the lab directory so later commands
  // need only the lab name. Returns where the time went.
  UpTimes up(const model::Topology& topology, const std::string& topology_path,
             const std::string& lab_name, const UpOptions& options = {},
             const std::atomic<bool>* interrupted = nullptr);

  // Removes what the lab's journal names that is the lab's own (own_entries: other entries
  // are logged and left alone), then the lab directory. Removing a lab that is half-built
  // or whose things are already gone is fine.
  void down(const std::string& lab_name);

  // Labs with a directory under the run dir. A directory whose name is not a lab name (or a
  // symbolic link) is no lab of ours: it is left out, with a warning.
  std::vector<std::string> labs() const;
  bool exists(const std::string& lab_name) const;
  LabStatus status(const std::string& lab_name);

  // Changes every link between node_a and node_b (or the one named "node:ifname").
  void set_link(const std::string& lab_name, const std::string& a, const std::string& b, bool up);
  void set_netem(const std::string& lab_name, const std::string& a, const std::string& b,
                 const netns::NetemSpec& spec);

  // Starts a program in a node's namespace and records it in the lab's journal, so that
  // `down` ends it (the measurement agents of a run).
  proc::RecordedProcess start_process(const std::string& lab_name, const std::string& node,
                                      const std::string& what, std::vector<std::string> argv);
  // Ends a process start_process() started (SIGTERM, then SIGKILL after `grace`) and
  // records that it ended on purpose, so status does not report it dead.
  void end_process(const std::string& lab_name, const std::string& node, const std::string& what,
                   const proc::RecordedProcess& process, std::chrono::milliseconds grace);
  // Ends every process in the node's namespace (SIGTERM, then SIGKILL after `grace`): the
  // node goes dark as a crashed router does; its links stay as they are. `spare` are left
  // running: a run's measurement agents, which watch the node rather than belong to it.
  void stop_node(const std::string& lab_name, const std::string& node,
                 std::chrono::milliseconds grace = std::chrono::milliseconds(1000),
                 const std::vector<proc::RecordedProcess>& spare = {});
  // Starts a stopped node's programs again, FRR's daemons first, then its services.
  void start_node(const std::string& lab_name, const std::string& node);
  // One look at the lab's convergence, as `up` waits for it; `plan` is the lab's routing
  // plan (frr::plan_routing of its topology), made once by a caller that looks often.
  struct ConvergenceView {
    bool converged = false;
    std::string seen;  // what is missing, when not converged
  };
  ConvergenceView check_convergence(const std::string& lab_name, const frr::RoutingPlan& plan);

  // The routing plan of a lab that is up: its topology's, with each user router's config
  // and daemons as the lab started them (the copies in its node directory).
  frr::RoutingPlan routing_plan(const std::string& lab_name) const;
  // The topology the lab was built from, reloaded from its copy in the lab directory as it
  // was first loaded (reader by the copy's suffix, the original's directory, the options).
  model::Topology topology(const std::string& lab_name) const;
  // RUN_DIR/LAB; throws LabError(2) for a name that is not a lab name, so no path is ever
  // made of one.
  std::string lab_dir(const std::string& lab_name) const;
  // The processes the lab's journal records, with whether each still runs.
  std::vector<std::pair<std::string, ProcessStatus>> processes(const std::string& lab_name) const;

 private:
  // "bgpd on pop1 (pid 123)" for each recorded program that no longer runs.
  std::vector<std::string> dead_processes(const std::string& lab_name) const;
  void build(const model::Topology& topology, const std::string& lab_name, class Journal& journal,
             const std::atomic<bool>* interrupted);
  std::vector<const model::Link*> find_links(const model::Topology& topology, const std::string& a,
                                             const std::string& b) const;

  netns::Netlink& netlink_;
  proc::ProcessRunner& runner_;
  std::string run_dir_;
  // check_convergence's checkers, one per lab and plan: a user network's settle time counts
  // across looks.
  struct CachedChecker;
  std::map<std::pair<std::string, const frr::RoutingPlan*>, std::unique_ptr<CachedChecker>>
      checkers_;
};

}  // namespace blastlab::lab
