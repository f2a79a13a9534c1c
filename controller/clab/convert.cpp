// The topology and its nodes: which kinds become routers and hosts, where each router's
// FRR files come from, the measurement role a label gives, and a warning for every setting
// a blastlab node does not have (it is a network namespace, not a container).
#include "controller/clab/convert.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "controller/clab/convert_parts.hpp"

namespace blastlab::clab {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kRoleLabel = "blastlab.role";
constexpr std::string_view kTagsLabel = "blastlab.tags";

// Settings of a container runtime or of a vendor's kind, which a namespace does not have.
const std::set<std::string> kContainerKeys = {"image-pull-policy",
                                              "restart-policy",
                                              "auto-remove",
                                              "runtime",
                                              "cpu",
                                              "memory",
                                              "cpu-set",
                                              "shm-size",
                                              "cap-add",
                                              "privileged",
                                              "cgroupns-mode",
                                              "cgroup-parent",
                                              "pid-mode",
                                              "tmpfs",
                                              "security-opts",
                                              "devices",
                                              "user",
                                              "env-files",
                                              "volumes",
                                              "healthcheck",
                                              "aliases",
                                              "dns",
                                              "credentials",
                                              "license",
                                              "extras",
                                              "certificate",
                                              "components",
                                              "config",
                                              "enforce-startup-config",
                                              "suppress-startup-config",
                                              "link-apply-mode"};

std::string ignored_key_message(const std::string& key) {
  if (key == "ports") {
    return "`ports` are not published: a blastlab lab is sealed from the host's network";
  }
  if (key == "hostname") {
    return "`hostname` is not set: nodes share the host's hostname; FRR takes its own from "
           "frr.conf";
  }
  if (key == "startup-delay" || key == "stages") {
    return fmt::format(
        "`{}` is ignored: blastlab starts every node's daemons together, once "
        "all links are up",
        key);
  }
  if (kContainerKeys.contains(key)) {
    return fmt::format(
        "`{}` is a container or vendor setting; a blastlab node is a network "
        "namespace, not a container, so it has no effect",
        key);
  }
  return fmt::format("`{}` is ignored by blastlab", key);
}

std::string unsupported_kind_message(const std::string& kind) {
  constexpr std::string_view kSupported =
      "blastlab runs FRR routers (kind linux with an FRR image or FRR's files bound into "
      "/etc/frr, or kind frr) and plain Linux hosts (kind linux)";
  if (kind == "bridge" || kind == "ovs-bridge") {
    return fmt::format(
        "kind {} is a bridge in the host's network namespace, and a blastlab lab "
        "is sealed from the host's network; join the nodes with veth links "
        "instead (a router or host where a shared segment was). {}",
        kind, kSupported);
  }
  if (kind == "host") {
    return fmt::format(
        "kind host is the host's own network namespace, which a blastlab lab "
        "never joins. {}",
        kSupported);
  }
  if (kind == "ext-container") {
    return fmt::format(
        "kind ext-container is a container started outside the lab; blastlab "
        "runs no containers. {}",
        kSupported);
  }
  return fmt::format(
      "kind {} runs a vendor's image or virtual machine, which blastlab cannot "
      "run; {}",
      kind, kSupported);
}

// A suggestion for a node name blastlab refuses: lower case, other characters as '-'.
std::string suggested_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool ok = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
    out += ok ? lower : '-';
  }
  if (out.empty() || out[0] < 'a' || out[0] > 'z') out = "n" + out;
  if (out.size() > model::kMaxIfnameLength) out.resize(model::kMaxIfnameLength);
  return out;
}

// A host path the lab will read at `up` must be there now, so that a typo is an error at
// validation rather than a half-built lab.
bool require_file(const Sourced<std::string>& path, std::string_view what, Findings& findings) {
  if (path.value.starts_with("~")) {
    findings.error(path, fmt::format("{} {}: blastlab does not expand `~` (it runs as root); "
                                     "give the path relative to the topology file, or absolute",
                                     what, path.value));
    return false;
  }
  std::error_code ec;
  auto status = fs::status(path.value, ec);
  if (ec || !fs::exists(status)) {
    findings.error(path, fmt::format("{} {} does not exist", what, path.value));
    return false;
  }
  if (!fs::is_regular_file(status)) {
    findings.error(path, fmt::format("{} {} is not a file", what, path.value));
    return false;
  }
  return true;
}

std::string bind_target(const Bind& bind) {
  std::string target = bind.container_path;
  while (target.size() > 1 && target.back() == '/') target.pop_back();
  return target;
}

bool is_frr_file_bind(const Bind& bind) {
  std::string target = bind_target(bind);
  return target == "/etc/frr" || target == "/etc/frr/frr.conf" || target == "/etc/frr/daemons";
}

// Whether a file FRR's files name came from a whole directory bound onto /etc/frr.
bool from_frr_directory(const Node& node, const Sourced<std::string>& path) {
  return std::any_of(node.binds.begin(), node.binds.end(), [&](const Bind& b) {
    return bind_target(b) == "/etc/frr" && b.text.field == path.field;
  });
}

