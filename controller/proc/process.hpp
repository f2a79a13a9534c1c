// Child processes, started optionally inside a named network namespace. This folder is the
// only place in the controller that starts processes; Boost.Process stays inside
// process.cpp so its slow headers are compiled once. `ProcessRunner` is the seam that tests
// replace with a fake.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace blastlab::proc {

struct Command {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no '/'
  std::string netns;              // a name under /run/netns; empty: the caller's namespace
  std::vector<std::pair<std::string, std::string>> env;  // added to the inherited environment
  std::string stdout_path;                               // empty: inherit (start) or capture (run)
  std::string stderr_path;                               // empty: inherit (start) or capture (run)
  bool new_session = false;  // setsid(): the child outlives a Ctrl-C at the controller's terminal
  // RLIMIT_NOFILE (soft and hard) for the child; 0: inherited. FRR sizes its event loops'
  // arrays by it (frr/daemons.hpp).
  unsigned long max_open_files = 0;
};

struct RunResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  bool timed_out = false;
  std::string out;  // captured stdout, when stdout_path was empty
  std::string err;  // captured stderr, when stderr_path was empty
};

// A started child. It is killed (SIGTERM, then SIGKILL) when the owner goes out of scope,
// unless release() handed it over to someone who tracks it by pid (the lab's records).
class Process {
 public:
  virtual ~Process() = default;
  virtual pid_t pid() const = 0;
  virtual bool running() = 0;
  // Waits until the child exits or the timeout passes; returns its exit code, or nullopt on
  // timeout.
  virtual std::optional<int> wait_for(std::chrono::milliseconds timeout) = 0;
  virtual int wait() = 0;
  virtual void release() = 0;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs to completion (killed after timeout), capturing what it prints unless the command
  // names files for it.
  virtual RunResult run(const Command& command, std::chrono::milliseconds timeout) = 0;
  // Starts and returns at once. Throws std::runtime_error naming the command if it cannot
  // be started (missing program, missing namespace).
  virtual std::unique_ptr<Process> start(const Command& command) = 0;
};

std::unique_ptr<ProcessRunner> make_process_runner();

// Ends a process the lab recorded: SIGTERM, then SIGKILL after grace. Refuses (returns
// false) when the pid now belongs to another program, detected by its start time, so a
// recycled pid is never signalled. start_time is /proc/PID/stat field 22; 0 skips the check.
bool terminate_recorded(pid_t pid, unsigned long long start_time, std::chrono::milliseconds grace);
struct RecordedProcess {
  pid_t pid = 0;
  unsigned long long start_time = 0;
};
// terminate_recorded for many at once: SIGTERM to every one still ours, one shared grace
// period, then SIGKILL to the rest, so ending a lab of hundreds of daemons takes one grace
// period, not hundreds. Returns the pids left alone because they are no longer ours.
std::vector<pid_t> terminate_all_recorded(const std::vector<RecordedProcess>& processes,
                                          std::chrono::milliseconds grace);
// The same without the grace: SIGKILL at once to every one still ours, for processes with
// nothing to save whose orderly shutdown would only cost time. Returns the pids left alone.
std::vector<pid_t> kill_all_recorded(const std::vector<RecordedProcess>& processes);
// True while the recorded process runs: same start time, and not a zombie.
bool recorded_alive(const RecordedProcess& process);
// Every process whose network namespace is one of those bound at netns_paths
// (/run/netns/NAME), found in one pass over /proc by the namespaces' identity (device and
// inode), never by a name.
std::vector<RecordedProcess> processes_in_netns(const std::vector<std::string>& netns_paths);
// /proc/PID/stat field 22 (start time in clock ticks since boot), or 0 if there is no pid.
unsigned long long process_start_time(pid_t pid);

std::string describe(const Command& command);  // "ping -c1 198.19.0.1 (ns lab1.bb1)"

}  // namespace blastlab::proc
