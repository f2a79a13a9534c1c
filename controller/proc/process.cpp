#include "controller/proc/process.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "controller/files/safe_write.hpp"
#include "controller/files/unique_fd.hpp"

namespace bp = boost::process;

namespace blastlab::proc {
namespace {

using Clock = std::chrono::steady_clock;

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Polls waitpid with a short, growing sleep. Boost.Process only launches: the controller
// reaps its children itself so a pid is never signalled after it was reaped.
std::optional<int> wait_pid(pid_t pid, std::optional<Clock::time_point> deadline) {
  auto pause = std::chrono::microseconds(200);
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return decode_wait_status(status);
    if (r < 0 && errno != EINTR) return -1;
    if (deadline && Clock::now() >= *deadline) return std::nullopt;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(10000));
  }
}

void kill_and_reap(pid_t pid, std::chrono::milliseconds grace) {
  ::kill(pid, SIGTERM);
  if (wait_pid(pid, Clock::now() + grace)) return;
  ::kill(pid, SIGKILL);
  wait_pid(pid, std::nullopt);
}

// Everything the child needs after fork, prepared before it so the child only makes
// async-signal-safe calls.
struct ChildSetup {
  int netns_fd = -1;
  bool new_session = false;
  bool null_stdin = false;
  unsigned long max_open_files = 0;
  std::string stdout_path;
  std::string stderr_path;

  template <class Executor>
  void operator()(Executor& exec) const {
    if (new_session) ::setsid();
    if (netns_fd >= 0 && ::setns(netns_fd, CLONE_NEWNET) != 0) {
      exec.set_error(std::error_code(errno, std::system_category()), "setns");
      return;
    }
    if (max_open_files != 0) {
      rlimit limit{.rlim_cur = max_open_files, .rlim_max = max_open_files};
      if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        exec.set_error(std::error_code(errno, std::system_category()), "setrlimit");
        return;
      }
    }
    if (null_stdin) redirect(::open("/dev/null", O_RDONLY), STDIN_FILENO, exec);
    // Output files are in a node's directory, which FRR's user owns: never through a link.
    if (!stdout_path.empty())
      redirect(files::open_for_append(stdout_path.c_str()), STDOUT_FILENO, exec);
    if (!stderr_path.empty())
      redirect(files::open_for_append(stderr_path.c_str()), STDERR_FILENO, exec);
  }

  template <class Executor>
  static void redirect(int fd, int target, Executor& exec) {
    if (fd < 0) {
      exec.set_error(std::error_code(errno, std::system_category()), "open output file");
      return;
    }
    ::dup2(fd, target);
    ::close(fd);
  }
};

pid_t launch(const Command& command, const ChildSetup& setup) {
  if (command.argv.empty()) throw std::runtime_error("start process: empty command");
  boost::filesystem::path exe = command.argv[0];
  if (command.argv[0].find('/') == std::string::npos) {
    exe = bp::search_path(command.argv[0]);
    if (exe.empty())
      throw std::runtime_error("start " + describe(command) + ": program '" + command.argv[0] +
                               "' not found on PATH");
  }
  std::vector<std::string> args(command.argv.begin() + 1, command.argv.end());
  bp::environment env = boost::this_process::environment();
  for (const auto& [key, value] : command.env) env[key] = value;
  try {
    bp::child child(exe, bp::args(args), env, bp::extend::on_exec_setup(setup));
    pid_t pid = child.id();
    child.detach();
    return pid;
  } catch (const bp::process_error& e) {
    throw std::runtime_error("start " + describe(command) + ": " + e.what());
  }
}

ChildSetup prepare(const Command& command, files::UniqueFd& netns_fd) {
  ChildSetup setup;
  setup.netns_fd = netns_fd.get();
  setup.new_session = command.new_session;
  setup.max_open_files = command.max_open_files;
  setup.stdout_path = command.stdout_path;
  setup.stderr_path = command.stderr_path;
  return setup;
}

