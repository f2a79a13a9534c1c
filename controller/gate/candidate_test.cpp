// A candidate as a repository holds it: whole configs in a directory (NODE.conf,
// NODE/frr.conf) or a YAML file of snippets; each router's change from its current config,
// traced to the candidate's lines; every error at its file, line and column.
#include "controller/gate/candidate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "controller/frr/user_config.hpp"
#include "controller/frr/vtysh.hpp"
#include "controller/topology_load/topology_load.hpp"

namespace blastlab::gate {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string source(const std::string& path) {
  return std::string(BLASTLAB_SOURCE_DIR) + "/" + path;
}

class CandidateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("blastlab-candidate-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    load("topologies/fb-2021.yaml");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void load(const std::string& topology) {
    auto loaded = topology_load::load_topology_file(source(topology));
    ASSERT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
    topology_ = *loaded.topology;
    plan_ = frr::plan_routing(topology_);
    // The user's configs are read (not dry-run: that needs FRR, tested below).
    auto errors = frr::load_user_configs(plan_, *runner_, dir_.string(), false);
    ASSERT_TRUE(errors.empty()) << model::format_diagnostics(errors);
    current_ = current_configs(topology_, plan_);
  }

  std::string write(const std::string& name, const std::string& text) {
    fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }

  // `from` replaced by `to` in text; the test fails when `from` is not there.
  static std::string edit(std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }

  static int line_of(const std::string& text, const std::string& line) {
    int n = 0;
    std::istringstream in(text);
    std::string l;
    while (std::getline(in, l)) {
      ++n;
      if (l == line) return n;
    }
    return 0;
  }

  fs::path dir_;
  model::Topology topology_;
  frr::RoutingPlan plan_;
  std::map<std::string, std::string> current_;
  std::unique_ptr<proc::ProcessRunner> runner_ = proc::make_process_runner();
};

TEST_F(CandidateTest, ADirectoryOfWholeConfigsChangesOnlyTheRoutersThatDiffer) {
  // pop1 shuts its first uplink (NODE.conf); dc1 is unchanged (NODE/frr.conf form).
  const std::string uplink = topology_.links[0].a.ifname;  // bb1's side of bb1-bb2
  std::string bb1 = edit(current_.at("bb1"), "interface " + uplink + "\n",
                         "interface " + uplink + "\n shutdown\n");
  std::string file = write("cand/bb1.conf", bb1);
  write("cand/dc1/frr.conf", current_.at("dc1"));
  write("cand/README.md", "not a config\n");
  write("cand/dc2/daemons", "bgpd=yes\n");  // no frr.conf: not a candidate
  auto loaded = load_candidate((dir_ / "cand").string(), topology_, plan_);
  ASSERT_TRUE(loaded.candidate) << model::format_diagnostics(loaded.errors);
  ASSERT_EQ(loaded.candidate->routers.size(), 2u);
  EXPECT_EQ(loaded.candidate->routers[0].node, "dc1");  // topology order
  EXPECT_EQ(loaded.candidate->routers[1].node, "bb1");

  auto changes = router_changes(*loaded.candidate, current_);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].node, "bb1");
  EXPECT_EQ(changes[0].commands,
            (std::vector<std::string>{"interface " + uplink, "shutdown", "exit"}));
  int shut = line_of(bb1, " shutdown");
  ASSERT_GT(shut, 0);
  EXPECT_EQ(changes[0].sources[1], (SourceLine{file, shut}));
  EXPECT_EQ(changes[0].sources[0], (SourceLine{file, shut - 1}));
}

TEST_F(CandidateTest, ARemovedLineIsBlamedOnTheFile) {
  std::string pop1 = current_.at("pop1");
  // Drop the first neighbor line of pop1's BGP.
  size_t at = pop1.find(" neighbor ");
  ASSERT_NE(at, std::string::npos);
  size_t end = pop1.find('\n', at);
  std::string removed = pop1.substr(at + 1, end - at - 1);
  std::string file = write("cand/pop1.conf", pop1.erase(at, end - at + 1));
  auto loaded = load_candidate((dir_ / "cand").string(), topology_, plan_);
  ASSERT_TRUE(loaded.candidate) << model::format_diagnostics(loaded.errors);
  auto changes = router_changes(*loaded.candidate, current_);
  ASSERT_EQ(changes.size(), 1u);
  bool found = false;
  for (size_t i = 0; i < changes[0].commands.size(); ++i) {
    if (changes[0].commands[i] != "no " + removed) continue;
    found = true;
    EXPECT_EQ(changes[0].sources[i], (SourceLine{file, 0}));
  }
  EXPECT_TRUE(found) << ::testing::PrintToString(changes[0].commands);
}

