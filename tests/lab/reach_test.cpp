// Reachability and routes beyond DNS, end to end on the real lab: reach.yaml (transits and
// clients, no DNS at all) with the link t1–t2 shut and brought back
// (scripts/reach-link-down.yaml). The report must show which pairs lost each other (ICMP and
// TCP, through the listeners the run started), that they were lost after the cut and
// regained after the rollback, that the pairs on the far side kept each other, and where the
// watched client networks went at t1.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/lab/lab_fixture.hpp"

namespace blastlab::testing {
namespace {

using nlohmann::json;

class ReachTest : public LabTest {};

TEST_F(ReachTest, ALinkDownShowsThePairsLostAndRegainedInTheReport) {
  std::string out = run_dir_ + "/out-reach";
  auto result = blastlab(
      {"run", source_path("topologies/reach.yaml"), source_path("scripts/reach-link-down.yaml"),
       "--out", out, "--name", lab_name("reach")},
      std::chrono::seconds(180));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  json report = json::parse(read_text(out + "/report.json"), nullptr, false);
  ASSERT_TRUE(report.is_object()) << "no report.json in " << out;
  EXPECT_EQ(report["verdict"], "pass") << report["verdict_reasons"].dump();
  EXPECT_TRUE(report["gaps"].empty()) << report["gaps"].dump();
  double change = report["run"]["change_s"].get<double>();
  double rollback = report["run"]["rollback_s"].get<double>();

  const json& reach = report["reachability"];
  ASSERT_EQ(reach["pairs"].size(), 8u) << reach.dump();
  EXPECT_EQ(reach["pairs_lost"], 6);
  EXPECT_EQ(reach["never_answered"], 0);
  auto is_cut_off = [](const json& p) {
    // c1 is behind t1; everything else is behind t2 or t3.
    return p["from"] == "c1" || p["target"] == "c1";
  };
  for (const auto& p : reach["pairs"]) {
    SCOPED_TRACE(p.dump());
    EXPECT_FALSE(p["no_events"].get<bool>());
    EXPECT_GT(p["probes"].get<int>(), 30);
    EXPECT_GT(p["ok"].get<int>(), 0);
    if (p["proto"] == "tcp") {
      EXPECT_EQ(p["port"], 8080);
      // The listener answered in the baseline: a refusal would mean nothing listened.
      EXPECT_EQ(p["failures"]["refused"], 0);
    }
    if (!is_cut_off(p)) {
      EXPECT_FALSE(p["lost"].get<bool>());
      EXPECT_TRUE(p["outages"].empty());
      EXPECT_EQ(p["success_ratio"], 1.0);
      continue;
    }
    EXPECT_TRUE(p["lost"].get<bool>());
    ASSERT_TRUE(p["lost_after_change_s"].is_number());
    EXPECT_LT(p["lost_after_change_s"].get<double>(), 3.0);
    ASSERT_TRUE(p["regained_after_rollback_s"].is_number());
    ASSERT_FALSE(p["outages"].empty());
    const json& outage = p["outages"].back();
    EXPECT_GE(outage["start_s"].get<double>(), change - 0.2);
    ASSERT_TRUE(outage["end_s"].is_number()) << "still lost at the end";
    EXPECT_GT(outage["end_s"].get<double>(), rollback);
    EXPECT_GT(p["outage_s"].get<double>(), 1.0);
    EXPECT_GT(p["failures"]["timeout"].get<int>() + p["failures"]["unreachable"].get<int>(), 0);
  }
  EXPECT_TRUE(report["recovery"]["reachability_s"].is_number()) << report["recovery"].dump();
  EXPECT_TRUE(report["recovery"]["complete"].get<bool>());

  // Where c2's network went at t1: removed with the link, added back after it.
  const json* at_t1 = nullptr;
  for (const auto& r : report["routes"])
    if (r["vantage"] == "t1" && r["prefix"] == "203.0.113.16/28") at_t1 = &r;
  ASSERT_NE(at_t1, nullptr) << report["routes"].dump();
  EXPECT_TRUE((*at_t1)["lost"].get<bool>());
  EXPECT_TRUE((*at_t1)["regained_after"]["measured_s"].is_number());
  std::vector<std::string> actions;
  for (const auto& h : (*at_t1)["next_hops"]) actions.push_back(h["action"]);
  ASSERT_GE(actions.size(), 3u) << at_t1->dump();
  EXPECT_EQ(actions.front(), "present");
  EXPECT_NE(std::find(actions.begin(), actions.end(), "remove"), actions.end());
  EXPECT_EQ(actions.back(), "add");
  EXPECT_FALSE((*at_t1)["next_hops"].front()["gateway"].get<std::string>().empty());

  // The renderings say it too.
  std::string text = read_text(out + "/report.txt");
  EXPECT_NE(text.find("pairs unreachable  6/8"), std::string::npos) << text;
  EXPECT_NE(text.find("c1 \u2192 c2"), std::string::npos) << text;
  EXPECT_NE(text.find("after rollback"), std::string::npos) << text;
  EXPECT_EQ(text.find("sites withdrawn"), std::string::npos) << "no DNS sites in this lab";
  std::string html = read_text(out + "/report.html");
  EXPECT_NE(html.find("class=\"lane lane-reach\" data-from=\"c1\" data-target=\"c2\""),
            std::string::npos);
  EXPECT_NE(html.find("seg seg-lost"), std::string::npos);
  EXPECT_NE(result.out.find("reachability"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace blastlab::testing
