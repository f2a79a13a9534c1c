// `blastlab run` end to end on the real lab: minimal.yaml with the backbone shut and rolled
// back (scripts/backbone-shutdown.yaml). The report must tell the story the lab lived: every
// site withdrew after the change, the client's DNS outage began after the withdrawals and
// ended after the rollback, recovery was measured, and the HTML report renders in a real
// browser. A failing expectation exits 1.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/lab/lab_fixture.hpp"

namespace blastlab::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json read_json(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "no " << path;
  return json::parse(in, nullptr, false);
}

double number(const json& j, const char* what) {
  EXPECT_TRUE(j.is_number()) << what << " is " << j.dump();
  return j.is_number() ? j.get<double>() : -1;
}

class RunTest : public LabTest {
 protected:
  std::string out_dir(const std::string& tag) { return run_dir_ + "/out-" + tag; }

  // `blastlab run` of a change script written here on minimal.yaml, in its own lab and
  // output directory named by `tag`; what it printed, and its report.json (discarded JSON
  // when it wrote none).
  struct Ran {
    proc::RunResult result;
    std::string out;  // the output directory
    json report;
  };
  Ran run_minimal(const std::string& tag, const std::string& script_text,
                  std::chrono::seconds timeout = std::chrono::seconds(120)) {
    std::string script = write_file(tag + ".yaml", script_text);
    Ran ran{.out = out_dir(tag)};
    ran.result = blastlab({"run", source_path("topologies/minimal.yaml"), script, "--out", ran.out,
                           "--name", lab_name(tag.substr(0, 5))},
                          timeout);
    ran.report = read_json(ran.out + "/report.json");
    return ran;
  }
};

TEST_F(RunTest, BackboneShutdownAndRollbackIsMeasuredEndToEnd) {
  std::string out = out_dir("backbone");
  auto result = blastlab(
      {"run", source_path("topologies/minimal.yaml"), source_path("scripts/backbone-shutdown.yaml"),
       "--out", out, "--name", lab_name("run")},
      std::chrono::seconds(240));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("PASS"), std::string::npos) << result.out;
  json report = read_json(out + "/report.json");
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["schema_version"], 2);
  EXPECT_EQ(report["verdict"], "pass") << report["verdict_reasons"].dump();
  EXPECT_TRUE(report["gaps"].empty()) << report["gaps"].dump();
  double change = number(report["run"]["change_s"], "run.change_s");
  double rollback = number(report["run"]["rollback_s"], "run.rollback_s");
  ASSERT_GT(rollback, change);

  // Every site withdrew after the change, each within its health timers' prediction.
  ASSERT_EQ(report["sites"].size(), 2u);
  double last_withdrawal = 0;
  for (const auto& site : report["sites"]) {
    EXPECT_TRUE(site["withdrawn"].get<bool>()) << site.dump();
    double withdrawn = number(site["withdrawn_after"]["measured_s"], "withdrawn_after");
    EXPECT_GT(withdrawn, 0) << site.dump();
    EXPECT_LE(withdrawn, site["withdrawn_after"]["predicted_max_s"].get<double>() + 1.0)
        << site.dump();
    last_withdrawal = std::max(last_withdrawal, change + withdrawn);
    EXPECT_TRUE(site["reannounced_after"]["measured_s"].is_number()) << site.dump();
  }
  EXPECT_EQ(report["blast_radius"]["sites_withdrawn"], 2);
  EXPECT_EQ(report["blast_radius"]["clients_affected"], 1);

  // The client's resolver outage starts after the withdrawals and ends after the rollback.
  const json* resolver = nullptr;
  for (const auto& c : report["clients"])
    if (c["target"] == "resolver") resolver = &c;
  ASSERT_NE(resolver, nullptr) << report["clients"].dump();
  ASSERT_FALSE((*resolver)["outages"].empty()) << resolver->dump();
  const json* main_outage = nullptr;
  for (const auto& w : (*resolver)["outages"])
    if (!main_outage || w["duration_s"] > (*main_outage)["duration_s"]) main_outage = &w;
  double outage_start = number((*main_outage)["start_s"], "outage start");
  double outage_end = number((*main_outage)["end_s"], "outage end");
  EXPECT_GE(outage_start, last_withdrawal - 0.5) << main_outage->dump();
  EXPECT_GT(outage_end, rollback) << main_outage->dump();
  EXPECT_LT((*resolver)["success_ratio"].get<double>(), 1.0);

  // Recovery after the rollback was measured and complete.
  EXPECT_TRUE(report["recovery"]["complete"].get<bool>()) << report["recovery"].dump();
  EXPECT_GT(number(report["recovery"]["all_s"], "recovery.all_s"), 0);

  // The merged timeline is there, sorted.
  std::ifstream events(out + "/events.jsonl");
  int64_t last = 0;
  size_t lines = 0;
  for (std::string line; std::getline(events, line); ++lines) {
    auto e = json::parse(line);
    EXPECT_GE(e["ts"].get<int64_t>(), last);
    last = e["ts"].get<int64_t>();
  }
  EXPECT_GT(lines, 100u);

  // The HTML report renders in headless Chromium, timeline lanes and all.
  const char* chromium = "/usr/bin/chromium";
  ASSERT_TRUE(fs::exists(chromium)) << "Debian's chromium is missing; scripts/setup.sh installs it";
  auto dom = runner_->run({.argv = {chromium, "--headless", "--no-sandbox", "--disable-gpu",
                                    "--user-data-dir=" + run_dir_ + "/chromium", "--dump-dom",
                                    "file://" + out + "/report.html"}},
                          std::chrono::seconds(90));
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  EXPECT_NE(dom.out.find("lane-site"), std::string::npos);
  EXPECT_NE(dom.out.find("lane-route"), std::string::npos);
  EXPECT_NE(dom.out.find("lane-client"), std::string::npos);
  EXPECT_NE(dom.out.find("dns1"), std::string::npos);

  // Nothing of the lab is left.
  auto status = blastlab({"status"});
  EXPECT_EQ(status.out.find(lab_name("run")), std::string::npos) << status.out;
}

