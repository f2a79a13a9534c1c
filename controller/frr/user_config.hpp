// A node's own FRR configuration, as the user wrote it: which daemons it runs, whether FRR
// accepts it, and the one text the lab applies.
//
// FRR with an integrated frr.conf starts its daemons without a configuration and then has
// vtysh send them the file (frrinit.sh's `vtysh -b`); the lab does the same, with vtysh
// -f, so the config runs as FRR itself would run it. What the lab changes is only where the
// daemons log: each daemon starts with its own log file in the node's directory and
// microsecond timestamps (the run's BGP events are read from those logs), and the user's
// own log destinations (`log file`, `log syslog`, `log stdout`, `log timestamp precision`)
// are left out of what is applied, so no daemon writes to the host's /var/log or syslog.
// `blastlab config` shows the user's file and says which lines the lab left out.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/frr/plan.hpp"
#include "controller/model/diagnostic.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::frr {

// In a user router's node directory: the text the lab applies with vtysh -f.
inline constexpr const char* kLabConfigFile = "lab-frr.conf";

// FRR's daemons file (/etc/frr/daemons): `bgpd=yes` lines. zebra and staticd always run,
// as FRR's own start script runs them; every other daemon runs when its line says yes.
// Options lines (`bgpd_options=...`, `vtysh_enable`, `watchfrr_options`, `MAX_FDS`,
// `frr_profile`) are FRR's start script's business and are ignored; a line that is neither
// is an error at its line and column.
struct DaemonsFile {
  std::vector<Daemon> daemons;  // in start order, zebra first
  std::vector<model::Diagnostic> errors;
};
DaemonsFile parse_daemons_file(std::string_view text, const std::string& file_name);

// The daemons a config without a daemons file needs: zebra and staticd, and the daemon of
// every routing block it has (`router bgp` bgpd, `router ospf` ospfd, `router isis` isisd, ...).
std::vector<Daemon> daemons_for_config(std::string_view config);

// The text the lab applies: the user's config without its log destination lines. `dropped`
// gets each line left out, as "line 3: log file /var/log/frr/frr.log".
std::string lab_config(std::string_view user_config, std::vector<std::string>* dropped);

// What `blastlab config` prints above a user router's own config: where it came from, and
// every line the lab adds or leaves out, as `!` comments (the whole stays a valid config).
std::string describe_lab_changes(std::string_view user_config, const std::string& source,
                                 const std::string& node, const std::string& node_dir,
                                 const std::string& pathspace, const std::vector<Daemon>& daemons);

// The name a config's `hostname` line gives, if it has one.
std::optional<std::string> config_hostname(std::string_view config);

// FRR's own check of a configuration: `vtysh --dryrun -f FILE`, which parses every line
// with every daemon's commands and exits non-zero naming the lines it refuses. Each refusal
// becomes a diagnostic at file_name:LINE (LINE shifted by first_line - 1 for a config given
// inline in another file). scratch_dir is where the check may write its files.
std::vector<model::Diagnostic> check_config(proc::ProcessRunner& runner, std::string_view text,
                                            const std::string& file_name, int first_line,
                                            const std::string& scratch_dir);

// Reads, checks and completes the user configurations of a routing plan: each router with
// a `user` config gets its text read (user->config_text), its daemons (from its daemons
// file, else from the config), and the text checked by FRR's dry run. Returns every problem
// found, in node order; the plan is complete when there are none. Without dry_run the texts
// are not checked (a lab's own copies, checked when it came up).
std::vector<model::Diagnostic> load_user_configs(RoutingPlan& plan, proc::ProcessRunner& runner,
                                                 const std::string& scratch_dir,
                                                 bool dry_run = true);

}  // namespace blastlab::frr
