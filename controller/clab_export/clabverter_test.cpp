// clabverter's rules (clabverter.hpp says where each comes from), and every shipped
// topology's export meeting them: DNS-label names, binds of files inside the export given
// relatively, distinct ConfigMap keys and volume names, links in the brief form.
#include "controller/clab_export/clabverter.hpp"

#include <yaml-cpp/yaml.h>

#include "controller/clab_export/test_support.hpp"

namespace blastlab::clab_export {
namespace {

using testing::export_of;

TEST(ClabverterNamesTest, DnsLabels) {
  EXPECT_TRUE(clabverter::is_dns_label("fb2021"));
  EXPECT_TRUE(clabverter::is_dns_label("client-4"));
  EXPECT_FALSE(clabverter::is_dns_label("r1-"));
  EXPECT_FALSE(clabverter::is_dns_label("1r"));
  EXPECT_FALSE(clabverter::is_dns_label("R1"));
  EXPECT_FALSE(clabverter::is_dns_label("r_1"));
  EXPECT_FALSE(clabverter::is_dns_label(""));
  EXPECT_FALSE(clabverter::is_dns_label(std::string(64, 'a')));
}

TEST(ClabverterNamesTest, ConfigMapsKeysAndVolumesAreNamedAsClabverterNamesThem) {
  EXPECT_EQ(clabverter::configmap_name("fb2021", "dns1"), "fb2021-dns1-files");
  EXPECT_EQ(clabverter::configmap_key("nodes/dns1/nsd.conf"), "nodes-dns1-nsd.conf");
  EXPECT_EQ(clabverter::volume_name("fb2021-dns1-files", "nodes-dns1-nsd.conf"),
            "fb2021-dns1-files-nodes-dns1-nsd-conf");
  // EnforceDNSLabelConvention: a last character that is no letter becomes 'z'.
  EXPECT_EQ(clabverter::enforce_dns_label("9a_B.c1"), "za-b-cz");
  // Over 63 characters clabverter cuts the name and appends a hash.
  EXPECT_EQ(clabverter::safe_concat({std::string(40, 'a'), std::string(30, 'b')}).front(), '#');
}

Export with_topology(const std::string& yaml, std::vector<File> more = {}) {
  Export exported;
  exported.topology_path = "t.clab.yml";
  exported.files.push_back({"t.clab.yml", yaml});
  for (auto& file : more) exported.files.push_back(std::move(file));
  return exported;
}

bool mentions(const std::vector<std::string>& problems, const std::string& words) {
  for (const auto& p : problems) {
    if (p.find(words) != std::string::npos) return true;
  }
  return false;
}

TEST(ClabverterCheckTest, BindsMustBeRelativeFilesOfTheExport) {
  auto problems = clabverter::check(with_topology(R"(name: lab
topology:
  nodes:
    r1:
      kind: linux
      binds:
        - nodes/r1/frr.conf:/etc/frr/frr.conf:ro
        - /etc/passwd:/etc/passwd
        - ../secret:/secret
        - nodes/r1:/etc/frr
        - __clabDir__/x:/x
        - nodes/r1/missing:/m
        - nodes/r1/frr.conf
)",
                                                  {{"nodes/r1/frr.conf", "hostname r1\n"}}));
  EXPECT_TRUE(mentions(problems, "bind /etc/passwd:/etc/passwd: the source is an absolute path"));
  EXPECT_TRUE(mentions(problems, "bind ../secret:/secret: the source is not a plain relative"));
  EXPECT_TRUE(mentions(problems, "bind nodes/r1:/etc/frr: the source is no file of the export"));
  EXPECT_TRUE(mentions(problems, "bind __clabDir__/x:/x: the source uses a containerlab variable"));
  EXPECT_TRUE(mentions(problems, "bind nodes/r1/missing:/m: the source is no file"));
  EXPECT_TRUE(mentions(problems, "bind nodes/r1/frr.conf is not SOURCE:DESTINATION"));
  EXPECT_FALSE(mentions(problems, "bind nodes/r1/frr.conf:/etc/frr/frr.conf:ro"));
}

TEST(ClabverterCheckTest, KeysAndVolumesMustDiffer) {
  auto problems = clabverter::check(
      with_topology(R"(name: lab
topology:
  nodes:
    r1:
      binds: ["a/b-c:/x", "a-b/c:/y", "n/x.conf:/z", "n/x-conf:/w"]
)",
                    {{"a/b-c", ""}, {"a-b/c", ""}, {"n/x.conf", ""}, {"n/x-conf", ""}}));
  EXPECT_TRUE(mentions(problems, "binds a/b-c and a-b/c get the same ConfigMap key a-b-c"));
  EXPECT_TRUE(mentions(problems, "binds n/x.conf and n/x-conf get the same volume name"));
}

TEST(ClabverterCheckTest, NamesLinksAndGroupBindsClabernetesCannotTake) {
  auto problems = clabverter::check(with_topology(R"(name: Lab_1
topology:
  groups:
    g: {binds: ["x:/x"]}
  nodes:
    r_1: {kind: linux}
    r2: {kind: linux}
  links:
    - type: veth
      endpoints: [{node: r_1, interface: eth1}, {node: r2, interface: eth1}]
    - endpoints: ["r_1:eth2", "r2:eth2"]
      ipv4: [192.0.2.0/31, 192.0.2.1/31]
    - endpoints: ["r_1:eth:3", "r2:eth3"]
)"));
  EXPECT_TRUE(mentions(problems, "name 'Lab_1'"));
  EXPECT_TRUE(mentions(problems, "groups.g: clabverter ignores the binds of groups"));
  EXPECT_TRUE(mentions(problems, "node r_1: not an RFC 1035 label"));
  EXPECT_TRUE(mentions(problems, "links[0]: `type` is not read"));
  EXPECT_TRUE(mentions(problems, "links[0]: endpoint"));
  EXPECT_TRUE(mentions(problems, "links[1]: `ipv4` is not read"));
  EXPECT_TRUE(mentions(problems, "links[2]: endpoint r_1:eth:3 is not NODE:INTERFACE"));
}

// Every shipped topology's export converts as it is: clabverter finds every bound file inside
// the export, no two of a node's files collide in its ConfigMap or its pod, and every name
// is one Kubernetes takes.
TEST(ClabverterCheckTest, EveryShippedTopologysExportConverts) {
  for (const auto& path : testing::shipped_topologies()) {
    SCOPED_TRACE(path);
    Export exported = export_of(path);
    EXPECT_EQ(clabverter::check(exported), std::vector<std::string>{});
    auto root = YAML::Load(exported.find(exported.topology_path)->text);
    for (const auto& node : root["topology"]["nodes"]) {
      if (!node.second["binds"]) continue;
      for (const auto& bind : node.second["binds"]) {
        std::string source = bind.as<std::string>().substr(0, bind.as<std::string>().find(':'));
        EXPECT_TRUE(source.starts_with("nodes/" + node.first.as<std::string>() + "/")) << source;
      }
    }
  }
}

}  // namespace
}  // namespace blastlab::clab_export
