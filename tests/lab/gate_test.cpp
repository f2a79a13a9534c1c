// `blastlab gate` on the real lab: candidates as engineers keep them, judged on fb-2021 and
// on the containerlab example with its own configs. Each gate is checked by its exit code,
// junit.xml, summary.md and annotations.txt, and its predicted blast radius against the
// measured one (equal, or the gate names the difference). Each test prints the gate's wall
// time and its phases: the gate's benchmark.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "controller/model/topology.hpp"
#include "tests/lab/lab_fixture.hpp"

namespace blastlab::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class GateTest : public LabTest {
 protected:
  struct Gate {
    int exit_code = -1;
    std::string out_dir;
    std::string stdout_text;
    json result;  // gate.json
    std::string junit, summary, annotations;
  };

  Gate gate(const std::string& tag, const std::string& topology, const std::string& candidate,
            const std::string& policy = "", bool predict_only = false) {
    Gate g;
    g.out_dir = run_dir_ + "/gate-" + tag;
    std::vector<std::string> args = {
        "gate",    source_path(topology), "--candidate", candidate, "--out", g.out_dir, "--name",
        next_lab()};
    if (!policy.empty()) args.insert(args.end(), {"--policy", policy});
    if (predict_only) args.push_back("--predict-only");
    auto run = blastlab(args, std::chrono::seconds(120));
    g.exit_code = run.exit_code;
    g.stdout_text = run.out;
    g.result = json::parse(read_text(g.out_dir + "/gate.json"), nullptr, false);
    g.junit = read_text(g.out_dir + "/junit.xml");
    g.summary = read_text(g.out_dir + "/summary.md");
    g.annotations = read_text(g.out_dir + "/annotations.txt");
    EXPECT_TRUE(g.result.is_object()) << run.out << run.err;
    // The benchmark: the gate's wall time with its phases.
    if (g.result.is_object()) {
      double total = 0;
      std::string phases;
      for (const auto& p : g.result["phases"]) {
        total += p["seconds"].get<double>();
        phases += fmt_phase(p["name"].get<std::string>(), p["seconds"].get<double>());
      }
      std::cout << "gate " << tag << ": " << g.result["verdict"].get<std::string>() << ", " << total
                << " s:" << phases << "\n";
    }
    return g;
  }

  static std::string fmt_phase(const std::string& name, double seconds) {
    std::ostringstream out;
    out.precision(3);
    out << " " << name << " " << seconds << " s;";
    return out.str();
  }

  // Lab names are short (at most 12 characters): g1, g2, ... and the process id.
  std::string next_lab() {
    std::string tag = "g";
    tag += std::to_string(++gates_);
    return lab_name(tag);
  }
  int gates_ = 0;

  // Predicted and measured agree on every figure both have, or the gate names a difference.
  static void expect_prediction_checked(const Gate& g) {
    const json& predicted = g.result["predicted"];
    const json& measured = g.result["measured"]["values"];
    bool differ = false;
    for (const auto& [metric, value] : predicted.items()) {
      if (measured.contains(metric) && measured[metric] != value) differ = true;
    }
    if (differ) {
      EXPECT_FALSE(g.result["prediction_differences"].empty())
          << "the prediction and the lab differ, and the gate does not say so: " << predicted.dump()
          << " / " << measured.dump();
    } else {
      EXPECT_TRUE(g.result["prediction_differences"].empty())
          << g.result["prediction_differences"].dump();
    }
  }

  // The 2021 change as engineers would write it: every backbone router shuts each interface
  // toward the backbone, the PoPs and the data centers.
  std::string the_2021_candidate() {
    auto loaded = model::load_topology_file(source_path("topologies/fb-2021.yaml"));
    EXPECT_TRUE(loaded.topology);
    const model::Topology& t = *loaded.topology;
    auto operator_role = [](const model::Node* n) {
      return n->role == model::Role::kBackbone || n->role == model::Role::kEdge ||
             n->role == model::Role::kDatacenter;
    };
    std::map<std::string, std::string> snippets;
    for (const auto& link : t.links) {
      for (auto [self, other] : {std::pair{&link.a, &link.b}, std::pair{&link.b, &link.a}}) {
        const model::Node* node = t.find_node(self->node);
        if (node->role != model::Role::kBackbone || !operator_role(t.find_node(other->node)))
          continue;
        snippets[self->node] += "  interface " + self->ifname + "\n   shutdown\n";
      }
    }
    std::string text = "# the 2021 capacity assessment: every backbone link shut\n";
    for (const auto& [node, lines] : snippets) text += node + ": |\n" + lines;
    return write_file("fb2021-candidate.yaml", text);
  }
};

