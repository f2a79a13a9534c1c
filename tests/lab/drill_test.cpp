// Every shipped drill, run by a scripted trainee on the real lab: `drill start` puts the
// fault in, `check` says not restored and names a symptom, the trainee fixes it with
// `blastlab vtysh` as a person would, `check` says restored, and `end` scores it: restored
// within the limit, no collateral for the right fix (and one line for a fix that changed
// one thing more), the trainee's changes as markers. The fault a seed picks is the one
// choose_fault() gives, so a drill replays with its seed.
#include "controller/drill/drill.hpp"

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/lab/lab_fixture.hpp"

namespace blastlab::testing {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

// One line of what `drill reveal` says the fault changed: "  pop3: + CTX > CTX > LINE".
struct FaultLine {
  std::string node;
  bool added = false;
  std::vector<std::string> context;
  std::string line;
};

std::vector<FaultLine> fault_lines(const std::string& reveal) {
  std::vector<FaultLine> lines;
  static const std::regex kLine(R"(^  ([a-z][a-z0-9-]*): ([+-]) (.*)$)");
  std::istringstream in(reveal);
  for (std::string text; std::getline(in, text);) {
    std::smatch m;
    if (!std::regex_match(text, m, kLine)) continue;
    FaultLine f{m[1], m[2] == "+", {}, ""};
    std::string rest = m[3];
    for (size_t at; (at = rest.find(" > ")) != std::string::npos; rest = rest.substr(at + 3))
      f.context.push_back(rest.substr(0, at));
    f.line = rest;
    lines.push_back(f);
  }
  return lines;
}

class DrillTest : public LabTest {
 protected:
  // Starts the drill; the briefing is printed and the lab runs the drill.
  void start(const std::string& drill, uint64_t seed) {
    lab_ = lab_name("drill");
    drill_path_ = source_path("drills/" + drill + ".yaml");
    auto r = blastlab(
        {"drill", "start", drill_path_, "--seed", std::to_string(seed), "--name", lab_}, 180s);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Time limit"), std::string::npos) << r.out;
    auto reveal = blastlab({"drill", "reveal", "--name", lab_});
    ASSERT_EQ(reveal.exit_code, 0) << reveal.out << reveal.err;
    reveal_ = reveal.out;
    // The seed picks the fault choose_fault() picks: the drill replays with it.
    auto loaded = drill::load_drill_file(drill_path_);
    ASSERT_TRUE(loaded.drill);
    const auto& expected = loaded.drill->faults[drill::choose_fault(*loaded.drill, seed)].name;
    EXPECT_NE(reveal_.find("fault " + expected + " ("), std::string::npos) << reveal_;
  }

  // `check` right after the fault: not restored (exit 1), naming what still shows.
  void expect_broken(const std::string& symptom) {
    auto r = blastlab({"drill", "check", "--name", lab_}, 60s);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("not restored"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(symptom), std::string::npos) << r.out;
  }

  // The trainee's fix, one `blastlab vtysh` per router: what the fault added is taken out
  // (unless `undo_added` is false: a changed value is set back instead), what it removed is
  // put back.
  void fix(bool undo_added = true,
           const std::map<std::string, std::vector<std::string>>& also = {}) {
    std::map<std::string, std::vector<std::string>> by_node;
    auto faults = fault_lines(reveal_);
    ASSERT_FALSE(faults.empty()) << reveal_;
    // What was added goes first: `no match ...` after the right match is set again would
    // name a match that is no longer there.
    for (bool added : {true, false}) {
      for (const auto& f : faults) {
        if (f.added != added || (f.added && !undo_added)) continue;
        auto& commands = by_node[f.node];
        for (const auto& c : f.context) commands.push_back(c);
        commands.push_back(f.added ? "no " + f.line : f.line);
        commands.push_back("end");
        commands.push_back("configure terminal");
      }
    }
    for (const auto& [node, extra] : also)
      by_node[node].insert(by_node[node].end(), extra.begin(), extra.end());
    for (const auto& [node, commands] : by_node) {
      std::vector<std::string> args = {"vtysh", lab_, node, "-c", "configure terminal"};
      for (const auto& c : commands) args.insert(args.end(), {"-c", c});
      auto r = blastlab(args, 30s);
      ASSERT_EQ(r.exit_code, 0) << node << ": " << r.out << r.err;
    }
  }

