// `blastlab validate` end to end, without root: every topology shipped in topologies/
// validates, and every malformed file in tests/data/invalid/ exits 2 with the exact
// `file:line:col: field:` its entry in expected.tsv names.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/cli/cli_support.hpp"

namespace blastlab::testing {
namespace {

namespace fs = std::filesystem;

struct Expectation {
  std::string location;  // "line:col"
  std::string field;
  std::string words;  // a phrase the message must contain
};

proc::RunResult validate(const std::string& path) {
  return blastlab({"validate", path});
}

std::map<std::string, Expectation> expectations() {
  std::map<std::string, Expectation> out;
  std::ifstream in(source("tests/data/invalid/expected.tsv"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string file;
    Expectation e;
    std::getline(fields, file, '\t');
    std::getline(fields, e.location, '\t');
    std::getline(fields, e.field, '\t');
    std::getline(fields, e.words, '\t');
    out[file] = e;
  }
  return out;
}

TEST(ValidateCliTest, ShippedTopologiesAreValid) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(source("topologies"))) {
    if (entry.path().extension() != ".yaml") continue;
    auto r = validate(entry.path().string());
    EXPECT_EQ(r.exit_code, 0) << entry.path() << "\n" << r.err;
    ++count;
  }
  EXPECT_GE(count, 1);
}

TEST(ValidateCliTest, EveryInvalidFileExitsTwoAtItsLocation) {
  auto expected = expectations();
  int count = 0;
  for (const auto& entry : fs::directory_iterator(source("tests/data/invalid"))) {
    if (entry.path().extension() != ".yaml") continue;
    std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    auto it = expected.find(name);
    ASSERT_NE(it, expected.end()) << "no line for " << name << " in expected.tsv";
    auto r = validate(entry.path().string());
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    std::string prefix = entry.path().string() + ":" + it->second.location + ":";
    if (it->second.field != "-") prefix += " " + it->second.field + ":";
    EXPECT_NE(r.err.find(prefix), std::string::npos) << "want " << prefix << "\ngot:\n" << r.err;
    EXPECT_NE(r.err.find(it->second.words), std::string::npos)
        << "want '" << it->second.words << "' in:\n"
        << r.err;
    ++count;
  }
  EXPECT_EQ(count, static_cast<int>(expected.size())) << "expected.tsv names a file that is gone";
}

TEST(ValidateCliTest, MissingFileExitsTwo) {
  auto r = validate(source("tests/data/no-such-file.yaml"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-file.yaml"), std::string::npos) << r.err;
}

TEST(ValidateCliTest, BadFlagExitsTwo) {
  auto r = blastlab({"validate", "--frobnicate"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace blastlab::testing

namespace blastlab::testing {
namespace {

// A user's frr.conf with a line FRR refuses: validate (and up, which checks the same before
// building anything) exits 2 naming the file and the line, as FRR's own dry run does.
TEST(UserConfigCliTest, AConfigFrrRefusesExitsTwoWithTheFileAndLine) {
  if (!std::filesystem::exists("/usr/bin/vtysh")) {
    if (std::getenv("CI")) FAIL() << "/usr/bin/vtysh is missing; CI must have FRR";
    GTEST_SKIP() << "FRR's vtysh is missing";
  }
  fs::path dir = fs::temp_directory_path() / ("blastlab-badconf-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "r1.conf") << "hostname r1\n!\nrouter bgp 64500\n neighbr 192.0.2.2 "
                                    "remote-as 64501\nexit\n";
  std::ofstream(dir / "lab.yaml") << "nodes:\n  r1: {role: router, frr: {config: r1.conf}}\n";
  auto result = blastlab({"validate", (dir / "lab.yaml").string()});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find((dir / "r1.conf").string() +
                            ":4:2: FRR refuses this line (Unknown command: neighbr"),
            std::string::npos)
      << result.err;
  std::ofstream(dir / "r1.conf", std::ios::trunc) << "hostname r1\n";
  EXPECT_EQ(blastlab({"validate", (dir / "lab.yaml").string()}).exit_code, 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace blastlab::testing