TEST_F(GateTest, AHarmlessCandidateOnFb2021Passes) {
  std::string candidate = write_file("harmless.yaml",
                                     "pop1: |\n"
                                     "  interface tr1\n"
                                     "   description transit one, re-labelled\n"
                                     "pop2: |\n"
                                     "  route-map FROM-DNS permit 10\n"
                                     "   set local-preference 150\n");
  auto g = gate("harmless", "topologies/fb-2021.yaml", candidate);
  ASSERT_EQ(g.exit_code, 0) << g.stdout_text;
  EXPECT_EQ(g.result["verdict"], "pass");
  EXPECT_TRUE(g.result["lab_ran"].get<bool>());
  EXPECT_EQ(g.summary.rfind("## blastlab gate: PASS", 0), 0u) << g.summary;
  EXPECT_NE(g.junit.find("failures=\"0\""), std::string::npos) << g.junit;
  EXPECT_EQ(count_of(g.annotations, "::error"), 0) << g.annotations;
  EXPECT_EQ(count_of(g.annotations, "::notice"), 1) << g.annotations;
  EXPECT_TRUE(fs::exists(g.out_dir + "/report.json"));
  expect_prediction_checked(g);
}

// The other form: a directory of whole configs, as `blastlab config` prints them, one of them
// changed. Only the changed router is touched, and every line it adds runs.
TEST_F(GateTest, ADirectoryOfWholeConfigsOnFb2021ChangesOnlyWhatDiffers) {
  std::string lab = lab_name("cfg");
  ASSERT_EQ(blastlab({"up", source_path("topologies/fb-2021.yaml"), "--name", lab}).exit_code, 0);
  auto pop1 = blastlab({"config", lab, "pop1"});
  auto bb1 = blastlab({"config", lab, "bb1"});
  ASSERT_EQ(blastlab({"down", lab}).exit_code, 0);
  ASSERT_EQ(pop1.exit_code, 0);
  std::string text = pop1.out;
  size_t at = text.find(" description to tr1\n");
  ASSERT_NE(at, std::string::npos) << text;
  text.insert(at + std::string(" description to tr1\n").size(), " ip ospf cost 100\n");
  fs::create_directories(run_dir_ + "/configs/bb1");
  std::ofstream(run_dir_ + "/configs/pop1.conf") << text;
  std::ofstream(run_dir_ + "/configs/bb1/frr.conf") << bb1.out;  // unchanged
  auto g = gate("dir", "topologies/fb-2021.yaml", run_dir_ + "/configs");
  ASSERT_EQ(g.exit_code, 0) << g.stdout_text;
  ASSERT_EQ(g.result["changes"].size(), 1u) << g.result["changes"].dump();
  EXPECT_EQ(g.result["changes"][0]["node"], "pop1");
  EXPECT_TRUE(g.result["not_running"].empty()) << g.result["not_running"].dump();
  expect_prediction_checked(g);
}

TEST_F(GateTest, The2021CandidateIsBlockedByTheAuditWithoutALabAndByTheLabWithout) {
  std::string candidate = the_2021_candidate();
  auto audited = gate("audit", "topologies/fb-2021.yaml", candidate);
  ASSERT_EQ(audited.exit_code, 1) << audited.stdout_text;
  EXPECT_EQ(audited.result["verdict"], "blocked");
  EXPECT_FALSE(audited.result["lab_ran"].get<bool>());
  EXPECT_FALSE(fs::exists(audited.out_dir + "/report.json"));  // the lab never ran
  EXPECT_NE(audited.junit.find("name=\"audit\""), std::string::npos);
  EXPECT_NE(audited.junit.find("<failure type=\"audit\""), std::string::npos) << audited.junit;
  // The annotations point at the `shutdown` lines of the candidate.
  EXPECT_GE(count_of(audited.annotations, "::error file=" + candidate + ",line="), 28)
      << audited.annotations;
  EXPECT_NE(audited.summary.find("The audit refused the change"), std::string::npos);
  EXPECT_EQ(audited.result["predicted"]["sites.withdrawn"], 8);
  EXPECT_EQ(audited.result["predicted"]["prefixes.anycast_lost"], 2);
  EXPECT_EQ(audited.result["predicted"]["clients.affected"], 4);

  std::string audit_off = write_file("audit-off.yaml",
                                     "audit: off\n"
                                     "invariants:\n"
                                     "  - sites.withdrawn == 0\n"
                                     "  - prefixes.anycast_lost == 0\n"
                                     "  - dns.success_ratio >= baseline - 0.01\n");
  auto lab = gate("lab", "topologies/fb-2021.yaml", candidate, audit_off);
  ASSERT_EQ(lab.exit_code, 1) << lab.stdout_text;
  EXPECT_TRUE(lab.result["lab_ran"].get<bool>());
  EXPECT_EQ(lab.result["measured"]["values"]["sites.withdrawn"], 8);
  EXPECT_EQ(lab.result["measured"]["values"]["prefixes.anycast_lost"], 2);
  EXPECT_NE(lab.junit.find("failures=\"3\""), std::string::npos) << lab.junit;
  EXPECT_GE(count_of(lab.annotations, "::error file=" + candidate + ",line="), 28);
  EXPECT_NE(lab.summary.find("| `sites.withdrawn == 0` | 8 | 8 | == 0 | **FAIL** |"),
            std::string::npos)
      << lab.summary;
  // The run's own report gives the gate's verdict.
  json report = json::parse(read_text(lab.out_dir + "/report.json"));
  EXPECT_EQ(report["verdict"], "fail");
  expect_prediction_checked(lab);
}

