// The files of an export: which image each node runs, what is bound into it, the exec lines
// that address it, and the configurations of FRR and the services, for the reference lab and
// for a user's containerlab network.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "agents/healthd/config.hpp"
#include "controller/clab_export/test_support.hpp"
#include "controller/model/test_support.hpp"

namespace blastlab::clab_export {
namespace {

using testing::export_of;
using testing::text_of;

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> strings(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node) {
    for (const auto& item : node) out.push_back(item.as<std::string>());
  }
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

class Fb2021ExportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    exported_ = new Export(export_of("topologies/fb-2021.yaml", {.file_stem = "fb-2021"}));
    root_ = new YAML::Node(YAML::Load(text_of(*exported_, "fb-2021.clab.yml")));
  }
  static void TearDownTestSuite() {
    delete exported_;
    delete root_;
  }
  static YAML::Node node(const std::string& name) { return (*root_)["topology"]["nodes"][name]; }

  static Export* exported_;
  static YAML::Node* root_;
};
Export* Fb2021ExportTest::exported_ = nullptr;
YAML::Node* Fb2021ExportTest::root_ = nullptr;

TEST_F(Fb2021ExportTest, NamesTheLabAndKeepsEveryNodeAndLink) {
  EXPECT_EQ(exported_->topology_path, "fb-2021.clab.yml");
  EXPECT_EQ((*root_)["name"].as<std::string>(), "fb2021");
  EXPECT_EQ((*root_)["topology"]["nodes"].size(), 32u);
  EXPECT_EQ((*root_)["topology"]["links"].size(), 55u);
  auto first = (*root_)["topology"]["links"][0];
  EXPECT_EQ(strings(first["endpoints"]), (std::vector<std::string>{"bb1:bb2", "bb2:bb1"}));
  EXPECT_EQ(first["mtu"].as<int>(), 1500);
  auto sysctls = (*root_)["topology"]["defaults"]["sysctls"];
  EXPECT_EQ(sysctls["net.ipv4.ip_forward"].as<std::string>(), "1");
  EXPECT_EQ(sysctls["net.ipv4.conf.all.rp_filter"].as<std::string>(), "0");
}

TEST_F(Fb2021ExportTest, RoutersRunFrrsImageAndServiceNodesTheBlastlabImage) {
  for (const char* name : {"bb1", "pop1", "tr1", "ix1"}) {
    EXPECT_EQ(node(name)["kind"].as<std::string>(), "linux") << name;
    EXPECT_EQ(node(name)["image"].as<std::string>(), kFrrImage) << name;
  }
  for (const char* name : {"dc1", "dns1", "client1"}) {
    EXPECT_EQ(node(name)["image"].as<std::string>(), kNodeImage) << name;
  }
}

TEST_F(Fb2021ExportTest, MeasuredRolesAreLabels) {
  EXPECT_EQ(node("bb1")["labels"]["blastlab.role"].as<std::string>(), "backbone");
  EXPECT_EQ(node("pop1")["labels"]["blastlab.role"].as<std::string>(), "edge");
  EXPECT_EQ(node("tr1")["labels"]["blastlab.role"].as<std::string>(), "peer");
  EXPECT_FALSE(node("dns1")["labels"]);
  EXPECT_FALSE(node("client1")["labels"]);
}

TEST_F(Fb2021ExportTest, FrrFilesAreBoundIntoEtcFrr) {
  auto binds = strings(node("bb1")["binds"]);
  EXPECT_EQ(binds, (std::vector<std::string>{"nodes/bb1/frr.conf:/etc/frr/frr.conf:ro",
                                             "nodes/bb1/daemons:/etc/frr/daemons:ro"}));
  std::string config = text_of(*exported_, "nodes/bb1/frr.conf");
  EXPECT_NE(config.find("hostname bb1\n"), std::string::npos);
  EXPECT_NE(config.find("router ospf\n"), std::string::npos);
  EXPECT_NE(config.find("router bgp 64500\n"), std::string::npos);
  EXPECT_NE(config.find("  network 198.51.100.0/24\n"), std::string::npos);
  std::string daemons = text_of(*exported_, "nodes/bb1/daemons");
  EXPECT_NE(daemons.find("\nbgpd=yes\n"), std::string::npos);
  EXPECT_NE(daemons.find("\nospfd=yes\n"), std::string::npos);
  EXPECT_NE(daemons.find("\nvtysh_enable=yes\n"), std::string::npos);
  auto parsed = frr::parse_daemons_file(daemons, "daemons");
  EXPECT_TRUE(parsed.errors.empty()) << model::format_diagnostics(parsed.errors);
  EXPECT_EQ(parsed.daemons, (std::vector<frr::Daemon>{frr::Daemon::kZebra, frr::Daemon::kStaticd,
                                                      frr::Daemon::kOspfd, frr::Daemon::kBgpd}));
}

