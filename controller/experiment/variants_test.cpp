#include "controller/experiment/variants.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "controller/experiment/compare.hpp"

namespace blastlab::experiment {

using scenario::Script;
namespace {

namespace fs = std::filesystem;

class VariantsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("variants-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "scripts");
    fs::copy_file(fs::path(BLASTLAB_SOURCE_DIR) / "topologies/minimal.yaml", dir_ / "minimal.yaml");
    write("scripts/cut.yaml", R"(name: cut
steps:
  - name: audit
    audit: {change: cut, max-cut: 60%, bug: true}
  - name: cut
    vtysh: {on: role:backbone, each-link: role:edge, config: ["interface {{interface}}", " shutdown"]}
  - {after: 5s, rollback: cut}
expect:
  - sites.withdrawn == 2
)");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  VariantsLoadResult load(const std::string& text, const std::vector<std::string>& only = {}) {
    write("scripts/whatifs.yaml", text);
    return load_variants_file((dir_ / "scripts/whatifs.yaml").string(), "out", only);
  }
  std::string errors(const VariantsLoadResult& r) { return model::format_diagnostics(r.errors); }

  fs::path dir_;
};

constexpr const char* kHead = R"(name: whatifs
topology: ../minimal.yaml
script: cut.yaml
variants:
)";

TEST_F(VariantsTest, BuildsEachVariantWithItsChanges) {
  auto r = load(std::string(kHead) + R"(  - name: as-is
  - name: fixed
    script-set: {steps.audit.audit.bug: false}
    expect: [sites.withdrawn == 0]
  - name: static
    description: keep announcing
    topology-set: {services.dns.health.action: fail-static, services.dns.health.rise: 3}
)");
  ASSERT_TRUE(r.set) << errors(r);
  const auto& v = r.set->variants;
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].name, "as-is");
  EXPECT_TRUE(v[0].script.steps[0].audit.bug);
  EXPECT_EQ(v[0].topology.services.dns->health.action, model::HealthAction::kWithdraw);
  EXPECT_EQ(v[0].script_text.substr(0, 10), "name: cut\n");  // kept as written
  EXPECT_FALSE(v[1].script.steps[0].audit.bug);
  ASSERT_EQ(v[1].script.expect.size(), 1u);
  EXPECT_EQ(v[1].script.expect[0].text, "sites.withdrawn == 0");
  EXPECT_EQ(v[2].topology.services.dns->health.action, model::HealthAction::kFailStatic);
  EXPECT_EQ(v[2].topology.services.dns->health.rise, 3);
  EXPECT_EQ(v[2].description, "keep announcing");
  EXPECT_EQ(v[2].topology.file, "out/static/topology.yaml");
  EXPECT_EQ(v[2].script.file, "out/static/script.yaml");
  EXPECT_EQ(v[2].topology_source, (dir_ / "minimal.yaml").lexically_normal().string());
}

TEST_F(VariantsTest, APathThatLeadsNowhereNamesWhatIsThere) {
  auto r = load(std::string(kHead) + R"(  - name: typo
    topology-set: {services.dnz.health.action: degrade}
)");
  ASSERT_FALSE(r.set);
  EXPECT_NE(
      errors(r).find("whatifs.yaml:6:20: variants[0].topology-set.services.dnz.health.action: "
                     "no `dnz` in `services`; it has dns, prefixes"),
      std::string::npos)
      << errors(r);
}

TEST_F(VariantsTest, AValueTheTopologyRefusesIsReportedAtTheVariant) {
  auto r = load(std::string(kHead) + R"(  - name: bad
    topology-set: {services.dns.health.action: panic}
)");
  ASSERT_FALSE(r.set);
  EXPECT_NE(errors(r).find("whatifs.yaml:5:5: variants[0]: variant 'bad': its topology"),
            std::string::npos)
      << errors(r);
  EXPECT_NE(errors(r).find("services.dns.health.action"), std::string::npos) << errors(r);
}

TEST_F(VariantsTest, ListItemsArePickedByNameOrIndex) {
  auto r = load(std::string(kHead) + R"(  - name: by-index
    script-set: {steps.2.after: 7s, steps.cut.vtysh.on: bb1}
)");
  ASSERT_TRUE(r.set) << errors(r);
  EXPECT_EQ(r.set->variants[0].script.steps[2].after, std::chrono::seconds(7));
  EXPECT_EQ(r.set->variants[0].script.steps[1].vtysh.on.nodes, std::vector<std::string>{"bb1"});
}

TEST_F(VariantsTest, OnlyKeepsTheNamedVariantsAndRejectsUnknownNames) {
  std::string text = std::string(kHead) + "  - name: a\n  - name: b\n";
  auto r = load(text, {"b"});
  ASSERT_TRUE(r.set) << errors(r);
  ASSERT_EQ(r.set->variants.size(), 1u);
  EXPECT_EQ(r.set->variants[0].name, "b");
  auto bad = load(text, {"c"});
  ASSERT_FALSE(bad.set);
  EXPECT_NE(errors(bad).find("--only: no variant named 'c'"), std::string::npos) << errors(bad);
}

TEST_F(VariantsTest, MissingFilesAndDuplicateNamesAreErrors) {
  auto r = load(R"(name: w
topology: nowhere.yaml
script: cut.yaml
variants:
  - name: a
  - name: a
)");
  ASSERT_FALSE(r.set);
  EXPECT_NE(errors(r).find("topology:"), std::string::npos) << errors(r);
  EXPECT_NE(errors(r).find("nowhere.yaml"), std::string::npos) << errors(r);
}

TEST_F(VariantsTest, TheShippedWhatIfsLoad) {
  auto r =
      load_variants_file(std::string(BLASTLAB_SOURCE_DIR) + "/scripts/fb-2021-whatifs.yaml", "out");
  ASSERT_TRUE(r.set) << model::format_diagnostics(r.errors);
  EXPECT_GE(r.set->variants.size(), 6u);
}

TEST(ChangeOutcome, SaysWhatBecameOfTheChange) {
  measure::Metrics m;
  auto step = [](std::string name, std::string kind, std::string_view state) {
    return measure::StepRecord{.name = std::move(name),
                               .kind = std::move(kind),
                               .state = *measure::step_state_from_string(state)};
  };
  m.steps = {step("audit-tool", "audit", "done"), step("cut", "vtysh", "done"),
             step("step-3", "rollback", "done")};
  EXPECT_EQ(change_outcome(m), "applied");
  m.steps[0].state = measure::StepState::kRefused;
  m.steps[1].state = measure::StepState::kSkipped;
  m.steps[2].state = measure::StepState::kSkipped;
  EXPECT_EQ(change_outcome(m), "refused by audit-tool");
  m.steps = {step("west", "vtysh", "done"), step("gate-west", "gate", "halted"),
             step("east", "vtysh", "skipped")};
  EXPECT_EQ(change_outcome(m), "halted by gate-west");
  m.steps = {step("cut", "vtysh", "failed")};
  EXPECT_EQ(change_outcome(m), "cut failed");
  m.steps = {step("w", "wait", "done")};
  EXPECT_EQ(change_outcome(m), "not run");
}

}  // namespace
}  // namespace blastlab::experiment
