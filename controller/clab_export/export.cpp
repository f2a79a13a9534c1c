// The export as a whole: the names it must be able to use, every node, the topology file,
// the image, netem.sh, and a last look through clabverter's eyes.
#include <fmt/format.h>

#include "controller/clab_export/clabverter.hpp"
#include "controller/clab_export/export_parts.hpp"

namespace blastlab::clab_export {
namespace {

// containerlab's management interface in every container.
constexpr std::string_view kManagementInterface = "eth0";

void check_names(const model::Topology& topology, const std::string& lab,
                 std::vector<model::Diagnostic>& errors, std::vector<std::string>& warnings) {
  if (!clabverter::is_dns_label(lab)) {
    errors.push_back(
        {topology.file,
         {},
         "name",
         fmt::format("'{}' cannot name a containerlab lab for clabernetes: its "
                     "namespace c9s-{} must be a DNS label ([a-z]([-a-z0-9]*[a-z0-9])?); "
                     "give one with --name",
                     lab, lab)});
  }
  for (const auto& node : topology.nodes) {
    if (!clabverter::is_dns_label(node.name)) {
      errors.push_back({topology.file, node.mark, "nodes." + node.name,
                        fmt::format("'{}' cannot be exported: clabernetes names a Deployment and "
                                    "a Service after each node, which need a DNS label "
                                    "([a-z]([-a-z0-9]*[a-z0-9])?); rename it",
                                    node.name)});
    }
  }
  for (size_t i = 0; i < topology.links.size(); ++i) {
    const model::Link& link = topology.links[i];
    for (const auto* end : {&link.a, &link.b}) {
      std::string field = fmt::format("links[{}]", i);
      if (end->ifname == kManagementInterface) {
        errors.push_back({topology.file, link.mark, field,
                          fmt::format("{}:{}: eth0 is containerlab's management interface in "
                                      "every container; name the interface otherwise",
                                      end->node, end->ifname)});
      } else if (end->ifname.find(':') != std::string::npos) {
        errors.push_back({topology.file, link.mark, field,
                          fmt::format("{}:{}: an interface name with ':' cannot be a "
                                      "containerlab endpoint NODE:INTERFACE",
                                      end->node, end->ifname)});
      } else if (end->node.size() + 1 + end->ifname.size() > clabverter::kMaxIfnameLength) {
        warnings.push_back(fmt::format(
            "link end {}:{}: clabernetes names the launcher's end of a link {}-{}, longer than "
            "Linux's {} characters; containerlab runs it, clabernetes may not",
            end->node, end->ifname, end->node, end->ifname, clabverter::kMaxIfnameLength));
      }
    }
  }
}

}  // namespace

const File* Export::find(const std::string& path) const {
  for (const auto& file : files) {
    if (file.path == path) return &file;
  }
  return nullptr;
}

Result render_export(const model::Topology& topology, const frr::RoutingPlan& plan,
                     const Options& options) {
  Result result;
  Export out;
  out.lab_name = options.lab_name.empty() ? topology.name : options.lab_name;
  out.topology_path = (options.file_stem.empty() ? out.lab_name : options.file_stem) + ".clab.yml";
  check_names(topology, out.lab_name, result.errors, result.warnings);
  if (!result.errors.empty()) return result;

  std::vector<ClabNode> nodes;
  std::vector<File> node_files;
  for (const auto& node : topology.nodes) {
    nodes.push_back(
        export_node(topology, plan, node, options, out.lab_name, node_files, result.errors));
    for (const auto& command : node.exec) {
      if (!command.ip) {
        result.warnings.push_back(
            fmt::format("{}: exec line `{}` is no ip command: `blastlab up` of the export needs "
                        "--trust-exec to run it",
                        node.name, command.line));
      }
    }
  }
  if (!result.errors.empty()) return result;
  Options named = options;
  named.file_stem = out.topology_path.substr(0, out.topology_path.size() - 9);
  out.files.push_back(
      {out.topology_path, render_topology_file(topology, named, out.lab_name, nodes)});
  out.files.push_back(
      {"netem.sh", render_netem_script(topology, out.lab_name, result.warnings), true});
  for (auto& file : render_image()) out.files.push_back(std::move(file));
  for (auto& file : node_files) out.files.push_back(std::move(file));
  out.agents = agent_programs();
  for (const auto& problem : clabverter::check(out)) {
    result.errors.push_back({topology.file, {}, "", "the export would not convert: " + problem});
  }
  if (result.errors.empty()) result.exported = std::move(out);
  return result;
}

}  // namespace blastlab::clab_export
