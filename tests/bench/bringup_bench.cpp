// bringup_bench: how long `blastlab up` takes to bring a lab to converged routing, how long
// `down` takes, and how much memory the lab's processes use, against the project's targets
// (minimal converged in 5 s, the reference experiment's fb-2021 in 15 s, a 60-router eBGP
// ring in 10 s, 100 routers in 20 s, a 60-router teardown in 1 s, everything besides FRR at
// most 10 % of FRR's memory; a smaller ring is held to the next larger ring's target). Each
// run takes a shipped topology (minimal.yaml, fb-2021.yaml) or writes a ring of `peer`
// routers, each its own AS, to a temp dir, starts the real `blastlab up`, and every 100 ms
// sums VmRSS over every process in the lab's namespaces (found by namespace identity in one
// pass over /proc by proc::processes_in_netns: a pass per namespace would cost 100 passes a
// sample on a 100-router lab and slow the very daemons being measured), split into FRR
// daemons and the rest; sampling goes on 2 s after `up` returns while the daemons settle.
// Labs are named bb<pid>x<k> and recorded in a private BLASTLAB_RUN_DIR, so `down --all` after a
// failure removes only this run's labs.
//
// usage: bringup_bench [--shape minimal|fb-2021|ring] [--routers N] [--runs K] [--blastlab PATH]
//                      [--timeout 60s] [--json]
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
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

#include "controller/proc/process.hpp"

namespace {

namespace fs = std::filesystem;
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
  std::string timeout = "60s";
  bool json = false;
};

// One run: its case (shape, routers), then what was measured.
struct Row {
  std::string shape;
  int routers = 0;    // ring size; for minimal, the node count `up` reports
  int processes = 0;  // the most seen at once
  double up_s = 0, converged_s = -1, down_s = -1;
  long peak_kib = 0, frr_kib = 0, other_kib = 0;
  int exit_code = 0;  // of `up`, or of `down` when `up` succeeded
  std::vector<std::string> over;
  double overhead() const { return frr_kib > 0 ? 100.0 * other_kib / frr_kib : 0; }
};

double converge_target(const Row& row) {
  if (row.shape == "minimal") return 5;
  if (row.shape == "fb-2021") return 15;
  return row.routers <= 60 ? 10 : row.routers <= 100 ? 20 : -1;
}
double teardown_target(const Row& row) {
  return row.shape == "ring" && row.routers <= 60 ? 1 : -1;
}
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

// One sample of every process in the lab's namespaces, folded into the row's peaks. A child
// still named `blastlab` is the controller between fork and exec, not part of the lab.
void sample_lab(const std::string& lab, Row& row) {
  static const std::set<std::string> kFrr = {"zebra", "bgpd", "ospfd", "staticd", "bfdd"};
  std::vector<std::string> paths;
  for (const auto& name : lab_namespaces(lab)) paths.push_back("/run/netns/" + name);
  if (paths.empty()) return;
  int processes = 0;
  long frr = 0, other = 0;
  for (const auto& process : proc::processes_in_netns(paths)) {
    std::string pid = std::to_string(process.pid);
    auto comm = read_file("/proc/" + pid + "/comm");
    if (!comm.empty() && comm.back() == '\n') comm.pop_back();
    if (comm == "blastlab") continue;
    ++processes;
    (kFrr.contains(comm) ? frr : other) += vm_rss_kib(pid);
  }
  row.processes = std::max(row.processes, processes);
  row.peak_kib = std::max(row.peak_kib, frr + other);
  row.frr_kib = std::max(row.frr_kib, frr);
  row.other_kib = std::max(row.other_kib, other);
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
        if (*code != 0 || Clock::now() >= settled) break;
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
    if (std::regex_search(out, m, std::regex(R"(: (\d+) nodes,.*\(converged ([0-9.]+)s after)"))) {
      if (row.shape != "ring") row.routers = std::stoi(m[1]);
      row.converged_s = std::stod(m[2]);
    }
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
    if (converge > 0 && row.converged_s > converge) row.over.push_back("converge");
    if (teardown > 0 && row.down_s > teardown) row.over.push_back("teardown");
    if (row.overhead() > kOverheadTarget) row.over.push_back("memory");
    return row;
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
  std::printf("%-8s %7s %5s %7s %7s %5s %7s %5s %9s %8s %8s %7s %5s  %s\n", "shape", "routers",
              "procs", "up s", "conv s", "tgt", "down s", "tgt", "peak MiB", "FRR MiB", "othr MiB",
              "ovhd %", "tgt", "verdict");
  for (const auto& r : rows) {
    std::string verdict = r.exit_code != 0 ? fmt::format("FAILED (exit {})", r.exit_code)
                          : r.over.empty() ? "ok"
                                           : "OVER " + fmt::format("{}", fmt::join(r.over, ","));
    std::printf("%-8s %7d %5d %7.2f %7s %5s %7s %5s %9.1f %8.1f %8.1f %7.1f %5s  %s\n",
                r.shape.c_str(), r.routers, r.processes, r.up_s, seconds(r.converged_s).c_str(),
                target(converge_target(r)).c_str(), seconds(r.down_s).c_str(),
                target(teardown_target(r)).c_str(), mib(r.peak_kib), mib(r.frr_kib),
                mib(r.other_kib), r.overhead(), target(kOverheadTarget).c_str(), verdict.c_str());
  }
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
                   {"converged_s", or_null(r.converged_s)},
                   {"converged_target_s", or_null(converge_target(r))},
                   {"teardown_s", or_null(r.down_s)},
                   {"teardown_target_s", or_null(teardown_target(r))},
                   {"peak_rss_mib", mib(r.peak_kib)},
                   {"frr_rss_mib", mib(r.frr_kib)},
                   {"other_rss_mib", mib(r.other_kib)},
                   {"overhead_pct", r.overhead()},
                   {"overhead_target_pct", kOverheadTarget},
                   {"exit_code", r.exit_code},
                   {"over", r.over},
                   {"ok", r.exit_code == 0 && r.over.empty()}});
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
  std::vector<Row> cases = {
      {"minimal", 0}, {"fb-2021", 0}, {"ring", 20}, {"ring", 60}, {"ring", 100}};
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