TEST_F(RunTest, AFailingExpectationExitsOne) {
  auto [result, out, report] = run_minimal("failing", R"(name: one-pop-cut
probes: {dns: {rate: 5}}
baseline: 1s
observe: 1s
steps:
  - {name: cut, link: {between: [bb1, pop1], state: down}}
  - {after: 1s, rollback: cut}
expect:
  - sites.withdrawn >= 5
)");
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("FAIL"), std::string::npos) << result.out;
  EXPECT_FALSE(report["passed"].get<bool>());
  EXPECT_EQ(report["verdict"], "fail") << report["verdict_reasons"].dump();
  ASSERT_EQ(report["expectations"].size(), 1u);
  EXPECT_FALSE(report["expectations"][0]["passed"].get<bool>());
  std::ifstream junit(out + "/junit.xml");
  std::string text((std::istreambuf_iterator<char>(junit)), {});
  EXPECT_NE(text.find("<failure"), std::string::npos) << text;
}

TEST_F(RunTest, AStoppedRouterAndDnsHostStartAgainAndTheLabConverges) {
  auto [result, out, report] = run_minimal("crash", R"(name: crash
probes: {dns: {rate: 5}}
baseline: 1s
observe: 1s
steps:
  - {name: crash, stop: [pop1, dns1]}
  - {after: 2s, rollback: crash}
  - wait: {until: converged, timeout: 40s}
expect:
  - steps.failed == 0
)");
  // Converging again needs every daemon of pop1 and dns1 running, their sessions up and
  // dns1's healthd announcing again.
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  ASSERT_EQ(report["steps"].size(), 3u) << report["steps"].dump();
  for (const auto& step : report["steps"]) EXPECT_EQ(step["state"], "done") << step.dump();
  EXPECT_EQ(report["verdict"], "pass") << report["verdict_reasons"].dump();
}

// The pid of a process the lab recorded on a node, from `blastlab status LAB --json`, or
// 0 while there is none running.
pid_t recorded_pid(const json& status, const std::string& node, const std::string& what) {
  for (const auto& n : status["nodes"]) {
    if (n["name"] != node) continue;
    for (const auto& p : n["processes"])
      if (p["what"] == what && p["running"].get<bool>()) return p["pid"].get<pid_t>();
  }
  return 0;
}

