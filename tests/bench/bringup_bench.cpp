// bringup_bench: where a lab's bring-up time goes, and how much memory its processes use,
// against the project's targets: minimal converged in 5 s and the reference experiment's
// fb-2021 in 15 s; an eBGP ring of 60 routers up and converged in 6 s, of 300 in 40 s;
// teardown of 60 in 1 s, of 300 in 2 s; FRR's resident memory per router at most munet's
// 26.5 MiB (the figure measured for the same two daemons); everything besides FRR at most
// 10 % of FRR's memory. Each run takes a shipped topology (minimal.yaml, fb-2021.yaml) or
// writes a ring of `peer` routers, each its own AS, to a temp dir, starts the real `blastlab
// up`, and every 100 ms sums VmRSS over every process in the lab's namespaces (found by
// namespace identity in one pass over /proc by proc::processes_in_netns), split into FRR
// daemons and the rest; sampling goes on 2 s after `up` returns while the daemons settle,
// and the last sample also reads each FRR daemon's Pss (its share of pages it shares).
//
// The phases: `up`'s own report gives the build (namespaces, links), the daemons' start and
// the convergence after it; the first BGP session is the earliest `%ADJCHANGE ... Up` in
// the routers' bgpd logs, taken against the wall clock when `up` was started; teardown is
// `blastlab down`. The floor is measured beside each ring: the same daemons (zebra, then
// bgpd once its zebra listens, as the lab starts them, with the same arguments and limits)
// started in as many bare namespaces with empty configurations, until every bgpd listens:
// no links, no routing, no blastlab. `up` cannot be faster than that on the same machine.
//
// Labs are named bb<pid>x<k> and recorded in a private BLASTLAB_RUN_DIR, so `down --all` after a
// failure removes only this run's labs; the floor's namespaces are bf<pid>n<i>, removed by
// the bench itself, also when a run fails.
//
// Without --shape: minimal, fb-2021, ring 60 and ring 300.
//
// usage: bringup_bench [--shape minimal|fb-2021|ring] [--routers N] [--runs K] [--blastlab PATH]
//                      [--timeout 300s] [--json] [--no-floor]
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "controller/frr/daemons.hpp"
#include "controller/frr/vtysh.hpp"
#include "controller/proc/process.hpp"

namespace {

namespace fs = std::filesystem;
namespace frr = blastlab::frr;
namespace proc = blastlab::proc;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::atomic<bool> g_interrupted{false};
void on_signal(int) {
  g_interrupted = true;
}

struct Options {
  std::string shape;  // empty: the standard set
  int routers = 0;
  int runs = 1;
  std::string blastlab;
  std::string timeout = "300s";  // ring 300 converges in over a minute
  bool json = false;
  bool floor = true;
};

// One run: its case (shape, routers), then what was measured.
struct Row {
  std::string shape;
  int routers = 0;    // ring size; for minimal, the node count `up` reports
  int processes = 0;  // the most seen at once
  // -1: not measured. up_s is the whole `up`; converged_s counts from the daemons' start.
  double up_s = 0, build_s = -1, start_s = -1, first_session_s = -1, converged_s = -1, down_s = -1,
         floor_s = -1;
  long peak_kib = 0, frr_kib = 0, other_kib = 0;
  int frr_routers = 0;                          // nodes running zebra, at the last sample
  long last_frr_kib = 0, last_frr_pss_kib = 0;  // at the last sample
  double per_router_mib() const { return frr_routers ? last_frr_kib / 1024.0 / frr_routers : -1; }
  double per_router_pss_mib() const {
    return frr_routers ? last_frr_pss_kib / 1024.0 / frr_routers : -1;
  }
  int exit_code = 0;  // of `up`, or of `down` when `up` succeeded
  std::vector<std::string> over;
  // What a run of this case should have measured and did not: its verdict is incomplete,
  // never ok.
  std::vector<std::string> missing;
  double overhead() const { return frr_kib > 0 ? 100.0 * other_kib / frr_kib : 0; }
};

// Held against the whole `up`, as munet's bring-up is timed from its start.
double converge_target(const Row& row) {
  if (row.shape == "minimal") return 5;
  if (row.shape == "fb-2021") return 15;
  return row.routers <= 60 ? 6 : row.routers <= 300 ? 40 : -1;
}
double teardown_target(const Row& row) {
  if (row.shape != "ring") return -1;
  return row.routers <= 60 ? 1 : row.routers <= 300 ? 2 : -1;
}
// munet's resident memory per router for zebra and bgpd, as the issue measured it.
constexpr double kPerRouterTargetMib = 26.5;
constexpr double kOverheadTarget = 10;

std::string ring_yaml(int routers) {
  std::string text = fmt::format("name: ring{}\nnodes:\n", routers);
  for (int i = 0; i < routers; ++i)
    text += fmt::format("  r{}: {{role: peer, asn: {}}}\n", i, 65100 + i);
  text += "links:\n";
  for (int i = 0; i < routers; ++i) text += fmt::format("  - [r{}, r{}]\n", i, (i + 1) % routers);
  return text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

long vm_rss_kib(const std::string& pid) {
  auto status = read_file("/proc/" + pid + "/status");
  auto at = status.find("VmRSS:");  // none in a kernel thread, or a process just gone
  return at == std::string::npos ? 0 : std::strtol(status.c_str() + at + 6, nullptr, 10);
}

std::vector<std::string> lab_namespaces(const std::string& lab) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/run/netns", ec)) {
    auto name = entry.path().filename().string();
    if (name.rfind(lab + ".", 0) == 0) names.push_back(name);
  }
  return names;
}