std::optional<model::UserFrr> convert_frr(const Node& node, const std::string& file,
                                          Findings& findings) {
  const FrrFiles& files = node.frr_files;
  model::UserFrr frr;
  frr.mark = node.mark;
  bool ok = true;
  if (files.frr_conf_text) {
    frr.config = fs::absolute(file).lexically_normal().string();
    frr.config_text = files.frr_conf_text->value;
    // An inline startup-config is a YAML block (`|`), whose text starts on the next line.
    frr.text_first_line = files.frr_conf_text->mark.line + 1;
  } else if (files.frr_conf) {
    ok = require_file(*files.frr_conf, "FRR configuration", findings) && ok;
    frr.config = files.frr_conf->value;
  } else {
    findings.warn(node.mark, node.field,
                  fmt::format("FRR node {} has no configuration (no bind onto /etc/frr/frr.conf "
                              "or /etc/frr, no startup-config): it runs FRR with an empty one, "
                              "as the image's default is, and routes nothing until configured "
                              "with `blastlab vtysh`",
                              node.name));
    frr.config = fs::absolute(file).lexically_normal().string();
    frr.config_text = "";
  }
  if (files.daemons) {
    // A directory bound onto /etc/frr may leave the daemons file out: FRR then runs the
    // daemons its configuration needs, as without one.
    std::error_code ec;
    bool left_out =
        from_frr_directory(node, *files.daemons) && !fs::exists(files.daemons->value, ec);
    if (!left_out) {
      ok = require_file(*files.daemons, "FRR daemons file", findings) && ok;
      frr.daemons = files.daemons->value;
    }
  }
  if (node.kind.value == "frr" && node.startup_config) {
    for (const auto& bind : node.binds) {
      if (bind_target(bind) == "/etc/frr/frr.conf") {
        findings.warn(bind.text, "this bind is not used: startup-config gives the node's frr.conf");
      }
    }
  }
  if (!ok) return std::nullopt;
  return frr;
}