  // Checks every 3 s until restored; false when the deadline passed first.
  bool wait_restored(std::chrono::seconds deadline) {
    auto end = std::chrono::steady_clock::now() + deadline;
    while (true) {
      auto r = blastlab({"drill", "check", "--name", lab_}, 60s);
      last_check_ = r.out + r.err;
      if (r.exit_code == 0) return true;
      if (std::chrono::steady_clock::now() >= end) return false;
      std::this_thread::sleep_for(3s);
    }
  }

  json end() {
    std::string out = run_dir_ + "/report-" + lab_;
    auto r = blastlab({"drill", "end", "--name", lab_, "--out", out}, 120s);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(read_text(out + "/drill-report.html").find("<svg"), std::string::npos);
    EXPECT_FALSE(read_text(out + "/drill-report.txt").empty());
    EXPECT_FALSE(read_text(out + "/events.jsonl").empty());
    // The lab is gone with the drill's end.
    EXPECT_NE(blastlab({"status", lab_}).exit_code, 0);
    auto report = json::parse(read_text(out + "/drill-report.json"), nullptr, false);
    EXPECT_FALSE(report.is_discarded()) << r.out;
    return report;
  }

  // The report of a right fix: restored, scored, no collateral, the fix among the markers.
  void expect_right_fix(const json& report) {
    ASSERT_TRUE(report.is_object());
    EXPECT_TRUE(report["score"]["restored"].get<bool>()) << report.dump(2);
    EXPECT_GT(report["score"]["total"].get<int>(), 0) << report.dump(2);
    EXPECT_TRUE(report["collateral"].empty()) << report["collateral"].dump(2);
    EXPECT_TRUE(report["restored_s"].is_number());
    int changes = 0;
    for (const auto& m : report["markers"]) changes += m["kind"] == "change" ? 1 : 0;
    EXPECT_GT(changes, 0) << report["markers"].dump(2);
  }

  void run_drill(const std::string& drill, uint64_t seed, const std::string& symptom,
                 bool undo_added = true) {
    ASSERT_NO_FATAL_FAILURE(start(drill, seed));
    expect_broken(symptom);
    ASSERT_NO_FATAL_FAILURE(fix(undo_added));
    ASSERT_TRUE(wait_restored(60s)) << last_check_;
    expect_right_fix(end());
  }

  std::string lab_;
  std::string drill_path_;
  std::string reveal_;
  std::string last_check_;
};

TEST_F(DrillTest, BackboneCut) {
  run_drill("backbone-cut", 1, "missing at 4 of 4");
}

TEST_F(DrillTest, PopUplinks) {
  run_drill("pop-uplinks", 2, "NOT  ");
}

TEST_F(DrillTest, RouteMapTypo) {
  run_drill("route-map-typo", 3, "NOT  route-via 198.51.100.0/26 at pop3 via dns3");
}

TEST_F(DrillTest, WrongRemoteAs) {
  // The changed remote-as is set back, not removed (that would remove the neighbor).
  run_drill("wrong-remote-as", 4, "NOT  converged", false);
}

TEST_F(DrillTest, DnsServerDead) {
  run_drill("dns-server-dead", 5, "NOT  route-via 198.51.100.0/26 at pop3 via dns3");
}

// The right fix and one line more: that line, and only it, is collateral, and costs points.
TEST_F(DrillTest, ExchangeSessionAFixThatChangesMoreLeavesCollateral) {
  ASSERT_NO_FATAL_FAILURE(start("exchange-session", 6));
  expect_broken("NOT  converged");
  ASSERT_NO_FATAL_FAILURE(fix(true, {{"bb1", {"interface lo", "description looked-at", "end"}}}));
  ASSERT_TRUE(wait_restored(60s)) << last_check_;
  auto report = end();
  ASSERT_TRUE(report.is_object());
  EXPECT_TRUE(report["score"]["restored"].get<bool>());
  ASSERT_EQ(report["collateral"].size(), 1u) << report["collateral"].dump(2);
  EXPECT_EQ(report["collateral"][0]["router"], "bb1");
  EXPECT_EQ(report["collateral"][0]["line"], "description looked-at");
  bool charged = false;
  for (const auto& c : report["score"]["components"])
    if (c["name"] == "collateral") charged = c["points"].get<int>() == -5;
  EXPECT_TRUE(charged) << report["score"].dump(2);
}

}  // namespace
}  // namespace blastlab::testing
