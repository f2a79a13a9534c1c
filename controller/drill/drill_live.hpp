// A drill on a live lab, across the trainee's commands. `drill start` brings the drill's
// lab up, starts its probes (detached, recorded in the lab's journal, so they outlive the
// command), keeps every router's running configuration, injects the fault with the
// change-script executor, keeps the configurations again and prints the briefing. The
// state of the drill (the fault picked, the seed, the probes' pids, the hints taken, the
// checks made) is kept in LAB_DIR/drill/state.json; the commands the trainee changes the
// lab with (`vtysh`, `exec`, `link`, `netem`) append to LAB_DIR/drill/changes.jsonl, which
// the report draws as markers. `drill end` stops the clock, checks the lab a last time,
// stops the probes, scores the drill and writes its report.
//
// Where the times are taken: the fault's moment is when the executor starts its first
// step; a check's moment is when `drill check` (or `end`) looked at the lab, so the time
// to restore is counted to the first of the passing checks that last to the end, not to
// the moment the routes came back (the trainee's restoration counts once verified).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "controller/lab/lab.hpp"
#include "controller/netns/netlink.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::drill {

// The lab layer a drill command works on.
struct LiveContext {
  lab::LabManager& labs;
  netns::Netlink& netlink;
  proc::ProcessRunner& runner;
};

struct StartOptions {
  std::string drill_path;
  std::optional<uint64_t> seed;  // none: a random one, kept in the state and the report
  std::string lab_name;          // empty: the drill's name
  std::chrono::milliseconds up_timeout{120000};
};

// 0 once the fault is in and the briefing printed; LabError(2) for a bad drill file or a
// lab name in use, LabError(3) when the lab or the injection fails (the lab is removed).
int drill_start(const StartOptions& options, LiveContext live, const std::atomic<bool>* interrupted,
                std::ostream& out);
// The symptoms as a user sees them: elapsed time, DNS success per client over the last
// 10 s, the watched prefixes at each vantage point, the sites announcing, the probes'
// health. Never the fault.
int drill_status(const std::string& lab_name, LiveContext live, std::ostream& out);
// The next hint not yet taken, and what it costs; taking it is recorded.
int drill_hint(const std::string& lab_name, LiveContext live, std::ostream& out);
// 0 when every `restored` condition holds, 1 naming those that do not.
int drill_check(const std::string& lab_name, LiveContext live, std::ostream& out);

struct EndOptions {
  std::string lab_name;
  std::string out_dir;
  bool keep = false;  // leave the lab up afterwards
};
// Scores the drill and writes drill-report.{txt,json,html} and events.jsonl into out_dir;
// prints the text report. 0 when restored within the limit, 1 when not, 3 when the
// measurement is incomplete (a probe died or wrote nothing).
int drill_end(const EndOptions& options, LiveContext live, std::ostream& out);
// For the instructor: the fault put in, its steps and the reveal text.
int drill_reveal(const std::string& lab_name, LiveContext live, std::ostream& out);

// Whether the lab runs a drill that has not ended.
bool drill_running(const lab::LabManager& labs, const std::string& lab_name);
// Records a change the trainee made to a lab running a drill (a marker on the report's
// timeline), stamped now; nothing for a lab without a drill.
void record_change(const lab::LabManager& labs, const std::string& lab_name,
                   const std::string& text);
// The change a vtysh session made to a node's running configuration, as one marker text
// ("vtysh on pop3: + interface eth1 > no shutdown"), or empty when it changed nothing.
std::string config_change_text(const std::string& node, const std::string& before,
                               const std::string& after);

}  // namespace blastlab::drill
