// One node's part of the export: which image it runs, the files bound into it and the exec
// lines that address it. A node that runs only FRR gets FRR's image; one that runs one of
// blastlab's services too (NSD and healthd on a DNS host, the backend on a data center,
// unbound on a client), and a plain host, get the blastlab node image, whose entry script
// starts FRR from the bound /etc/frr files and then the node's own start script.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "controller/clab_export/export_parts.hpp"
#include "controller/execline/exec_line.hpp"
#include "controller/frr/render.hpp"
#include "controller/lab/healthd_config.hpp"
#include "controller/services/backend.hpp"
#include "controller/services/nsd.hpp"
#include "controller/services/unbound.hpp"

namespace blastlab::clab_export {
namespace {

using model::Role;

std::string node_path(const model::Node& node, const std::string& file) {
  return fmt::format("nodes/{}/{}", node.name, file);
}

std::string service_path(const std::string& file) {
  return fmt::format("{}/{}", kServiceDir, file);
}

// The measurement role the re-import keeps (the reader's `blastlab.role` label): the roles
// measured from a node's routing table only.
std::optional<Role> measured_role(const model::Node& node) {
  for (Role role : {Role::kBackbone, Role::kEdge, Role::kPeer}) {
    if (node.acts_as(role)) return role;
  }
  return std::nullopt;
}

bool runs_services(const model::Topology& topology, const model::Node& node) {
  switch (node.role) {
    case Role::kDatacenter:
      return true;
    case Role::kDns:
    case Role::kClient:
      return topology.services.dns.has_value();
    default:
      return false;
  }
}

// A generated DNS host's frr.conf announces its anycast prefixes, as healthd has it announce
// them once the lab has converged: read back by blastlab (which runs no healthd on a user's
// router) the lab routes as the original did; in the container healthd starts from there
// (announced_at_start) and withdraws when the site is not healthy.
frr::RouterPlan with_announcements(const model::Topology& topology, frr::RouterPlan router) {
  if (router.role != Role::kDns || router.user || !topology.services.dns) return router;
  for (const auto& anycast : topology.services.dns->anycast)
    router.networks.push_back(anycast.prefix);
  return router;
}

// FRR's daemons file as FRR's start script reads it: zebra and staticd always run.
std::string render_daemons(const model::Node& node, const frr::RouterPlan& router) {
  std::string out = fmt::format(
      "# FRR's daemons on {} (written by blastlab export): zebra and staticd always run.\n",
      node.name);
  std::string options;
  for (frr::Daemon daemon : router.daemons) {
    std::string name(frr::to_string(daemon));
    if (daemon != frr::Daemon::kZebra && daemon != frr::Daemon::kStaticd) {
      out += fmt::format("{}=yes\n", name);
    }
    options += fmt::format("{}_options=\"-A 127.0.0.1{}\"\n", name,
                           daemon == frr::Daemon::kZebra ? " -s 90000000" : "");
  }
  return out + "vtysh_enable=yes\n" + options;
}

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void add_frr_files(const model::Topology& topology, const model::Node& node,
                   const frr::RouterPlan& router, std::vector<File>& files, ClabNode& out,
                   std::vector<model::Diagnostic>& errors) {
  std::string config;
  std::string daemons;
  if (router.user) {
    config = router.user->config_text.value_or("");
    daemons = render_daemons(node, router);
    if (!router.user->daemons.empty()) {
      // The user's own daemons file, options and all.
      if (auto text = read_text(router.user->daemons)) {
        daemons = *text;
      } else {
        errors.push_back({topology.file, router.user->mark, fmt::format("nodes.{}.frr", node.name),
                          fmt::format("cannot read the daemons file {}", router.user->daemons)});
      }
    }
  } else {
    config = frr::render_router(topology, with_announcements(topology, router)).integrated;
    daemons = render_daemons(node, router);
  }
  files.push_back({node_path(node, "frr.conf"), config});
  files.push_back({node_path(node, "daemons"), daemons});
  out.binds.push_back({node_path(node, "frr.conf"), "/etc/frr/frr.conf"});
  out.binds.push_back({node_path(node, "daemons"), "/etc/frr/daemons"});
}

// Addresses and routes as ip commands: the node's loopback, its link addresses, the service
// addresses and kernel routes the routing plan gives it, then its own exec lines.
std::vector<std::string> exec_lines(const model::Topology& topology, const frr::RoutingPlan& plan,
                                    const model::Node& node, std::vector<std::string>& addresses) {
  std::vector<std::string> lines;
  auto add_address = [&](const std::string& ifname, const model::Ipv4Prefix& prefix) {
    lines.push_back(execline::render_ip_command(execline::AddAddress{ifname, prefix}));
    addresses.push_back(prefix.address.str());
  };
  if (node.loopback) add_address("lo", *node.loopback);
  for (const model::Link* link : topology.links_of(node.name)) {
    for (const auto* end : {&link->a, &link->b}) {
      if (end->node == node.name && end->address) add_address(end->ifname, *end->address);
    }
  }
  for (const auto& service : plan.service_addresses) {
    if (service.node == node.name) add_address("lo", service.address);
  }
  for (const auto& route : plan.host_routes) {
    if (route.node != node.name) continue;
    // `replace`: a container's default route through its management interface is there
    // already. The client's source address is not carried (exec lines have no `src`):
    // unbound sends from it by its own outgoing-interface.
    lines.push_back(execline::render_ip_command(
        execline::AddRoute{.destination = route.prefix, .via = route.gateway, .replace = true}));
  }
  for (const auto& command : node.exec) lines.push_back(command.line);
  return lines;
}

std::string join_command(const std::vector<std::string>& argv) {
  std::vector<std::string> words;
  for (const auto& word : argv) words.push_back(shell_word(word));
  return fmt::format("{}", fmt::join(words, " "));
}

// The node's services as its start script starts them, and their configuration files.
void add_services(const model::Topology& topology, const model::Node& node,
                  const std::vector<std::string>& addresses, const std::string& lab,
                  std::vector<File>& files, ClabNode& out) {
  std::vector<std::string> starts;
  auto bind = [&](const std::string& file, const std::string& text, const std::string& target) {
    files.push_back({node_path(node, file), text});
    out.binds.push_back({node_path(node, file), service_path(target)});
  };
  auto start = [&](const std::string& what, const std::vector<std::string>& argv) {
    starts.push_back(fmt::format("{} >{} 2>&1 &", join_command(argv), service_path(what + ".out")));
  };
  const std::string agents = "/usr/local/bin";
  switch (node.role) {
    case Role::kDatacenter:
      start("backendd",
            services::backendd_argv(agents + "/blastlab-backendd", topology, node, kServiceDir));
      break;
    case Role::kDns: {
      auto nsd = services::render_nsd(topology, node, kServiceDir);
      bind("nsd.conf", nsd.conf, "nsd.conf");
      bind("nsd.zone", nsd.zone_file, nsd.zone + ".zone");
      auto healthd = lab::healthd_config(topology, node, lab, kServiceDir);
      // The container's one FRR, reached without a pathspace; vtysh's own configuration.
      healthd.erase("pathspace");
      healthd.erase("vtysh_config_dir");
      healthd["events"] = service_path("healthd.jsonl");
      healthd["announced_at_start"] = !node.frr.has_value();
      bind("healthd.json", healthd.dump(2) + "\n", "healthd.json");
      start("nsd", services::nsd_argv(kServiceDir));
      start("healthd", {agents + "/blastlab-healthd", "--config", service_path("healthd.json")});
      break;
    }
    case Role::kClient:
      bind("unbound.conf", services::render_unbound(topology, node, kServiceDir), "unbound.conf");
      start("unbound", services::unbound_argv(kServiceDir));
      break;
    default:
      return;
  }
  std::string script = fmt::format(
      "# What {node} runs besides FRR, as blastlab runs it (written by blastlab export).\n"
      "# The node image's entry script (blastlab-node) sources this once FRR is started;\n"
      "# every file named here is bound in from the export's nodes/{node}/.\n"
      "# The services listen on addresses the node's exec lines add: wait for them.\n"
      "wait_for_addresses {addresses}\n",
      fmt::arg("node", node.name), fmt::arg("addresses", fmt::join(addresses, " ")));
  for (const auto& line : starts) script += line + "\n";
  files.push_back({node_path(node, "start.sh"), script});
  out.binds.push_back({node_path(node, "start.sh"), kStartScript});
}

}  // namespace

ClabNode export_node(const model::Topology& topology, const frr::RoutingPlan& plan,
                     const model::Node& node, const Options& options, const std::string& lab,
                     std::vector<File>& files, std::vector<model::Diagnostic>& errors) {
  ClabNode out;
  out.name = node.name;
  const frr::RouterPlan* router = plan.find(node.name);
  bool services = runs_services(topology, node);
  out.image =
      router && !services && node.role != Role::kHost ? options.frr_image : options.node_image;
  if (auto role = measured_role(node))
    out.labels.push_back({"blastlab.role", std::string(model::to_string(*role))});
  if (!node.tags.empty()) {
    out.labels.push_back({"blastlab.tags", fmt::format("{}", fmt::join(node.tags, ", "))});
  }
  if (router) add_frr_files(topology, node, *router, files, out, errors);
  std::vector<std::string> addresses;
  out.exec = exec_lines(topology, plan, node, addresses);
  if (services) add_services(topology, node, addresses, lab, files, out);
  return out;
}

std::string shell_word(const std::string& word) {
  bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("_./:=@%+-,").find(c) != std::string_view::npos;
  });
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace blastlab::clab_export
