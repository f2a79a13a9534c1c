// netem.sh: containerlab's netem commands, with its flags and units, on both ends of every
// impaired link, and what it cannot set as blastlab does.
#include "controller/clab_export/export_parts.hpp"
#include "controller/model/test_support.hpp"

namespace blastlab::clab_export {
namespace {

model::Topology topology(const std::string& links) {
  auto loaded = model::load_topology_text(R"(name: lab
nodes:
  a: {role: host}
  b: {role: host}
  c: {role: host}
links:
)" + links,
                                          "t.yaml");
  return model::loaded(loaded);
}

std::vector<std::string> commands(const std::string& script) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = script.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string line = script.substr(start, end - start);
    if (line.starts_with("containerlab ")) lines.push_back(line);
  }
  return lines;
}

TEST(NetemScriptTest, BothEndsOfAnImpairedLinkGetContainerlabsFlags) {
  std::vector<std::string> warnings;
  std::string script = render_netem_script(topology(R"(
  - endpoints: ["a:eth1", "b:eth1"]
    delay: 5ms
    jitter: 1ms
    loss: 0.5%
    rate: 100mbit
  - ["a:eth2", "c:eth1"]
)"),
                                           "lab", warnings);
  EXPECT_TRUE(script.starts_with("#!/bin/sh\n"));
  EXPECT_EQ(commands(script),
            (std::vector<std::string>{
                "containerlab tools netem set -n clab-lab-a -i eth1 --delay 5ms --jitter 1ms "
                "--loss 0.5 --rate 100000",
                "containerlab tools netem set -n clab-lab-b -i eth1 --delay 5ms --jitter 1ms "
                "--loss 0.5 --rate 100000"}));
  EXPECT_TRUE(warnings.empty());
}

TEST(NetemScriptTest, DurationsStayExactAndRatesRoundToKbit) {
  std::vector<std::string> warnings;
  std::string script = render_netem_script(topology(R"(
  - endpoints: ["a:eth1", "b:eth1"]
    delay: 1500us
    rate: 1500bit
)"),
                                           "lab", warnings);
  ASSERT_EQ(commands(script).size(), 2u);
  EXPECT_EQ(commands(script)[0],
            "containerlab tools netem set -n clab-lab-a -i eth1 --delay 1500us --rate 2");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("rate 1500 bit/s becomes 2 kbit/s"), std::string::npos);
}

// A topology file cannot give it (the model refuses it as netem does), a topology made in
// code could.
TEST(NetemScriptTest, JitterWithoutDelayIsLeftOutWithAWarning) {
  std::vector<std::string> warnings;
  model::Topology t = topology(R"(
  - endpoints: ["a:eth1", "b:eth1"]
    delay: 1ms
    jitter: 2ms
    loss: 1%
)");
  t.links[0].impairment.delay.reset();
  std::string script = render_netem_script(t, "lab", warnings);
  EXPECT_EQ(commands(script)[0], "containerlab tools netem set -n clab-lab-a -i eth1 --loss 1");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("jitter without a delay"), std::string::npos);
}

TEST(NetemScriptTest, ALabWithoutImpairmentsSaysSo) {
  std::vector<std::string> warnings;
  std::string script = render_netem_script(topology("  - [a, b]\n"), "lab", warnings);
  EXPECT_TRUE(commands(script).empty());
  EXPECT_NE(script.find("no impaired link"), std::string::npos);
}

}  // namespace
}  // namespace blastlab::clab_export