long pss_kib(const std::string& pid) {
  auto rollup = read_file("/proc/" + pid + "/smaps_rollup");
  auto at = rollup.find("\nPss:");
  return at == std::string::npos ? 0 : std::strtol(rollup.c_str() + at + 5, nullptr, 10);
}

// One sample of every process in the lab's namespaces, folded into the row's peaks; `last`
// also keeps FRR's memory as it is now, with its Pss. A child still named `blastlab` is the
// controller between fork and exec, not part of the lab.
void sample_lab(const std::string& lab, Row& row, bool last = false) {
  static const std::set<std::string> kFrr = {"zebra", "bgpd", "ospfd", "staticd", "bfdd"};
  std::vector<std::string> paths;
  for (const auto& name : lab_namespaces(lab)) paths.push_back("/run/netns/" + name);
  if (paths.empty()) return;
  int processes = 0, zebras = 0;
  long frr = 0, other = 0, frr_pss = 0;
  for (const auto& process : proc::processes_in_netns(paths)) {
    std::string pid = std::to_string(process.pid);
    auto comm = read_file("/proc/" + pid + "/comm");
    if (!comm.empty() && comm.back() == '\n') comm.pop_back();
    if (comm == "blastlab") continue;
    ++processes;
    bool is_frr = kFrr.contains(comm);
    (is_frr ? frr : other) += vm_rss_kib(pid);
    if (last && is_frr) frr_pss += pss_kib(pid);
    if (comm == "zebra") ++zebras;
  }
  row.processes = std::max(row.processes, processes);
  row.peak_kib = std::max(row.peak_kib, frr + other);
  row.frr_kib = std::max(row.frr_kib, frr);
  row.other_kib = std::max(row.other_kib, other);
  if (last) {
    row.frr_routers = zebras;
    row.last_frr_kib = frr;
    row.last_frr_pss_kib = frr_pss;
  }
}

// The earliest `%ADJCHANGE: neighbor ... Up` in the lab's bgpd logs, as seconds since the
// epoch (FRR stamps its lines in local time, to the microsecond); -1 when there is none.
double first_session_epoch(const std::string& lab_dir) {
  double first = -1;
  std::error_code ec;
  for (const auto& node : fs::directory_iterator(lab_dir + "/nodes", ec)) {
    std::ifstream log(node.path() / "bgpd.log");
    std::string line;
    while (std::getline(log, line)) {
      if (line.find("%ADJCHANGE: neighbor") == std::string::npos ||
          line.find(" Up") == std::string::npos)
        continue;
      std::tm tm{};
      const char* rest = ::strptime(line.c_str(), "%Y/%m/%d %H:%M:%S", &tm);
      if (rest == nullptr) continue;
      tm.tm_isdst = -1;
      double at = static_cast<double>(std::mktime(&tm));
      if (*rest == '.') at += std::strtod(rest, nullptr);
      if (first < 0 || at < first) first = at;
      break;  // a log's first Up is its earliest
    }
  }
  return first;
}