TEST_F(CandidateTest, DirectoryErrorsNameTheFile) {
  write("cand/pop9.conf", "hostname pop9\n");
  write("cand/client1.conf", "hostname client1\n");
  write("cand/pop2.conf", current_.at("pop2"));
  write("cand/pop2/frr.conf", current_.at("pop2"));
  write("cand/pop3.conf", "interface eth1\n shutdown\n do write memory\n");
  auto loaded = load_candidate((dir_ / "cand").string(), topology_, plan_);
  ASSERT_FALSE(loaded.candidate);
  std::string all = model::format_diagnostics(loaded.errors);
  EXPECT_THAT(all, HasSubstr("cand/pop9.conf: no router pop9 in"));
  EXPECT_THAT(all, HasSubstr("did you mean"));
  EXPECT_THAT(all, HasSubstr("cand/client1.conf: client1 runs no FRR in this lab"));
  EXPECT_THAT(all, HasSubstr("a second candidate for pop2; the first is"));
  EXPECT_THAT(all, HasSubstr("cand/pop3.conf:3:2: 'do write memory' is an exec-mode command"));

  fs::create_directories(dir_ / "empty");
  auto empty = load_candidate((dir_ / "empty").string(), topology_, plan_);
  ASSERT_EQ(empty.errors.size(), 1u);
  EXPECT_THAT(empty.errors[0].str(), HasSubstr("no router config in it"));

  auto missing = load_candidate((dir_ / "nothing-here").string(), topology_, plan_);
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_THAT(missing.errors[0].str(), HasSubstr("no such file or directory"));
}

TEST_F(CandidateTest, SnippetsAreAppliedAsWrittenWithTheirLines) {
  std::string file = write("change.yaml",
                           "# the change under review\n"
                           "pop1: |\n"
                           "  int eth1\n"
                           "   shut\n"
                           "\n"
                           "  router bgp 64500\n"
                           "   neighbor 198.18.0.1 shutdown\n"
                           "pop2: \"interface eth2\"\n");
  auto loaded = load_candidate(file, topology_, plan_);
  ASSERT_TRUE(loaded.candidate) << model::format_diagnostics(loaded.errors);
  auto changes = router_changes(*loaded.candidate, current_);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].node, "pop1");
  EXPECT_EQ(changes[0].commands, (std::vector<std::string>{"int eth1", " shut", "router bgp 64500",
                                                           " neighbor 198.18.0.1 shutdown"}));
  std::vector<int> lines;
  for (const auto& s : changes[0].sources) lines.push_back(s.line);
  EXPECT_EQ(lines, (std::vector<int>{3, 4, 6, 7}));
  EXPECT_EQ(changes[1].sources[0], (SourceLine{file, 8}));
}

TEST_F(CandidateTest, SnippetErrorsNameLineAndColumn) {
  std::string file = write("bad.yaml",
                           "pop1: |\n"
                           "  interface eth1\n"
                           "  do write file\n"
                           "popp2: |\n"
                           "  interface eth1\n"
                           "client1: |\n"
                           "  interface eth1\n"
                           "pop3: [a, b]\n");
  auto loaded = load_candidate(file, topology_, plan_);
  ASSERT_FALSE(loaded.candidate);
  std::string all = model::format_diagnostics(loaded.errors);
  EXPECT_THAT(all, HasSubstr("bad.yaml:3:3: pop1: 'do write file' is an exec-mode command"));
  EXPECT_THAT(all, HasSubstr("bad.yaml:4:1: popp2: no router popp2 in"));
  EXPECT_THAT(all, HasSubstr("did you mean 'pop2'"));
  EXPECT_THAT(all, HasSubstr("bad.yaml:6:1: client1: client1 runs no FRR"));
  EXPECT_THAT(all, HasSubstr("bad.yaml:8:7: pop3"));

  auto list = load_candidate(write("list.yaml", "- pop1\n"), topology_, plan_);
  ASSERT_FALSE(list.candidate);
  EXPECT_THAT(model::format_diagnostics(list.errors), HasSubstr("list.yaml:1:1"));
  EXPECT_THAT(model::format_diagnostics(list.errors), HasSubstr("expected a map of routers"));
}