TEST_F(RunTest, AKilledProbeMakesTheRunIncompleteAndTheReportSaysWhoAndWhen) {
  std::string script = write_file("probe-dies.yaml", R"(name: probe-dies
probes: {dns: {rate: 5}}
baseline: 2s
observe: 6s
steps:
  - {name: cut, link: {between: [bb1, pop1], state: down}}
  - {after: 1s, rollback: cut}
expect:
  - dns.success_ratio >= 0.5
  - steps.failed == 0
)");
  std::string out = out_dir("probe-dies");
  std::string lab = lab_name("dies");
  auto run = start_blastlab(
      {"run", source_path("topologies/minimal.yaml"), script, "--out", out, "--name", lab},
      run_dir_ + "/probe-dies.log");
  // dnsprobe on client1, by the pid the lab recorded, once it has run for a while.
  pid_t probe = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!probe && std::chrono::steady_clock::now() < deadline && run->running()) {
    auto status = blastlab({"status", lab, "--json"});
    if (status.exit_code == 0) {
      json j = json::parse(status.out, nullptr, false);
      if (j.is_object()) probe = recorded_pid(j, "client1", "dnsprobe");
    }
    if (!probe) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  if (!probe) {
    std::ifstream log(run_dir_ + "/probe-dies.log");
    FAIL() << "dnsprobe never ran on client1; the run said:\n" << log.rdbuf();
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  ASSERT_EQ(::kill(probe, SIGKILL), 0);
  auto code = run->wait_for(std::chrono::seconds(120));
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 3) << "an incomplete run exits 3";

  json report = read_json(out + "/report.json");
  EXPECT_EQ(report["verdict"], "incomplete");
  bool named = false;
  for (const auto& gap : report["gaps"]) {
    if (gap["agent"] == "dnsprobe" && gap["node"] == "client1" && gap["what"] == "died") {
      named = true;
      EXPECT_GT(number(gap["from_s"], "gap.from_s"), 2.0) << gap.dump();
    }
  }
  EXPECT_TRUE(named) << report["gaps"].dump();
  // The expectation on its metric fails, naming why it has no value.
  const json& dns = report["expectations"][0];
  EXPECT_FALSE(dns["passed"].get<bool>());
  EXPECT_TRUE(dns["value"].is_null());
  EXPECT_NE(dns["missing"].get<std::string>().find("dnsprobe on client1 died at"),
            std::string::npos)
      << dns.dump();
  // The text and the HTML show the gap; junit fails its run case.
  std::ifstream text_in(out + "/report.txt");
  std::string text((std::istreambuf_iterator<char>(text_in)), {});
  EXPECT_NE(text.find("INCOMPLETE"), std::string::npos) << text;
  EXPECT_NE(text.find("dnsprobe on client1"), std::string::npos) << text;
  std::ifstream html_in(out + "/report.html");
  std::string html((std::istreambuf_iterator<char>(html_in)), {});
  EXPECT_NE(html.find("badge incomplete"), std::string::npos);
  EXPECT_NE(html.find("id=\"gaps\""), std::string::npos);
  std::ifstream junit_in(out + "/junit.xml");
  std::string junit((std::istreambuf_iterator<char>(junit_in)), {});
  EXPECT_NE(junit.find("<failure type=\"incomplete\""), std::string::npos) << junit;
  auto status = blastlab({"status"});
  EXPECT_EQ(status.out.find(lab), std::string::npos) << status.out;
}