TEST_F(GateTest, OnePopsUplinksPassOnlyAPolicyThatAllowsOneSite) {
  std::string candidate = write_file("pop1-cut.yaml",
                                     "pop1: |\n"
                                     "  int bb1\n"
                                     "   shut\n"
                                     "  int bb2\n"
                                     "   shut\n");
  auto strict = gate("strict", "topologies/fb-2021.yaml", candidate);
  ASSERT_EQ(strict.exit_code, 1) << strict.stdout_text;
  EXPECT_FALSE(strict.result["lab_ran"].get<bool>());  // the prediction already breaks it
  EXPECT_NE(strict.annotations.find("::error file=" + candidate + ",line=3,"), std::string::npos)
      << strict.annotations;
  EXPECT_NE(strict.annotations.find("::error file=" + candidate + ",line=5,"), std::string::npos);

  std::string one_site = write_file("one-site.yaml",
                                    "invariants:\n"
                                    "  - sites.withdrawn <= 1\n"
                                    "  - prefixes.anycast_lost == 0\n"
                                    "  - clients.affected == 0\n");
  auto allowed = gate("one-site", "topologies/fb-2021.yaml", candidate, one_site);
  ASSERT_EQ(allowed.exit_code, 0) << allowed.stdout_text;
  EXPECT_EQ(allowed.result["measured"]["values"]["sites.withdrawn"], 1);
  EXPECT_NE(allowed.junit.find("failures=\"0\""), std::string::npos);
  expect_prediction_checked(allowed);
}

TEST_F(GateTest, TheContainerlabExampleIsGatedOnItsOwnConfigs) {
  // A copy of the example's repository of configs, changed as a pull request would.
  fs::path repo = fs::path(run_dir_) / "repo";
  fs::copy(source_path("topologies/ospf-bgp"), repo);
  auto edit = [&](const std::string& file, const std::string& from, const std::string& to) {
    std::string text = read_text((repo / file).string());
    size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(repo / file) << text;
  };
  edit("r4.conf", " description to r5\n", " description to r5, re-labelled\n");
  auto ok = gate("clab-ok", "topologies/ospf-bgp.clab.yml", repo.string());
  ASSERT_EQ(ok.exit_code, 0) << ok.stdout_text;
  EXPECT_EQ(ok.result["measured"]["values"]["reachability.pairs_lost"], 0);
  expect_prediction_checked(ok);

  // h1's access interface shut: the audit refuses it on the prediction; with the audit off,
  // the lab measures both pairs lost and the annotation points at the line.
  edit("r4.conf", " description to h1 (198.51.100.0/26)\n",
       " description to h1 (198.51.100.0/26)\n shutdown\n");
  auto refused = gate("clab-audit", "topologies/ospf-bgp.clab.yml", repo.string());
  ASSERT_EQ(refused.exit_code, 1) << refused.stdout_text;
  EXPECT_FALSE(refused.result["lab_ran"].get<bool>());
  std::string audit_off = write_file("clab-audit-off.yaml",
                                     "audit: off\n"
                                     "invariants: [reachability.pairs_lost == 0]\n");
  auto bad = gate("clab-bad", "topologies/ospf-bgp.clab.yml", repo.string(), audit_off);
  ASSERT_EQ(bad.exit_code, 1) << bad.stdout_text;
  EXPECT_EQ(bad.result["measured"]["values"]["reachability.pairs_lost"], 2);
  std::string r4 = (repo / "r4.conf").string();
  EXPECT_NE(bad.annotations.find("::error file=" + r4 + ",line="), std::string::npos)
      << bad.annotations;
  EXPECT_NE(bad.junit.find("failures=\"1\""), std::string::npos) << bad.junit;
  expect_prediction_checked(bad);
}

TEST_F(GateTest, BadInputIsExitTwoWithNothingBuilt) {
  std::string policy = write_file("bad-policy.yaml", "invariants:\n  - sites.withdrawm == 0\n");
  std::string candidate = write_file("c.yaml", "pop1: |\n  interface tr1\n   description x\n");
  auto bad_policy = blastlab({"gate", source_path("topologies/fb-2021.yaml"), "--candidate",
                              candidate, "--policy", policy, "--name", lab_name("bad")});
  EXPECT_EQ(bad_policy.exit_code, 2) << bad_policy.err;
  EXPECT_NE(bad_policy.err.find(policy + ":2:5:"), std::string::npos) << bad_policy.err;
  std::string typo = write_file("typo.yaml", "pop1: |\n  interface tr1\n   shutdwn\n");
  auto refused = blastlab({"gate", source_path("topologies/fb-2021.yaml"), "--candidate", typo,
                           "--name", lab_name("bad")});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find(typo + ":3:"), std::string::npos) << refused.err;
  auto status = blastlab({"status"});
  EXPECT_EQ(status.out.find(lab_name("bad")), std::string::npos) << status.out;
}

}  // namespace
}  // namespace blastlab::testing