double epoch_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void print_tail(const std::string& text, int lines) {
  size_t from = text.size();
  for (int i = 0; i <= lines && from != 0 && from != std::string::npos; ++i)
    from = text.rfind('\n', from - 1);
  std::fprintf(stderr, "%s", text.substr(from == std::string::npos ? 0 : from + 1).c_str());
}

class Bench {
 public:
  Bench(Options options, std::string dir) : options_(std::move(options)), dir_(std::move(dir)) {}

  Row run(Row row, int index) {
    std::string lab = fmt::format("bb{}x{}", ::getpid(), index);
    std::string file = row.shape == "ring"
                           ? fmt::format("{}/ring{}.yaml", dir_, row.routers)
                           : fmt::format("{}/topologies/{}.yaml", BLASTLAB_SOURCE_DIR, row.shape);
    if (row.shape == "ring") std::ofstream(file) << ring_yaml(row.routers);
    std::string log = fmt::format("{}/{}-up.log", dir_, lab);
    double start_epoch = epoch_now();
    auto start = Clock::now();
    auto up =
        runner_->start(blastlab({"up", file, "--name", lab, "--timeout", options_.timeout}, log));
    std::optional<int> code;
    Clock::time_point settled{};
    for (;;) {
      auto tick = Clock::now();
      sample_lab(lab, row);
      auto left = std::max(0ms, std::chrono::duration_cast<std::chrono::milliseconds>(
                                    100ms - (Clock::now() - tick)));
      if (code) {
        if (*code != 0) break;
        if (Clock::now() >= settled) {
          sample_lab(lab, row, /*last=*/true);
          break;
        }
        std::this_thread::sleep_for(left);
      } else if ((code = up->wait_for(left))) {
        row.up_s = seconds_since(start);
        settled = Clock::now() + 2s;
      } else if (g_interrupted) {
        up.reset();  // SIGTERM: `up` removes what it built and exits
        code = 130;
        row.up_s = seconds_since(start);
      }
    }
    row.exit_code = *code;
    std::smatch m;
    auto out = read_file(log);
    if (std::regex_search(
            out, m,
            std::regex(R"(: (\d+) nodes,.*\(converged ([0-9.]+)s after its daemons )"
                       R"(started; built in ([0-9.]+)s, daemons started in ([0-9.]+)s)"))) {
      if (row.shape != "ring") row.routers = std::stoi(m[1]);
      row.converged_s = std::stod(m[2]);
      row.build_s = std::stod(m[3]);
      row.start_s = std::stod(m[4]);
    }
    if (double first = first_session_epoch(fmt::format("{}/run/{}", dir_, lab)); first >= 0)
      row.first_session_s = first - start_epoch;
    if (row.exit_code != 0) {
      std::fprintf(stderr, "bringup_bench: `blastlab up` of %s (%s) exited %d; its log %s ends:\n",
                   lab.c_str(), file.c_str(), row.exit_code, log.c_str());
      print_tail(out, 20);
      cleanup(lab);
      return row;
    }
    auto down_start = Clock::now();
    auto down = runner_->run(blastlab({"down", lab}), 120s);
    row.down_s = seconds_since(down_start);
    if (down.exit_code != 0 || !lab_namespaces(lab).empty()) {
      row.exit_code = down.exit_code != 0 ? down.exit_code : 1;
      std::fprintf(stderr, "bringup_bench: `blastlab down %s` exited %d, %zu namespaces left: %s\n",
                   lab.c_str(), down.exit_code, lab_namespaces(lab).size(), down.err.c_str());
      cleanup(lab);
    }
    double converge = converge_target(row), teardown = teardown_target(row);
    if (converge > 0 && row.up_s > converge) row.over.push_back("converge");
    if (teardown > 0 && row.down_s > teardown) row.over.push_back("teardown");
    if (row.overhead() > kOverheadTarget) row.over.push_back("memory");
    if (row.shape == "ring" && row.per_router_mib() > kPerRouterTargetMib)
      row.over.push_back("per-router");
    if (row.shape == "ring" && options_.floor) row.floor_s = floor(row.routers, index);
    if (row.converged_s < 0) row.missing.push_back("phases");
    if (row.frr_routers == 0) row.missing.push_back("memory");
    if (row.shape == "ring" && row.first_session_s < 0) row.missing.push_back("first session");
    if (row.shape == "ring" && options_.floor && row.floor_s < 0) row.missing.push_back("floor");
    return row;
  }

