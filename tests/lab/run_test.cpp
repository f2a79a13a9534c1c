// `blastlab run` end to end on the real lab: minimal.yaml with the backbone shut and rolled
// back (scripts/backbone-shutdown.yaml). The report must tell the story the lab lived: every
// site withdrew after the change, the client's DNS outage began after the withdrawals and
// ended after the rollback, recovery was measured, and the HTML report renders in a real
// browser. A failing expectation exits 1.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

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
  EXPECT_EQ(report["schema_version"], 1);
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
  std::string script = write_file("cut.yaml", R"(name: one-pop-cut
probes: {dns: {rate: 5}}
baseline: 1s
observe: 1s
steps:
  - {name: cut, link: {between: [bb1, pop1], state: down}}
  - {after: 1s, rollback: cut}
expect:
  - sites.withdrawn >= 5
)");
  std::string out = out_dir("failing");
  auto result = blastlab({"run", source_path("topologies/minimal.yaml"), script, "--out", out,
                          "--name", lab_name("fail")},
                         std::chrono::seconds(120));
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("FAIL"), std::string::npos) << result.out;
  json report = read_json(out + "/report.json");
  EXPECT_FALSE(report["passed"].get<bool>());
  ASSERT_EQ(report["expectations"].size(), 1u);
  EXPECT_FALSE(report["expectations"][0]["passed"].get<bool>());
  std::ifstream junit(out + "/junit.xml");
  std::string text((std::istreambuf_iterator<char>(junit)), {});
  EXPECT_NE(text.find("<failure"), std::string::npos) << text;
}

TEST_F(RunTest, AStoppedRouterAndDnsHostStartAgainAndTheLabConverges) {
  std::string script = write_file("crash.yaml", R"(name: crash
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
  std::string out = out_dir("crash");
  auto result = blastlab({"run", source_path("topologies/minimal.yaml"), script, "--out", out,
                          "--name", lab_name("crash")},
                         std::chrono::seconds(120));
  // Converging again needs every daemon of pop1 and dns1 running, their sessions up and
  // dns1's healthd announcing again.
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  json report = read_json(out + "/report.json");
  ASSERT_EQ(report["steps"].size(), 3u) << report["steps"].dump();
  for (const auto& step : report["steps"]) EXPECT_EQ(step["state"], "done") << step.dump();
}

}  // namespace
}  // namespace blastlab::testing