TEST_F(Fb2021ExportTest, ExecLinesAddTheLoopbackAndLinkAddresses) {
  auto exec = strings(node("bb1")["exec"]);
  ASSERT_FALSE(exec.empty());
  EXPECT_EQ(exec[0], "ip address add 198.18.0.5/32 dev lo");
  EXPECT_TRUE(contains(exec, "ip address add 198.19.0.0/31 dev bb2"));
  EXPECT_EQ(strings(node("bb2")["exec"])[1], "ip address add 198.19.0.1/31 dev bb1");
}

TEST_F(Fb2021ExportTest, ADnsHostAnnouncesItsAnycastPrefixesAndRunsNsdAndHealthd) {
  std::string config = text_of(*exported_, "nodes/dns1/frr.conf");
  EXPECT_NE(config.find("  network 198.51.100.0/26\n"), std::string::npos) << config;
  EXPECT_NE(config.find("  network 198.51.100.64/26\n"), std::string::npos);
  EXPECT_NE(config.find("route-map HEALTHD-DEGRADE permit 10"), std::string::npos);
  auto exec = strings(node("dns1")["exec"]);
  EXPECT_TRUE(contains(exec, "ip address add 198.51.100.12/32 dev lo"));
  EXPECT_TRUE(contains(exec, "ip address add 198.51.100.108/32 dev lo"));
  EXPECT_EQ(exec.back().rfind("ip route replace default via 198.19.", 0), 0u) << exec.back();
  auto binds = strings(node("dns1")["binds"]);
  for (const char* bind : {"nodes/dns1/frr.conf:/etc/frr/frr.conf:ro",
                           "nodes/dns1/nsd.conf:/var/lib/blastlab/nsd.conf:ro",
                           "nodes/dns1/nsd.zone:/var/lib/blastlab/example.net.zone:ro",
                           "nodes/dns1/healthd.json:/var/lib/blastlab/healthd.json:ro",
                           "nodes/dns1/start.sh:/etc/blastlab/start.sh:ro"}) {
    EXPECT_TRUE(contains(binds, bind)) << bind;
  }
  std::string nsd = text_of(*exported_, "nodes/dns1/nsd.conf");
  EXPECT_NE(nsd.find("zonefile: \"/var/lib/blastlab/example.net.zone\""), std::string::npos);
  std::string start = text_of(*exported_, "nodes/dns1/start.sh");
  EXPECT_NE(start.find("wait_for_addresses 198.18.0.17 198.19."), std::string::npos) << start;
  EXPECT_NE(start.find("nsd -d -c /var/lib/blastlab/nsd.conf >/var/lib/blastlab/nsd.out 2>&1 &\n"),
            std::string::npos)
      << start;
  EXPECT_NE(start.find("/usr/local/bin/blastlab-healthd --config /var/lib/blastlab/healthd.json"),
            std::string::npos);
}

// healthd takes the exported file (the same contract the lab's healthd.json keeps), talks to
// the container's one FRR and starts from what frr.conf announces.
TEST_F(Fb2021ExportTest, HealthdTakesItsExportedConfig) {
  std::string text = text_of(*exported_, "nodes/dns1/healthd.json");
  healthd::Config config = healthd::parse_config(text, "healthd.json");
  EXPECT_EQ(config.node, "dns1");
  EXPECT_EQ(config.pathspace, "");
  EXPECT_EQ(config.vtysh_config_dir, "");
  EXPECT_TRUE(config.announced_at_start);
  EXPECT_EQ(config.events, "/var/lib/blastlab/healthd.jsonl");
  EXPECT_EQ(config.targets.size(), 4u);
  EXPECT_EQ(config.prefixes, (std::vector<std::string>{"198.51.100.0/26", "198.51.100.64/26"}));
}

TEST_F(Fb2021ExportTest, DataCentersRunTheBackendAndClientsUnbound) {
  std::string dc = text_of(*exported_, "nodes/dc1/start.sh");
  EXPECT_NE(dc.find("/usr/local/bin/blastlab-backendd --listen 198.18.0.1:80 "), std::string::npos)
      << dc;
  EXPECT_NE(exported_->find("nodes/dc1/frr.conf"), nullptr);
  // A client runs no FRR: nothing of it is in /etc/frr, and blastlab reads it back as a host.
  EXPECT_EQ(exported_->find("nodes/client1/frr.conf"), nullptr);
  std::string client = text_of(*exported_, "nodes/client1/start.sh");
  EXPECT_NE(client.find("unbound -d -p -c /var/lib/blastlab/unbound.conf"), std::string::npos);
  auto exec = strings(node("client1")["exec"]);
  EXPECT_TRUE(contains(exec, "ip address add 203.0.113.1/32 dev lo"))
      << YAML::Dump(node("client1"));
  EXPECT_EQ(exec.back().rfind("ip route replace default via ", 0), 0u);
}