int open_netns(const Command& command) {
  if (command.netns.empty()) return -1;
  std::string path = "/run/netns/" + command.netns;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error("start " + describe(command) + ": open " + path + ": " +
                             std::strerror(errno));
  return fd;
}

class ChildProcess final : public Process {
 public:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  ~ChildProcess() override {
    if (!released_ && !exit_code_) kill_and_reap(pid_, std::chrono::milliseconds(2000));
  }
  pid_t pid() const override { return pid_; }
  bool running() override { return !wait_for(std::chrono::milliseconds(0)).has_value(); }
  std::optional<int> wait_for(std::chrono::milliseconds timeout) override {
    if (!exit_code_) exit_code_ = wait_pid(pid_, Clock::now() + timeout);
    return exit_code_;
  }
  int wait() override {
    if (!exit_code_) exit_code_ = wait_pid(pid_, std::nullopt);
    return *exit_code_;
  }
  void release() override { released_ = true; }

 private:
  pid_t pid_;
  bool released_ = false;
  std::optional<int> exit_code_;
};

std::string read_and_remove(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  ::unlink(path.c_str());
  return buffer.str();
}

std::string temp_file(const char* what) {
  std::string pattern = std::string("/tmp/blastlab-") + what + "-XXXXXX";
  int fd = ::mkstemp(pattern.data());
  if (fd < 0)
    throw std::runtime_error(std::string("create temporary file: ") + std::strerror(errno));
  ::close(fd);
  return pattern;
}

class BoostProcessRunner final : public ProcessRunner {
 public:
  RunResult run(const Command& command, std::chrono::milliseconds timeout) override {
    Command captured = command;
    bool capture_out = command.stdout_path.empty();
    bool capture_err = command.stderr_path.empty();
    if (capture_out) captured.stdout_path = temp_file("out");
    if (capture_err) captured.stderr_path = temp_file("err");
    files::UniqueFd netns_fd(open_netns(captured));
    ChildSetup setup = prepare(captured, netns_fd);
    setup.null_stdin = true;
    RunResult result;
    try {
      pid_t pid = launch(captured, setup);
      auto code = wait_pid(pid, Clock::now() + timeout);
      if (!code) {
        result.timed_out = true;
        kill_and_reap(pid, std::chrono::milliseconds(500));
      } else {
        result.exit_code = *code;
      }
    } catch (...) {
      if (capture_out) ::unlink(captured.stdout_path.c_str());
      if (capture_err) ::unlink(captured.stderr_path.c_str());
      throw;
    }
    if (capture_out) result.out = read_and_remove(captured.stdout_path);
    if (capture_err) result.err = read_and_remove(captured.stderr_path);
    return result;
  }

  std::unique_ptr<Process> start(const Command& command) override {
    files::UniqueFd netns_fd(open_netns(command));
    ChildSetup setup = prepare(command, netns_fd);
    setup.null_stdin = command.new_session;
    return std::make_unique<ChildProcess>(launch(command, setup));
  }
};

}  // namespace

std::unique_ptr<ProcessRunner> make_process_runner() {
  return std::make_unique<BoostProcessRunner>();
}

namespace {

// The two fields of /proc/PID/stat the lab needs; nullopt when there is no such process.
struct StatFields {
  char state = '?';                   // field 3: R, S, D, Z (zombie), X (dead), ...
  unsigned long long start_time = 0;  // field 22, in clock ticks since boot
};

std::optional<StatFields> read_stat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  auto close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return std::nullopt;
  std::istringstream rest(line.substr(close + 2));
  StatFields fields;
  std::string field;
  for (int i = 3; i <= 22 && rest >> field; ++i) {
    if (i == 3) fields.state = field.front();
    if (i == 22) fields.start_time = std::stoull(field);
  }
  return fields;
}

}  // namespace

unsigned long long process_start_time(pid_t pid) {
  auto fields = read_stat(pid);
  return fields ? fields->start_time : 0;
}

