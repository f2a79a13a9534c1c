// `blastlab validate` end to end, without root: every topology shipped in topologies/
// validates, and every malformed file in tests/data/invalid/ exits 2 with the exact
// `file:line:col: field:` its entry in expected.tsv names.
#include <gtest/gtest.h>

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
