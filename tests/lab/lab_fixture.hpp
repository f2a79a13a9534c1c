// Shared ground for the root lab tests: a fixture that requires root (a skip is a failure
// under CI=true), gives each test its own run directory and lab names, runs the real
// `blastlab` binary, and always takes its labs down again. HostSnapshot captures what a lab
// must leave as it found: named namespaces, the host's links, and the network namespaces
// that processes are in.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "controller/proc/process.hpp"

namespace blastlab::testing {

struct HostSnapshot {
  std::set<std::string> named_namespaces;  // /run/netns entries
  std::set<std::string> host_links;        // interface names in the host namespace
  std::set<std::string> process_netns;     // distinct /proc/*/ns/net targets

  static HostSnapshot take();
  // A readable list of what differs, empty when equal.
  std::string diff(const HostSnapshot& after) const;
};

class LabTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Runs `blastlab ARGS...` with this test's run directory; captures its output.
  proc::RunResult blastlab(const std::vector<std::string>& args,
                           std::chrono::milliseconds timeout = std::chrono::seconds(60));
  std::unique_ptr<proc::Process> start_blastlab(const std::vector<std::string>& args,
                                                const std::string& log_path);
  // Runs argv inside the lab node's namespace.
  proc::RunResult in_node(const std::string& lab, const std::string& node,
                          const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // A lab name unique to this process; TearDown's `down --all` removes it.
  std::string lab_name(const std::string& tag);
  // Polls until ping from node to address succeeds (true) or the deadline passes.
  bool ping_until(const std::string& lab, const std::string& node, const std::string& address,
                  bool want_success, std::chrono::milliseconds deadline);
  std::string write_file(const std::string& name, const std::string& text);

  std::string run_dir_;
  std::unique_ptr<proc::ProcessRunner> runner_;
  HostSnapshot before_;
};

std::string source_path(const std::string& relative);  // from the source tree
// The whole text of a file; empty when it cannot be read.
std::string read_text(const std::string& path);
// Whether the lab's controller events (LAB_DIR/events/controller.jsonl) show the step done.
bool step_done(const std::string& lab_dir, const std::string& step);
// Polls step_done until it holds, the process ends or the deadline passes.
bool wait_for_step(const std::string& lab_dir, const std::string& step, proc::Process& run,
                   std::chrono::milliseconds deadline);
std::string blastlab_binary();

}  // namespace blastlab::testing