bool recorded_alive(const RecordedProcess& process) {
  if (process.pid <= 1) return false;
  auto fields = read_stat(process.pid);
  if (!fields || fields->state == 'Z' || fields->state == 'X') return false;
  return process.start_time == 0 || fields->start_time == process.start_time;
}

bool terminate_recorded(pid_t pid, unsigned long long start_time, std::chrono::milliseconds grace) {
  if (pid <= 1) return false;
  return terminate_all_recorded({{pid, start_time}}, grace).empty();
}

namespace {

// Signals every process still ours (by its start time) and returns them, with the pids of
// those that are not ours any more in *not_ours.
std::vector<RecordedProcess> signal_recorded(const std::vector<RecordedProcess>& processes,
                                             int signal, std::vector<pid_t>* not_ours) {
  std::vector<RecordedProcess> signalled;
  for (const auto& p : processes) {
    if (p.pid <= 1) continue;
    auto now_start = process_start_time(p.pid);
    if (now_start == 0) continue;  // already gone
    if (p.start_time != 0 && now_start != p.start_time) {
      not_ours->push_back(p.pid);
      continue;
    }
    ::kill(p.pid, signal);
    signalled.push_back({p.pid, now_start});
  }
  return signalled;
}

bool gone(const RecordedProcess& p) {
  int status = 0;
  if (::waitpid(p.pid, &status, WNOHANG) == p.pid) return true;  // our child: reap it
  // A zombie has ended; whether its parent ever reaps it is not ours to wait for.
  return !recorded_alive(p);
}

// SIGKILL cannot be refused; wait (bounded) until the kernel has let them go, so that the
// namespaces they held can be removed right after.
void wait_killed(std::vector<RecordedProcess> killed) {
  auto deadline = Clock::now() + std::chrono::seconds(2);
  while (!killed.empty() && Clock::now() < deadline) {
    std::erase_if(killed, gone);
    if (!killed.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace

std::vector<pid_t> terminate_all_recorded(const std::vector<RecordedProcess>& processes,
                                          std::chrono::milliseconds grace) {
  std::vector<pid_t> not_ours;
  std::vector<RecordedProcess> signalled = signal_recorded(processes, SIGTERM, &not_ours);
  auto deadline = Clock::now() + grace;
  while (!signalled.empty()) {
    std::erase_if(signalled, gone);
    if (signalled.empty() || Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (const auto& p : signalled) ::kill(p.pid, SIGKILL);
  wait_killed(std::move(signalled));
  return not_ours;
}

std::vector<pid_t> kill_all_recorded(const std::vector<RecordedProcess>& processes) {
  std::vector<pid_t> not_ours;
  wait_killed(signal_recorded(processes, SIGKILL, &not_ours));
  return not_ours;
}

std::vector<RecordedProcess> processes_in_netns(const std::vector<std::string>& netns_paths) {
  std::vector<RecordedProcess> found;
  std::set<std::pair<dev_t, ino_t>> targets;
  for (const auto& path : netns_paths) {
    struct stat target {};
    if (::stat(path.c_str(), &target) == 0) targets.insert({target.st_dev, target.st_ino});
  }
  if (targets.empty()) return found;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return found;
  while (dirent* entry = ::readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || pid <= 1 || pid == ::getpid()) continue;
    struct stat ns {};
    std::string path = "/proc/" + std::string(entry->d_name) + "/ns/net";
    if (::stat(path.c_str(), &ns) != 0 || !targets.contains({ns.st_dev, ns.st_ino})) continue;
    found.push_back({static_cast<pid_t>(pid), process_start_time(static_cast<pid_t>(pid))});
  }
  ::closedir(proc);
  return found;
}

std::string describe(const Command& command) {
  std::string text;
  for (const auto& arg : command.argv) {
    if (!text.empty()) text += ' ';
    text += arg;
  }
  if (!command.netns.empty()) text += " (ns " + command.netns + ")";
  return text;
}

}  // namespace blastlab::proc