TEST_F(CandidateTest, UsersOwnConfigsAreTheCurrentConfigs) {
  load("topologies/ospf-bgp.clab.yml");
  fs::copy(source("topologies/ospf-bgp"), dir_ / "repo");
  // r2 raises an OSPF cost; the rest of the copied repository is unchanged.
  std::string r2 = current_.at("r2");
  std::ifstream in(dir_ / "repo" / "r2.conf");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t at = text.find("interface ");
  ASSERT_NE(at, std::string::npos);
  size_t eol = text.find('\n', at);
  text.insert(eol + 1, " ip ospf cost 500\n");
  write("repo/r2.conf", text);
  auto loaded = load_candidate((dir_ / "repo").string(), topology_, plan_);
  ASSERT_TRUE(loaded.candidate) << model::format_diagnostics(loaded.errors);
  auto changes = router_changes(*loaded.candidate, current_);
  ASSERT_EQ(changes.size(), 1u) << changes.size();
  EXPECT_EQ(changes[0].node, "r2");
  ASSERT_EQ(changes[0].commands.size(), 3u);
  EXPECT_EQ(changes[0].commands[1], "ip ospf cost 500");
  EXPECT_EQ(changes[0].sources[1].line, line_of(text, " ip ospf cost 500"));
}

TEST_F(CandidateTest, LinesNotRunningAreTheLinesTheChangeAddsThatTheRouterLacks) {
  RouterCandidate router{.node = "r1",
                         .file = "r1.conf",
                         .config =
                             "service integrated-vtysh-config\n"
                             "interface eth1\n ip ospf cost 5\n shutdown\nexit\n"
                             "router ospf\n ospf router-id 10.0.0.1\n"
                             " log-adjacency-changes\n timers throttle spf 0 50 500\nexit\n"};
  std::map<std::string, std::string> current = {
      {"r1",
       "interface eth1\n ip ospf cost 5\nexit\n"
       "router ospf\n ospf router-id 10.0.0.1\n log-adjacency-changes\nexit\n"}};
  // FRR does not show the default log-adjacency-changes, which the change does not add
  // anyway; vtysh's own setting is in no running config; the shutdown did not take.
  std::string running =
      "frr version 8.4.4\nhostname r1\n!\ninterface eth1\n ip ospf cost 5\nexit\n!\n"
      "router ospf\n ospf router-id 10.0.0.1\n timers throttle spf 0 50 500\nexit\n!\nend\n";
  auto missing = lines_not_running(router, current, running);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].at, (SourceLine{"r1.conf", 4}));
  EXPECT_EQ(missing[0].text, "shutdown");
}

// FRR's dry run and the daemons a config needs: this needs Debian's FRR, not root.
TEST_F(CandidateTest, FrrRefusesALineAtItsCandidateLineAndANewDaemonIsRefused) {
  if (!fs::exists(frr::kVtyshBinary)) {
    if (std::getenv("CI")) FAIL() << frr::kVtyshBinary << " is missing; CI must have FRR";
    GTEST_SKIP() << frr::kVtyshBinary << " is missing";
  }
  std::string file = write("typo.yaml", "pop1: |\n  interface eth1\n   shutdwn\n");
  auto loaded = load_candidate(file, topology_, plan_);
  ASSERT_TRUE(loaded.candidate) << model::format_diagnostics(loaded.errors);
  auto errors = check_candidate(*loaded.candidate, plan_, *runner_, dir_.string());
  ASSERT_EQ(errors.size(), 1u) << model::format_diagnostics(errors);
  EXPECT_THAT(errors[0].str(), HasSubstr("typo.yaml:3:"));
  EXPECT_THAT(errors[0].str(), HasSubstr("shutdwn"));

  std::string pop2 =
      current_.at("pop2") + "router isis core\n net 49.0001.0000.0000.0002.00\nexit\n";
  write("cand/pop2.conf", pop2);
  auto whole = load_candidate((dir_ / "cand").string(), topology_, plan_);
  ASSERT_TRUE(whole.candidate);
  errors = check_candidate(*whole.candidate, plan_, *runner_, dir_.string());
  ASSERT_EQ(errors.size(), 1u) << model::format_diagnostics(errors);
  EXPECT_THAT(errors[0].str(), HasSubstr("cand/pop2.conf: the candidate needs isisd"));
}

}  // namespace
}  // namespace blastlab::gate
