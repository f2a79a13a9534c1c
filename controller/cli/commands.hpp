// The CLI's subcommands, one function each: flags in, exit code out. They throw
// lab::LabError for failures that carry their own exit code; main() prints it.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blastlab::cli {

// How a topology file is read (every command that takes one): `--trust-exec` keeps exec
// lines blastlab does not understand, `--overlay FILE` gives nodes measurement roles.
struct TopologyFlags {
  bool trust_exec = false;
  std::string overlay;
};

struct ValidateArgs {
  std::string file;
  std::string script;  // optional: a change script checked against the topology
  bool show_plan = false;
  TopologyFlags topology_flags;
};
// `blastlab graph`: the lab's graph as text, on stdout or into --out.
struct GraphArgs {
  std::string topology;
  std::string format = "dot";  // dot, mermaid or d2 (CLI11 checks it)
  std::string out;             // empty: stdout
  TopologyFlags topology_flags;
};
struct UpArgs {
  std::string topology;
  std::string name;
  std::string timeout = "60s";  // for convergence
  std::string settle;           // empty: UpOptions' default
  bool no_wait = false;
  bool keep_on_failure = false;
  TopologyFlags topology_flags;
};
// `blastlab export clab`: the lab as a containerlab topology in `out`.
struct ExportArgs {
  std::string topology;
  std::string out;
  std::string name;        // the containerlab lab's name; default: the topology's
  std::string frr_image;   // default: clab_export::kFrrImage
  std::string node_image;  // default: clab_export::kNodeImage
  TopologyFlags topology_flags;
};
struct DownArgs {
  std::string lab;
  bool all = false;
};
struct StatusArgs {
  std::string lab;
  bool json = false;
};
struct ExecArgs {
  std::string lab;
  std::string node;
  std::vector<std::string> command;
};
struct ConfigArgs {
  std::string lab;
  std::string node;
};
struct VtyshArgs {
  std::string lab;
  std::string node;
  std::vector<std::string> commands;  // -c, in order; none: an interactive vtysh
};
struct CaptureArgs {
  std::string lab;
  std::string target;  // "node" (every interface) or "node:ifname"
  std::string out;     // -w: a file, or "-" for stdout
  std::optional<std::int64_t> count;
  std::string duration;  // neither this nor count: capture::kDefaultDuration
  std::int64_t snaplen = 262144;
};
struct LinkArgs {
  std::string lab;
  std::string a;
  std::string b;
  std::string state;
};
struct NetemArgs {
  std::string lab;
  std::string a;
  std::string b;
  std::string delay;
  std::string jitter;
  std::string loss;
  std::string rate;
  bool clear = false;
};

struct RunArgs {
  std::string topology;
  std::string script;
  std::string out;   // default runs/SCRIPT-DATE-TIME
  std::string name;  // lab name; default: the topology's
  std::string timeout = "60s";
  bool keep = false;
  TopologyFlags topology_flags;
};

struct CompareArgs {
  std::string variants;
  std::string out;   // default runs/NAME-DATE-TIME
  std::string name;  // lab name; default: the first variant's topology's
  std::string timeout = "60s";
  std::vector<std::string> only;
  TopologyFlags topology_flags;
};

struct GateArgs {
  std::string topology;
  std::string candidate;
  std::string policy;  // empty: the default policy
  std::string out;     // default runs/gate-DATE-TIME
  std::string name;    // lab name; default: the topology's
  std::string timeout = "60s";
  bool predict_only = false;
  bool keep = false;
  TopologyFlags topology_flags;
};

// `blastlab drill ACTION`: start takes the drill file; the others the lab (--name, or the
// one lab running a drill).
struct DrillArgs {
  std::string action;  // start, status, hint, check, end, reveal
  std::string drill;   // start: the drill file
  std::string name;
  std::optional<std::uint64_t> seed;
  std::string timeout = "120s";  // start: for convergence
  std::string out;               // end: default runs/drill-NAME-DATE-TIME
  bool keep = false;             // end: leave the lab up
};

int run_validate(const ValidateArgs& args);
int run_graph(const GraphArgs& args);
// 0 written, 2 bad input (the topology, a name the export cannot use, an --out that holds
// something), 3 the files could not be written.
int run_export(const ExportArgs& args);
// 0 done (check: restored; end: restored within the limit), 1 check: not restored, end:
// not restored in time, 2 bad input, 3 the lab failed or the measurement is incomplete.
int run_drill(const DrillArgs& args, const std::atomic<bool>* interrupted);
// `aborted` is set by a second Ctrl-C: the rollbacks a first one runs are skipped too.
int run_run(const RunArgs& args, const std::atomic<bool>* interrupted,
            const std::atomic<bool>* aborted = nullptr);
// `blastlab gate`: 0 pass, 1 blocked, 2 bad input, 3 the lab failed or the run is incomplete.
int run_gate(const GateArgs& args, const std::atomic<bool>* interrupted,
             const std::atomic<bool>* aborted);
int run_compare(const CompareArgs& args, const std::atomic<bool>* interrupted,
                const std::atomic<bool>* aborted = nullptr);
int run_up(const UpArgs& args, const std::atomic<bool>* interrupted);
int run_down(const DownArgs& args);
int run_status(const StatusArgs& args);
int run_exec(const ExecArgs& args);
int run_link(const LinkArgs& args);
int run_config(const ConfigArgs& args);
int run_vtysh(const VtyshArgs& args);
int run_netem(const NetemArgs& args);
// Ctrl-C (*interrupted) ends the capture like its bounds do: the file is complete, exit 0.
int run_capture(const CaptureArgs& args, const std::atomic<bool>* interrupted);

}  // namespace blastlab::cli