TEST_F(Fb2021ExportTest, TheImageIsBuiltFromTheExportAlone) {
  std::string dockerfile = text_of(*exported_, "image/Dockerfile");
  EXPECT_NE(dockerfile.find("FROM debian:bookworm\n"), std::string::npos);
  EXPECT_NE(dockerfile.find("frr nsd unbound"), std::string::npos);
  EXPECT_NE(dockerfile.find("COPY blastlab-healthd blastlab-backendd"), std::string::npos);
  EXPECT_NE(
      dockerfile.find("ENTRYPOINT [\"/usr/bin/tini\", \"--\", \"/usr/local/bin/blastlab-node\"]"),
      std::string::npos);
  const File* entry = exported_->find("image/blastlab-node");
  ASSERT_NE(entry, nullptr);
  EXPECT_TRUE(entry->executable);
  EXPECT_NE(entry->text.find("/usr/lib/frr/frrinit.sh start"), std::string::npos);
  EXPECT_NE(entry->text.find(". /etc/blastlab/start.sh"), std::string::npos);
  EXPECT_EQ(exported_->agents, agent_programs());
}

TEST(ExportTest, AUserNetworkKeepsItsOwnConfigsAndExecLines) {
  Export exported = export_of("topologies/ospf-bgp.clab.yml", {.file_stem = "ospf-bgp"});
  auto root = YAML::Load(text_of(exported, "ospf-bgp.clab.yml"));
  auto nodes = root["topology"]["nodes"];
  EXPECT_EQ(text_of(exported, "nodes/r1/frr.conf"),
            file_text(testing::source_path("topologies/ospf-bgp/r1.conf")));
  EXPECT_EQ(text_of(exported, "nodes/r1/daemons"),
            file_text(testing::source_path("topologies/ospf-bgp/daemons")));
  EXPECT_EQ(text_of(exported, "nodes/x1/frr.conf"),
            file_text(testing::source_path("topologies/ospf-bgp/x1.conf")));
  EXPECT_EQ(nodes["x1"]["labels"]["blastlab.role"].as<std::string>(), "peer");
  EXPECT_EQ(nodes["r1"]["image"].as<std::string>(), kFrrImage);
  // A host: the node image, its exec lines as written, no files.
  EXPECT_EQ(nodes["h1"]["image"].as<std::string>(), kNodeImage);
  EXPECT_EQ(strings(nodes["h1"]["exec"]),
            (std::vector<std::string>{"ip addr add 198.51.100.10/26 dev eth1",
                                      "ip route add default via 198.51.100.1"}));
  EXPECT_FALSE(nodes["h1"]["binds"]);
  EXPECT_FALSE(nodes["r1"]["exec"]);  // its frr.conf addresses it
}

TEST(ExportTest, NamesClabernetesCannotUseAreErrorsAtTheirPlace) {
  auto loaded = topology_load::load_topology_text(R"(name: lab
nodes:
  r1-: {role: host}
  r2: {role: host}
links:
  - ["r1-:eth0", "r2:eth1"]
)",
                                                  "/labs/t.yaml");
  ASSERT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
  auto plan = frr::plan_routing(*loaded.topology);
  Result result = render_export(*loaded.topology, plan, {.lab_name = "lab-"});
  EXPECT_FALSE(result.exported);
  EXPECT_TRUE(model::has_error(result.errors, 0, 0, "name", {"c9s-lab-", "DNS label"}));
  EXPECT_TRUE(model::has_error(result.errors, 3, 3, "nodes.r1-", {"Deployment", "DNS label"}));
  EXPECT_TRUE(model::has_error(result.errors, 6, 5, "links[0]", {"eth0", "management"}));
}

TEST(ExportTest, TheLabNameDefaultsToTheTopologysAndTheFileToTheLabs) {
  Export exported = export_of("topologies/minimal.yaml");
  EXPECT_EQ(exported.lab_name, "minimal");
  EXPECT_EQ(exported.topology_path, "minimal.clab.yml");
  Export renamed = export_of("topologies/minimal.yaml", {.lab_name = "mini2", .file_stem = "m"});
  EXPECT_EQ(renamed.topology_path, "m.clab.yml");
  EXPECT_EQ(YAML::Load(text_of(renamed, "m.clab.yml"))["name"].as<std::string>(), "mini2");
}

}  // namespace
}  // namespace blastlab::clab_export
