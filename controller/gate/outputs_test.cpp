// The gate's outputs for four gates built by hand (test_support.hpp), compared byte for
// byte with the files in testdata/: what a CI shows is reviewed there, as it will look. Set
// BLASTLAB_UPDATE_GOLDEN=1 to rewrite them after a deliberate change, and review the diff.
#include "controller/gate/outputs.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "controller/gate/test_support.hpp"
#include "controller/report/test_support.hpp"

namespace blastlab::gate {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Compares `actual` with testdata/NAME, or rewrites the file when asked to.
void expect_golden(const std::string& name, const std::string& actual) {
  std::string path = std::string(BLASTLAB_SOURCE_DIR) + "/controller/gate/testdata/" + name;
  const char* update = std::getenv("BLASTLAB_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") std::ofstream(path) << actual;
  EXPECT_EQ(actual, read_file(path)) << "differs from " << path;
}

struct Golden {
  const char* name;
  GateResult (*make)();
};
const Golden kGates[] = {{"passed", test::passed_gate},
                         {"audit-blocked", test::audit_blocked_gate},
                         {"lab-blocked", test::lab_blocked_gate},
                         {"incomplete", test::incomplete_gate}};

TEST(GateOutputsTest, JunitByteForByte) {
  for (const auto& g : kGates)
    expect_golden(std::string(g.name) + ".junit.xml", gate_junit(g.make()));
}

TEST(GateOutputsTest, SummaryByteForByte) {
  for (const auto& g : kGates)
    expect_golden(std::string(g.name) + ".summary.md", gate_summary_markdown(g.make()));
}

TEST(GateOutputsTest, AnnotationsByteForByte) {
  for (const auto& g : kGates)
    expect_golden(std::string(g.name) + ".annotations.txt", gate_annotations(g.make()));
}

TEST(GateOutputsTest, JunitIsWellFormed) {
  for (const auto& g : kGates) EXPECT_EQ(report::xml_problem(gate_junit(g.make())), "") << g.name;
}

TEST(GateOutputsTest, VerdictWordsAndExitCodes) {
  EXPECT_EQ(to_string(GateVerdict::kPass), "pass");
  EXPECT_EQ(to_string(GateVerdict::kBlocked), "blocked");
  EXPECT_EQ(to_string(GateVerdict::kIncomplete), "incomplete");
  EXPECT_EQ(test::passed_gate().exit_code(), 0);
  EXPECT_EQ(test::audit_blocked_gate().exit_code(), 1);
  EXPECT_EQ(test::lab_blocked_gate().exit_code(), 1);
  EXPECT_EQ(test::incomplete_gate().exit_code(), 3);
  EXPECT_EQ(GateResult{}.exit_code(), 3);  // nothing decided is not a pass
}

TEST(GateOutputsTest, AnnotationsEscapeDataAndProperties) {
  GateResult g = test::lab_blocked_gate();
  g.invariants[1].blame = {{"a:b,c%.conf", 3}};
  g.invariants[2].passed = true;
  g.prediction_differences = {"line one\r\nline two, 100%: done"};
  std::string out = gate_annotations(g);
  EXPECT_NE(out.find("::error file=a%3Ab%2Cc%25.conf,line=3,title=blastlab gate%3A "
                     "dns.success_ratio >= baseline - 0.01::dns.success_ratio = 0.5, limit >= "
                     "0.99 (baseline 1)\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("::warning title=blastlab gate%3A prediction::line one%0D%0Aline two, "
                     "100%25: done\n"),
            std::string::npos)
      << out;
}

TEST(GateOutputsTest, SummaryEscapesPipesInTableCells) {
  GateResult g = test::lab_blocked_gate();
  g.invariants[2].measured.reset();
  g.invariants[2].missing = "dnsprobe|querywatch\nboth died";
  std::string out = gate_summary_markdown(g);
  EXPECT_NE(out.find("| `clients.affected == 0` | 0 | — (dnsprobe\\|querywatch both died) | == 0 "
                     "| **FAIL** |\n"),
            std::string::npos)
      << out;
}

TEST(GateOutputsTest, AnAuditRefusalWithoutAFailedInvariantPointsAtTheCandidate) {
  GateResult g = test::audit_blocked_gate();
  for (auto& r : g.audit.on_prediction) r.passed = true;
  EXPECT_EQ(gate_annotations(g),
            "::error file=candidates/pr-42,title=blastlab gate%3A audit::the audit refused the "
            "change: the change cuts 4 of 6 backbone links (67%25), more than 50%25\n"
            "::notice title=blastlab gate::BLOCKED: the audit refused the change: the change cuts "
            "4 of 6 backbone links (67%25), more than 50%25\n");
}

// A line that breaks several invariants is one annotation naming them all.
TEST(GateOutputsTest, OneAnnotationPerLineWithEveryInvariantBrokenThere) {
  GateResult g = test::audit_blocked_gate();
  g.audit.on_prediction[2].blame = {{"candidates/pr-42/bb1.conf", 8}};
  EXPECT_EQ(gate_annotations(g),
            "::error file=candidates/pr-42/bb1.conf,line=8,title=blastlab gate%3A 2 invariants "
            "broken::sites.withdrawn predicted 2, limit <= 1; bgp.sessions_down predicted 4, limit "
            "== 0\n"
            "::error file=candidates/pr-42/bb1.conf,line=11,title=blastlab gate%3A sites.withdrawn "
            "<= 1::sites.withdrawn predicted 2, limit <= 1\n"
            "::notice title=blastlab gate::BLOCKED: the audit refused the change: the change cuts "
            "4 of 6 backbone links (67%25), more than 50%25\n");
}

TEST(GateOutputsTest, PredictOnlyPassesOnThePrediction) {
  GateResult g = test::audit_blocked_gate();
  g.audit.passed = true;
  for (auto& r : g.audit.on_prediction) r.passed = true;
  g.predict_only = true;
  g.stopped_before_lab = "--predict-only";
  g.verdict = GateVerdict::kPass;
  EXPECT_EQ(gate_reason(g),
            "all 3 invariants held on the prediction; the lab did not run: --predict-only");
  std::string xml = gate_junit(g);
  EXPECT_NE(xml.find("<skipped message=\"the gate stopped before the lab: --predict-only\"/>"),
            std::string::npos);
  EXPECT_EQ(report::count(xml, "<failure "), 0u);
}

TEST(GateOutputsTest, JsonKeysInOrderAndNullsForWhatIsAbsent) {
  nlohmann::ordered_json json = gate_json(test::lab_blocked_gate());
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "verdict",     "exit_code",  "reason",       "topology",
                      "candidate",   "policy",     "lab",          "changes",
                      "audit",       "prediction", "predict_only", "stopped_before_lab",
                      "lab_ran",     "invariants", "incomplete",   "prediction_differences",
                      "not_running", "predicted",  "measured",     "phases",
                      "report_dir"}));
  EXPECT_EQ(json["verdict"], "blocked");
  EXPECT_EQ(json["exit_code"], 1);
  const auto& relative = json["invariants"][1];
  EXPECT_EQ(relative["text"], "dns.success_ratio >= baseline - 0.01");
  EXPECT_EQ(relative["relative"], true);
  EXPECT_EQ(relative["baseline"], 1.0);
  EXPECT_EQ(relative["limit"], 0.99);
  EXPECT_TRUE(relative["predicted"].is_null());
  EXPECT_EQ(relative["blame"][0]["line"], 12);
  EXPECT_EQ(json["changes"][0]["commands"][1]["command"], " neighbor 10.0.0.9 shutdown");
  EXPECT_EQ(json["changes"][0]["commands"][1]["line"], 12);
  EXPECT_EQ(json["measured"]["missing"]["reachability.pairs_lost"],
            "no node runs reachprobe (the script has no `probes.reach`)");
  EXPECT_EQ(json["phases"][2]["name"], "up");
}

TEST(GateOutputsTest, WriteOutputsWritesTheFourFiles) {
  report::TempDir dir;
  GateResult g = test::lab_blocked_gate();
  GateFiles files = write_outputs(dir.path() + "/out", g);
  EXPECT_EQ(files.junit, dir.path() + "/out/junit.xml");
  EXPECT_EQ(read_file(files.junit), gate_junit(g));
  EXPECT_EQ(read_file(files.summary), gate_summary_markdown(g));
  EXPECT_EQ(read_file(files.annotations), gate_annotations(g));
  EXPECT_EQ(nlohmann::ordered_json::parse(read_file(files.json)), gate_json(g));
  EXPECT_EQ(files.json, dir.path() + "/out/gate.json");
}

}  // namespace
}  // namespace blastlab::gate