// A gate reads the BGP sessions from the routers' logs while it observes, not only once
// the run is over: cutting pop1 off the backbone takes its sessions down within the hold
// time (3 s), long before the gate's 10 s are up, and the gate halts the rollout.
TEST_F(RunTest, AGateSeesBgpSessionsGoDownWhileItObserves) {
  auto [result, out, report] = run_minimal("gate-bgp", R"(name: gate-bgp
probes: {dns: {rate: 5}}
baseline: 1s
observe: 1s
steps:
  - {name: cut, link: {between: [bb1, pop1], state: down}}
  - {name: watch, gate: {observe: 10s, expect: [bgp.sessions_down == 0]}}
  - {name: cut-more, link: {between: [bb2, pop2], state: down}}
  - {rollback: cut}
)");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  ASSERT_EQ(report["steps"].size(), 4u) << report["steps"].dump();
  const json& gate = report["steps"][1];
  EXPECT_EQ(gate["state"], "halted") << gate.dump();
  EXPECT_NE(gate["detail"].get<std::string>().find("bgp.sessions_down is"), std::string::npos)
      << gate.dump();
  double observed = number(gate["end_s"], "gate end_s") - number(gate["start_s"], "start_s");
  EXPECT_LT(observed, 9.0) << "the gate saw the sessions only at the end: " << gate.dump();
  EXPECT_EQ(report["steps"][2]["state"], "skipped") << report["steps"][2].dump();
  EXPECT_EQ(report["steps"][3]["state"], "done") << report["steps"][3].dump();
}

// `blastlab run ... | head` closes the controller's output early: it must carry on, write
// its report and remove its lab, not die of SIGPIPE with a lab up.
TEST_F(RunTest, AClosedPipeOnItsOutputDoesNotStopTheRun) {
  std::string script = write_file("pipe.yaml", R"(name: pipe
probes: {dns: {rate: 5}}
baseline: 1s
observe: 1s
steps:
  - {name: cut, link: {between: [bb1, pop1], state: down}}
  - {after: 1s, rollback: cut}
)");
  std::string out = out_dir("pipe");
  std::string lab = lab_name("pipe");
  // `true` exits at once, so every write to stdout meets a pipe nobody reads.
  auto result = runner_->run(
      {.argv = {"bash", "-c", "\"$0\" \"$@\" 2>\"$LOG\" | true; exit \"${PIPESTATUS[0]}\"",
                blastlab_binary(), "run", source_path("topologies/minimal.yaml"), script, "--out",
                out, "--name", lab},
       .env = {{"BLASTLAB_RUN_DIR", run_dir_}, {"LOG", run_dir_ + "/pipe.log"}}},
      std::chrono::seconds(120));
  std::ifstream log_in(run_dir_ + "/pipe.log");
  std::string log((std::istreambuf_iterator<char>(log_in)), {});
  EXPECT_EQ(result.exit_code, 0) << log;
  json report = read_json(out + "/report.json");
  EXPECT_EQ(report["verdict"], "pass") << report["verdict_reasons"].dump();
  auto status = blastlab({"status"});
  EXPECT_EQ(status.out.find(lab), std::string::npos) << status.out;
}

TEST_F(RunTest, AStoppedPeerKeepsItsRoutewatchMeasuring) {
  // transit1 goes dark and comes back: its routewatch must see the routes go and return,
  // and the run stay complete.
  auto [result, out, report] = run_minimal("peer-stop", R"(name: peer-stop
probes: {dns: {rate: 5}, routes: {at: role:peer, prefixes: [anycast]}}
baseline: 1s
observe: 2s
steps:
  - {name: crash, stop: transit1}
  - {after: 4s, rollback: crash}
  - wait: {until: converged, timeout: 40s}
  - wait: {until: prefix-back, at: transit1, prefix: 198.51.100.0/26, timeout: 30s}
expect:
  - steps.failed == 0
)",
                                           std::chrono::seconds(150));
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(report["verdict"], "pass") << report["verdict_reasons"].dump();
  EXPECT_TRUE(report["gaps"].empty()) << report["gaps"].dump();
  // routewatch on transit1 saw the prefix go with its bgpd and come back after the start.
  const json* route = nullptr;
  for (const auto& r : report["routes"])
    if (r["vantage"] == "transit1" && r["kind"] == "anycast") route = &r;
  ASSERT_NE(route, nullptr) << report["routes"].dump();
  EXPECT_FALSE((*route)["no_events"].get<bool>());
  EXPECT_TRUE((*route)["lost"].get<bool>()) << route->dump();
  ASSERT_FALSE((*route)["absent_windows"].empty()) << route->dump();
  EXPECT_TRUE((*route)["absent_windows"].back()["end_s"].is_number())
      << "regained after the start: " << route->dump();
}