  // The floor: `routers` bare namespaces, each running zebra and then bgpd with empty
  // configurations, started as the lab starts them; seconds from the first start until every
  // bgpd listens, or -1 when one did not within 60 s. Everything it made is removed.
  double floor(int routers, int index) {
    constexpr frr::Daemon kFloorDaemons[] = {frr::Daemon::kZebra, frr::Daemon::kBgpd};
    std::string base = fmt::format("{}/floor{}", dir_, index);
    struct Node {
      std::string ns, space, dir;
      bool bgpd_started = false;
    };
    std::vector<Node> nodes;
    std::vector<proc::RecordedProcess> started;
    struct passwd* frr_user = ::getpwnam("frr");
    auto give_to_frr = [&](const std::string& path) {
      if (frr_user && ::chown(path.c_str(), frr_user->pw_uid, frr_user->pw_gid) != 0)
        std::perror(("bringup_bench: chown " + path).c_str());
    };
    for (int i = 0; i < routers; ++i) {
      Node n{fmt::format("bf{}n{}", ::getpid(), i), fmt::format("bf{}n{}", ::getpid(), i),
             fmt::format("{}/{}", base, i)};
      fs::create_directories(n.dir);
      for (auto which : kFloorDaemons) std::ofstream(frr::config_file(n.dir, which));
      for (const auto& entry : fs::directory_iterator(n.dir)) give_to_frr(entry.path());
      give_to_frr(n.dir);
      fs::create_directories(fmt::format("{}/{}", frr::kFrrStateDir, n.space));
      give_to_frr(fmt::format("{}/{}", frr::kFrrStateDir, n.space));
      runner_->run({.argv = {"ip", "netns", "add", n.ns}}, 10s);
      nodes.push_back(std::move(n));
    }
    auto daemon = [&](const Node& n, frr::Daemon which) {
      // With the lab's own command line and limit (frr/daemons.hpp), as its launcher does.
      std::string out = fmt::format("{}/{}.out", n.dir, frr::to_string(which));
      auto p = runner_->start({.argv = frr::daemon_argv(which, n.space, n.dir),
                               .netns = n.ns,
                               .stdout_path = out,
                               .stderr_path = out,
                               .new_session = true,
                               .max_open_files = frr::max_open_files(which, 0)});
      started.push_back({p->pid(), proc::process_start_time(p->pid())});
      p->release();
    };
    auto listening = [](const Node& n, const char* socket) {
      return fs::exists(fmt::format("{}/{}/{}", frr::kFrrStateDir, n.space, socket));
    };
    auto start = Clock::now();
    double seconds = -1;
    try {
      for (const auto& n : nodes) daemon(n, frr::Daemon::kZebra);
      auto deadline = start + 60s;
      while (Clock::now() < deadline && !g_interrupted) {
        bool all = true;
        for (auto& n : nodes) {
          if (!n.bgpd_started && listening(n, "zserv.api")) {
            daemon(n, frr::Daemon::kBgpd);
            n.bgpd_started = true;
          }
          all = all && n.bgpd_started && listening(n, "bgpd.vty");
        }
        if (all) {
          seconds = seconds_since(start);
          break;
        }
        std::this_thread::sleep_for(2ms);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bringup_bench: floor: %s\n", e.what());
    }
    proc::kill_all_recorded(started);
    for (const auto& p : started) {
      std::error_code ec;
      for (auto which : kFloorDaemons)
        fs::remove_all(fmt::format("{}/{}.{}", frr::kFrrTempDir, frr::to_string(which), p.pid), ec);
    }
    for (const auto& n : nodes) {
      runner_->run({.argv = {"ip", "netns", "delete", n.ns}}, 10s);
      std::error_code ec;
      fs::remove_all(fmt::format("{}/{}", frr::kFrrStateDir, n.space), ec);
    }
    std::error_code ec;
    fs::remove_all(base, ec);
    return seconds;
  }

 private:
  proc::Command blastlab(std::vector<std::string> args, const std::string& log = "") {
    args.insert(args.begin(), options_.blastlab);
    return {.argv = args,
            .env = {{"BLASTLAB_RUN_DIR", dir_ + "/run"}},
            .stdout_path = log,
            .stderr_path = log};
  }

  void cleanup(const std::string& lab) {
    runner_->run(blastlab({"down", lab}), 120s);
    auto all = runner_->run(blastlab({"down", "--all"}), 120s);
    if (all.exit_code != 0) std::fprintf(stderr, "bringup_bench: down --all: %s", all.err.c_str());
  }

  Options options_;
  std::string dir_;
  std::unique_ptr<proc::ProcessRunner> runner_ = proc::make_process_runner();
};

std::string target(double value) {
  return value > 0 ? fmt::format("<={:g}", value) : "-";
}
std::string seconds(double value) {
  return value >= 0 ? fmt::format("{:.2f}", value) : "-";
}
double mib(long kib) {
  return kib / 1024.0;
}

void print_table(const std::vector<Row>& rows) {
  std::printf("%-7s %5s %5s %7s %5s %6s %6s %6s %6s %6s %6s %5s %7s %7s %5s %6s %6s  %s\n", "shape",
              "nodes", "procs", "up s", "tgt", "build", "start", "1st", "conv", "floor", "down s",
              "tgt", "FRR MiB", "MiB/rtr", "tgt", "PSS/r", "ovhd%", "verdict");
  for (const auto& r : rows) {
    std::string verdict = r.exit_code != 0 ? fmt::format("FAILED (exit {})", r.exit_code)
                          : !r.missing.empty()
                              ? fmt::format("INCOMPLETE (no {})", fmt::join(r.missing, ", "))
                          : r.over.empty() ? "ok"
                                           : "OVER " + fmt::format("{}", fmt::join(r.over, ","));
    std::printf(
        "%-7s %5d %5d %7.2f %5s %6s %6s %6s %6s %6s %6s %5s %7.1f %7s %5s %6s %6.1f  %s\n",
        r.shape.c_str(), r.routers, r.processes, r.up_s, target(converge_target(r)).c_str(),
        seconds(r.build_s).c_str(), seconds(r.start_s).c_str(), seconds(r.first_session_s).c_str(),
        seconds(r.converged_s).c_str(), seconds(r.floor_s).c_str(), seconds(r.down_s).c_str(),
        target(teardown_target(r)).c_str(), mib(r.frr_kib), seconds(r.per_router_mib()).c_str(),
        r.shape == "ring" ? target(kPerRouterTargetMib).c_str() : "-",
        seconds(r.per_router_pss_mib()).c_str(), r.overhead(), verdict.c_str());
  }
  std::printf(
      "up s: the whole `blastlab up`, held to tgt; build: namespaces and links; start: every "
      "node's programs started;\n1st: first BGP session up, from the start of `up`; conv: "
      "converged, from the daemons' start; floor: the same\ndaemons started in bare namespaces "
      "with empty configs; MiB/rtr, PSS/r: FRR's RSS and Pss per router after settling.\n");
}

nlohmann::json or_null(double value) {  // -1: not measured, or no target
  return value >= 0 ? nlohmann::json(value) : nlohmann::json(nullptr);
}

void print_json(const std::vector<Row>& rows) {
  auto out = nlohmann::json::array();
  for (const auto& r : rows) {
    out.push_back({{"shape", r.shape},
                   {"routers", r.routers},
                   {"processes", r.processes},
                   {"up_s", r.up_s},
                   {"up_target_s", or_null(converge_target(r))},
                   {"build_s", or_null(r.build_s)},
                   {"daemons_started_s", or_null(r.start_s)},
                   {"first_session_s", or_null(r.first_session_s)},
                   {"converged_s", or_null(r.converged_s)},
                   {"floor_s", or_null(r.floor_s)},
                   {"frr_rss_per_router_mib", or_null(r.per_router_mib())},
                   {"frr_pss_per_router_mib", or_null(r.per_router_pss_mib())},
                   {"teardown_s", or_null(r.down_s)},
                   {"teardown_target_s", or_null(teardown_target(r))},
                   {"peak_rss_mib", mib(r.peak_kib)},
                   {"frr_rss_mib", mib(r.frr_kib)},
                   {"other_rss_mib", mib(r.other_kib)},
                   {"overhead_pct", r.overhead()},
                   {"overhead_target_pct", kOverheadTarget},
                   {"exit_code", r.exit_code},
                   {"over", r.over},
                   {"missing", r.missing},
                   {"ok", r.exit_code == 0 && r.missing.empty() && r.over.empty()}});
  }
  std::printf("%s\n", out.dump(2).c_str());
}

std::string default_blastlab(const char* argv0) {
  if (fs::exists(BLASTLAB_BINARY)) return BLASTLAB_BINARY;
  return (fs::path(argv0).parent_path() / "blastlab").string();
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  options.blastlab = default_blastlab(argv[0]);
  CLI::App app{"bringup_bench: time `blastlab up`/`down` and the labs' memory", "bringup_bench"};
  app.add_option("--shape", options.shape,
                 "minimal, fb-2021 (the reference experiment's lab) or ring (default: the "
                 "standard set)")
      ->check(CLI::IsMember({"minimal", "fb-2021", "ring"}));
  // ASNs are 65100 up: at most 400 routers keeps them clear of the reserved 65535.
  app.add_option("--routers", options.routers, "ring size (default 60)")->check(CLI::Range(3, 400));
  app.add_option("--runs", options.runs, "runs of each case")->check(CLI::Range(1, 100));
  app.add_option("--blastlab", options.blastlab, "the blastlab binary");
  app.add_option("--timeout", options.timeout, "blastlab up --timeout");
  app.add_flag("--json", options.json, "print the rows as JSON");
  app.add_flag("!--no-floor", options.floor, "skip the floor beside each ring");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (options.routers != 0 && options.shape != "ring") {
    std::fprintf(stderr, "bringup_bench: --routers needs --shape ring\n");
    return 2;
  }
  if (::geteuid() != 0) {
    std::fprintf(stderr, "bringup_bench: needs root (blastlab up makes network namespaces)\n");
    return 3;
  }
  std::vector<Row> cases = {{"minimal", 0}, {"fb-2021", 0}, {"ring", 60}, {"ring", 300}};
  if (options.shape == "minimal") cases = {{"minimal", 0}};
  if (options.shape == "fb-2021") cases = {{"fb-2021", 0}};
  if (options.shape == "ring") cases = {{"ring", options.routers ? options.routers : 60}};

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  char dir_template[] = "/tmp/bringup_bench.XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) {
    std::perror("bringup_bench: mkdtemp");
    return 3;
  }
  std::string dir = dir_template;
  // mkdtemp makes it 0700; the FRR daemons drop to the frr user and write pid files in it.
  fs::permissions(dir, fs::perms(0755));
  fs::create_directories(dir + "/run");
  Bench bench(options, dir);
  std::vector<Row> rows;
  int index = 0;
  for (const auto& c : cases) {
    for (int k = 0; k < options.runs && !g_interrupted; ++k) {
      rows.push_back(bench.run(c, index++));
      std::fprintf(stderr, "bringup_bench: %s %d: %s\n", c.shape.c_str(), rows.back().routers,
                   rows.back().exit_code == 0 ? "done" : "FAILED");
    }
  }
  options.json ? print_json(rows) : print_table(rows);
  bool failed =
      std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.exit_code != 0; });
  if (failed || g_interrupted) {
    std::fprintf(stderr, "bringup_bench: %s; logs kept in %s\n",
                 g_interrupted ? "interrupted" : "a run failed", dir.c_str());
    return g_interrupted ? 130 : 1;
  }
  fs::remove_all(dir);
  return 0;
}
