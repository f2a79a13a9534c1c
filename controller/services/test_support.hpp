// Helpers shared by the services tests: the reference topology, a scratch directory that
// removes itself, and running the daemons' own config checkers, which are the real judges
// of whether a rendered file is valid.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "controller/model/topology.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::services {

inline const model::Topology& minimal_topology() {
  static const model::LoadResult result =
      model::load_topology_file(std::string(BLASTLAB_SOURCE_DIR) + "/topologies/minimal.yaml");
  if (!result.topology) {
    ADD_FAILURE() << model::format_diagnostics(result.errors);
    static const model::Topology kEmpty;
    return kEmpty;
  }
  return *result.topology;
}

inline const model::Node& node(const model::Topology& topology, std::string_view name) {
  const model::Node* found = topology.find_node(name);
  if (found == nullptr) throw std::runtime_error("no node " + std::string(name));
  return *found;
}

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "blastlab-services-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp " + pattern);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  ASSERT_TRUE(out.good()) << "write " << path;
}

// Runs one of the daemons' checkers. They live in /usr/sbin, which is not on every
// user's PATH; a missing tool fails the test, since scripts/setup.sh installs them.
inline ::testing::AssertionResult checker_accepts(std::vector<std::string> argv) {
  std::string sbin = "/usr/sbin/" + argv[0];
  if (std::filesystem::exists(sbin)) argv[0] = sbin;
  std::string command;
  for (const auto& arg : argv) command += (command.empty() ? "" : " ") + arg;
  proc::RunResult result;
  try {
    result = proc::make_process_runner()->run({.argv = argv}, std::chrono::seconds(10));
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << command << ": " << e.what();
  }
  if (result.exit_code == 0 && !result.timed_out) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << command << " exited " << result.exit_code << (result.timed_out ? " (timed out)" : "")
         << "\nstdout: " << result.out << "\nstderr: " << result.err;
}

}  // namespace blastlab::services