TEST_F(RunTest, CtrlCAfterTheChangeRunsItsRollbackThenRemovesTheLab) {
  std::string script = write_file("interrupted.yaml", R"(name: interrupted
probes: {dns: {rate: 5}}
baseline: 1s
observe: 1s
steps:
  - {name: cut, link: {between: [bb1, pop1], state: down}}
  - {after: 30s, rollback: cut}
  - wait: {until: converged, timeout: 30s}
)");
  std::string out = out_dir("interrupted");
  std::string lab = lab_name("intr");
  auto run = start_blastlab(
      {"run", source_path("topologies/minimal.yaml"), script, "--out", out, "--name", lab},
      run_dir_ + "/interrupted.log");
  ASSERT_TRUE(wait_for_step(run_dir_ + "/" + lab, "cut", *run, std::chrono::seconds(60)))
      << "the change never ran";
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto sent = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(run->pid(), SIGINT), 0);
  auto code = run->wait_for(std::chrono::seconds(60));
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 130);
  EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(25))
      << "the rollback ran at once, not at its scheduled 30 s";

  json report = read_json(out + "/report.json");
  ASSERT_EQ(report["steps"].size(), 3u) << report["steps"].dump();
  EXPECT_EQ(report["steps"][0]["state"], "done");
  EXPECT_EQ(report["steps"][1]["kind"], "rollback");
  EXPECT_EQ(report["steps"][1]["state"], "done") << report["steps"][1].dump();
  EXPECT_NE(report["steps"][1]["detail"].get<std::string>().find("after Ctrl-C"), std::string::npos)
      << report["steps"][1].dump();
  EXPECT_LT(number(report["steps"][1]["start_s"], "rollback start"), 20.0);
  EXPECT_EQ(report["steps"][2]["state"], "skipped");
  EXPECT_EQ(report["verdict"], "incomplete") << "cut short: " << report["verdict_reasons"].dump();
  EXPECT_TRUE(report["run"]["cut_short"].get<bool>());
  auto status = blastlab({"status"});
  EXPECT_EQ(status.out.find(lab), std::string::npos) << "the lab is gone: " << status.out;
}

TEST_F(RunTest, AReportThatCannotBeWrittenKeepsTheEventsAndSaysWhere) {
  // --out on a file system with no room left.
  std::string full = run_dir_ + "/full";
  fs::create_directories(full);
  ASSERT_EQ(runner_
                ->run({.argv = {"mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", full}},
                      std::chrono::seconds(10))
                .exit_code,
            0);
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{full};
  fs::create_directories(full + "/out");
  {
    std::ofstream filler(full + "/filler");
    std::string block(1024, 'x');
    for (int i = 0; i < 64 && filler; ++i) filler << block << std::flush;
  }
  std::string script = write_file("short.yaml", R"(name: short
probes: {dns: {rate: 5}}
baseline: 1s
observe: 1s
steps:
  - {name: cut, link: {between: [bb1, pop1], state: down}}
  - {after: 1s, rollback: cut}
)");
  auto result = blastlab({"run", source_path("topologies/minimal.yaml"), script, "--out",
                          full + "/out", "--name", lab_name("full")},
                         std::chrono::seconds(120));
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  const std::string said = "events are kept in ";
  auto at = result.err.find(said);
  ASSERT_NE(at, std::string::npos) << result.err;
  std::string kept = result.err.substr(at + said.size());
  kept = kept.substr(0, kept.find_first_of(" \n;"));
  ASSERT_TRUE(fs::exists(kept)) << kept;
  std::ifstream in(kept);
  size_t lines = 0, queries = 0;
  for (std::string line; std::getline(in, line); ++lines)
    if (line.find("\"event\":\"query\"") != std::string::npos) ++queries;
  EXPECT_GT(queries, 5u) << "the probes' answers are among them";
  fs::remove_all(fs::path(kept).parent_path());
  auto status = blastlab({"status"});
  EXPECT_EQ(status.out.find(lab_name("full")), std::string::npos) << status.out;
}

}  // namespace
}  // namespace blastlab::testing
