#include "tests/lab/lab_fixture.hpp"

#include <net/if.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace blastlab::testing {
namespace {

namespace fs = std::filesystem;

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

}  // namespace

HostSnapshot HostSnapshot::take() {
  HostSnapshot s;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/run/netns", ec))
    s.named_namespaces.insert(entry.path().filename().string());
  if (struct if_nameindex* names = if_nameindex()) {
    for (auto* n = names; n->if_index != 0; ++n) s.host_links.insert(n->if_name);
    if_freenameindex(names);
  }
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code link_ec;
    auto target = fs::read_symlink(entry.path() / "ns" / "net", link_ec);
    if (!link_ec) s.process_netns.insert(target.string());
  }
  return s;
}

std::string HostSnapshot::diff(const HostSnapshot& after) const {
  std::string out;
  auto compare = [&out](const char* what, const std::set<std::string>& a,
                        const std::set<std::string>& b) {
    for (const auto& x : b)
      if (!a.count(x)) out += std::string("  new ") + what + ": " + x + "\n";
    for (const auto& x : a)
      if (!b.count(x)) out += std::string("  gone ") + what + ": " + x + "\n";
  };
  compare("named namespace", named_namespaces, after.named_namespaces);
  compare("host link", host_links, after.host_links);
  compare("process network namespace", process_netns, after.process_netns);
  return out;
}

std::string source_path(const std::string& relative) {
  return std::string(BLASTLAB_SOURCE_DIR) + "/" + relative;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string blastlab_binary() {
  return BLASTLAB_BINARY;
}

void LabTest::SetUp() {
  if (::geteuid() != 0) {
    if (in_ci()) FAIL() << "lab tests need root; under CI=true a skipped lab test is a failure";
    GTEST_SKIP() << "lab tests need root (run scripts/test.sh as root)";
  }
  run_dir_ = "/run/blastlab-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name();
  fs::create_directories(run_dir_);
  runner_ = proc::make_process_runner();
  before_ = HostSnapshot::take();
}

void LabTest::TearDown() {
  if (!runner_) return;
  // Whatever the test did, its labs go: --all covers only this test's run directory.
  auto result = blastlab({"down", "--all"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  std::error_code ec;
  fs::remove_all(run_dir_, ec);
}

proc::RunResult LabTest::blastlab(const std::vector<std::string>& args,
                                  std::chrono::milliseconds timeout) {
  proc::Command command{.argv = {blastlab_binary()}, .env = {{"BLASTLAB_RUN_DIR", run_dir_}}};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  return runner_->run(command, timeout);
}

std::unique_ptr<proc::Process> LabTest::start_blastlab(const std::vector<std::string>& args,
                                                       const std::string& log_path) {
  proc::Command command{.argv = {blastlab_binary()},
                        .env = {{"BLASTLAB_RUN_DIR", run_dir_}},
                        .stdout_path = log_path,
                        .stderr_path = log_path};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  return runner_->start(command);
}

proc::RunResult LabTest::in_node(const std::string& lab, const std::string& node,
                                 const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout) {
  return runner_->run({.argv = argv, .netns = lab + "." + node}, timeout);
}

std::string LabTest::lab_name(const std::string& tag) {
  return tag + std::to_string(::getpid() % 100000);
}

bool LabTest::ping_until(const std::string& lab, const std::string& node,
                         const std::string& address, bool want_success,
                         std::chrono::milliseconds deadline) {
  auto end = std::chrono::steady_clock::now() + deadline;
  do {
    auto r = in_node(lab, node, {"ping", "-n", "-c1", "-W1", address});
    if ((r.exit_code == 0) == want_success) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < end);
  return false;
}

std::string LabTest::write_file(const std::string& name, const std::string& text) {
  std::string path = run_dir_ + "/" + name;
  std::ofstream(path) << text;
  return path;
}

bool step_done(const std::string& lab_dir, const std::string& step) {
  std::ifstream in(lab_dir + "/events/controller.jsonl");
  for (std::string line; std::getline(in, line);) {
    auto e = nlohmann::json::parse(line, nullptr, false);
    if (e.is_object() && e["event"] == "step" && e["name"] == step && e["state"] == "done")
      return true;
  }
  return false;
}

bool wait_for_step(const std::string& lab_dir, const std::string& step, proc::Process& run,
                   std::chrono::milliseconds deadline) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (!step_done(lab_dir, step)) {
    if (std::chrono::steady_clock::now() >= end || !run.running()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

}  // namespace blastlab::testing