// `blastlab.role` and `blastlab.tags`; any other `blastlab.` label is a typo.
bool read_labels(const Node& node, model::Node& out, Findings& findings) {
  bool ok = true;
  for (const auto& [key, value] : node.labels) {
    if (!key.starts_with("blastlab.")) continue;
    if (key == kRoleLabel) {
      auto role = model::role_from_string(value.value);
      if (role && model::is_measurement_role(*role)) {
        out.measured_as = role;
        continue;
      }
      findings.error(
          value, fmt::format("'{}' is not a role to measure a node as{}; allowed: {}", value.value,
                             role ? model::not_measurement_role_reason(*role) : "",
                             model::measurement_role_names()));
      ok = false;
    } else if (key == kTagsLabel) {
      size_t start = 0;
      while (start <= value.value.size()) {
        size_t comma = value.value.find(',', start);
        std::string tag = value.value.substr(start, comma - start);
        tag.erase(0, tag.find_first_not_of(' '));
        tag.erase(tag.find_last_not_of(' ') + 1);
        if (!model::is_valid_name(tag)) {
          findings.error(value, fmt::format("tag '{}' is not a name; blastlab.tags is a "
                                            "comma-separated list of [a-z][a-z0-9-]* names",
                                            tag));
          ok = false;
        } else if (std::find(out.tags.begin(), out.tags.end(), tag) == out.tags.end()) {
          out.tags.push_back(tag);
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else {
      findings.error(
          value,
          fmt::format("unknown label '{}'{}; blastlab reads {} and {}", key,
                      model::did_you_mean(key, {std::string(kRoleLabel), std::string(kTagsLabel)}),
                      kRoleLabel, kTagsLabel));
      ok = false;
    }
  }
  return ok;
}

void warn_container_settings(const Node& node, bool frr, Findings& findings) {
  if (node.image) {
    findings.warn(*node.image,
                  frr ? fmt::format("image {} is not run: blastlab runs the host's FRR "
                                    "(/usr/lib/frr) with the node's configuration",
                                    node.image->value)
                      : fmt::format("image {} is not run: a host is a network namespace with "
                                    "the host's own programs",
                                    node.image->value));
  }
  if (node.kind.value == "linux" && node.startup_config) {
    findings.warn(*node.startup_config,
                  frr ? "startup-config is not used by kind linux (containerlab ignores it too); "
                        "bind FRR's configuration onto /etc/frr/frr.conf"
                      : "startup-config is not used by kind linux (containerlab ignores it too)");
  }
  if (node.type) {
    findings.warn(*node.type, fmt::format("type {} is ignored: it selects a variant of a "
                                          "vendor's kind",
                                          node.type->value));
  }
  for (const auto* program : {&node.cmd, &node.entrypoint}) {
    if (!*program) continue;
    const char* key = program == &node.cmd ? "cmd" : "entrypoint";
    findings.warn(**program, frr ? fmt::format("`{}` is not run: blastlab starts FRR itself", key)
                                 : fmt::format("`{}` is not run: a host runs nothing but its "
                                               "exec lines",
                                               key));
  }
  for (const auto& [name, value] : node.env) {
    findings.warn(value, fmt::format("environment variable {} is not set: a blastlab node has "
                                     "no container environment",
                                     name));
  }
  for (const auto& bind : node.binds) {
    if (frr && is_frr_file_bind(bind)) continue;
    findings.warn(bind.text, fmt::format("bind {} is not made: a blastlab node shares the "
                                         "host's filesystem, so nothing is mounted at {}",
                                         bind.text.value, bind.container_path));
  }
  for (const auto& key : node.uninterpreted) findings.warn(key, ignored_key_message(key.value));
}

// network-mode none is what a blastlab node always is; host and container:X would join a
// namespace that is not the node's own.
bool check_network_mode(const Node& node, Findings& findings) {
  if (!node.network_mode || node.network_mode->value == "none") return true;
  const auto& mode = *node.network_mode;
  if (mode.value == "host") {
    findings.error(mode,
                   "network-mode host would run the node in the host's own network "
                   "namespace; a blastlab lab is sealed from the host's network");
    return false;
  }
  if (mode.value.starts_with("container:")) {
    findings.error(mode, fmt::format("network-mode {} shares another container's network "
                                     "namespace; every blastlab node has its own, so link the "
                                     "two nodes instead",
                                     mode.value));
    return false;
  }
  findings.warn(mode, fmt::format("network-mode {} is ignored: every blastlab node has its own "
                                  "namespace and there is no management network",
                                  mode.value));
  return true;
}

}  // namespace

std::vector<Diagnostic> Findings::unique(std::vector<Diagnostic> sorted) {
  std::vector<Diagnostic> out;
  std::set<std::string> seen;
  for (auto& d : sorted) {
    if (seen.insert(d.str()).second) out.push_back(std::move(d));
  }
  return out;
}

std::optional<model::Node> convert_node(const Node& node, const ConvertOptions& options,
                                        const std::string& file, Findings& findings) {
  if (node.node_class == NodeClass::kUnsupported) {
    findings.error(node.kind, unsupported_kind_message(node.kind.value));
    return std::nullopt;
  }
  bool ok = true;
  if (!model::is_valid_node_name(node.name)) {
    findings.error(node.mark, node.field,
                   fmt::format("'{}' cannot be a blastlab node name: names are [a-z][a-z0-9-]*, "
                               "at most 15 characters, as they name the node's namespace and "
                               "directory; rename it (say, '{}') here and in the links",
                               node.name, suggested_name(node.name)));
    ok = false;
  }
  bool frr = node.node_class == NodeClass::kFrr;
  model::Node out;
  out.name = node.name;
  out.mark = node.mark;
  out.role = frr ? model::Role::kRouter : model::Role::kHost;
  ok = check_network_mode(node, findings) && ok;
  ok = read_labels(node, out, findings) && ok;
  if (frr) {
    out.frr = convert_frr(node, file, findings);
    ok = out.frr.has_value() && ok;
  }
  warn_container_settings(node, frr, findings);
  out.exec = convert_exec(node, options, findings);
  if (!ok) return std::nullopt;
  return out;
}

ConvertResult convert(const Topology& topology, const ConvertOptions& options) {
  Findings findings(topology.file);
  model::Topology out;
  out.file = topology.file;
  if (model::is_valid_lab_name(topology.name.value)) {
    out.name = topology.name.value;
  } else {
    findings.warn(topology.name,
                  fmt::format("'{}' cannot be a blastlab lab name ([a-z][a-z0-9-]*, at most {} "
                              "characters, as it names the lab's namespaces); give the lab one "
                              "with --name",
                              topology.name.value, model::kMaxLabNameLength));
  }
  for (const auto& note : topology.notes) findings.warn(note.mark, note.field, note.message);
  std::vector<std::string> converted;
  for (const auto& node : topology.nodes) {
    if (auto converted_node = convert_node(node, options, topology.file, findings)) {
      converted.push_back(converted_node->name);
      out.nodes.push_back(std::move(*converted_node));
    }
  }
  out.links = convert_links(topology, converted, findings);
  ConvertResult result;
  result.warnings = findings.take_warnings();
  if (findings.has_errors()) {
    result.errors = findings.take_errors();
    return result;
  }
  result.topology = std::move(out);
  return result;
}

ConvertResult load_clab_text(std::string_view text, const std::string& file_name,
                             const ReadOptions& read, const ConvertOptions& options) {
  ReadResult result = read_clab_text(text, file_name, read);
  if (!result.topology) return {std::nullopt, std::move(result.errors), {}};
  return convert(*result.topology, options);
}

ConvertResult load_clab_file(const std::string& path, const ReadOptions& read,
                             const ConvertOptions& options) {
  ReadResult result = read_clab_file(path, read);
  if (!result.topology) return {std::nullopt, std::move(result.errors), {}};
  return convert(*result.topology, options);
}

}  // namespace blastlab::clab
