// Which nodes blastlab can run, and from which FRR files. containerlab runs FRR either as
// `kind: linux` with an FRR image and its files bound into /etc/frr (the schema snapshot
// predates anything else), or, since September 2026, as the native `kind: frr` whose
// startup-config is frr.conf. A linux node with another image is a plain host. Every other
// kind needs a vendor image, a VM or a bridge in the host's own namespace (bridge,
// ovs-bridge, host, ext-container), none of which a blastlab lab has, so those are
// unsupported: the caller refuses them at the node's position.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "controller/clab/reader_parts.hpp"

namespace blastlab::clab {

namespace {

constexpr std::string_view kNodeNameVar = "__clabNodeName__";

// The schema's kind enum (definitions.node-config.kind), the native frr kind, and the
// short names containerlab still accepts for older files.
const std::vector<std::string> kKinds = {
    "nokia_srlinux", "arista_ceos", "juniper_crpd", "juniper_csrx", "sonic-vs", "sonic-vm",
    "nokia_sros", "nokia_srsim", "juniper_vmx", "juniper_vqfx", "juniper_vsrx",
    "juniper_vjunosrouter", "juniper_vjunosswitch", "juniper_vjunosevolved", "cisco_xrv",
    "cisco_xrv9k", "arista_veos", "cisco_csr1000v", "paloalto_panos", "mikrotik_ros", "6wind_vsr",
    "cisco_n9kv", "cisco_ftdv", "dell_ftosv", "dell_sonic", "aruba_aoscx", "linux", "bridge",
    "ovs-bridge", "border0", "host", "keysight_ixia-c-one", "ipinfusion_ocnos",
    "checkpoint_cloudguard", "ciena_saos", "ext-container", "rare", "cisco_xrd",
    "cisco_xrd_vrouter", "cisco_c8000", "cisco_c8000v", "cisco_cat9kv", "cisco_iol", "cisco_asav",
    "cisco_vios", "nvidia_cumulusvx", "huawei_vrp", "openbsd", "freebsd", "generic_vm",
    "fortinet_fortigate", "k8s-kind", "fdio_vpp", "vyosnetworks_vyos", "juniper_cjunosevolved",
    "arrcus_arcos", "f5_bigip-ve", "cisco_sdwan", "openwrt", "spirent_stc", "veesix_osvbng",
    "ostinato", "plvision_sonic",
    // native FRR
    "frr",
    // short names of older files
    "srl", "ceos", "crpd", "sonic", "xrd", "cvx", "vr-sros", "vr-vmx", "vr-vqfx", "vr-vsrx",
    "vr-xrv", "vr-xrv9k", "vr-veos", "vr-csr", "vr-pan", "vr-n9kv", "vr-ftosv", "vr-ros",
    "vr-aoscx"};

// containerlab's utils.ResolvePath after its magic-variable replacer: `~` is the home
// directory, an absolute path stays, anything else is relative to the topology file.
std::string resolve_host_path(std::string path, const std::string& node_name,
                              const std::string& directory, const ReadOptions& options) {
  for (size_t at; (at = path.find(kNodeNameVar)) != std::string::npos;) {
    path.replace(at, kNodeNameVar.size(), node_name);
  }
  if (path.empty() || path[0] == '/') return path;
  if (path[0] == '~') {
    if (options.home_directory.empty()) return path;
    return (std::filesystem::path(options.home_directory) /
            path.substr(std::min<size_t>(2, path.size())))
        .lexically_normal()
        .string();
  }
  return (std::filesystem::path(directory) / path).lexically_normal().string();
}

bool is_frr_image(std::string_view image) {
  constexpr std::string_view kRepository = "frrouting/frr";
  for (size_t at = image.find(kRepository); at != std::string_view::npos;
       at = image.find(kRepository, at + 1)) {
    bool starts = at == 0 || image[at - 1] == '/';
    size_t end = at + kRepository.size();
    bool ends = end == image.size() || image[end] == ':' || image[end] == '@';
    if (starts && ends) return true;
  }
  return false;
}

std::string trim_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// Binds onto /etc/frr/frr.conf and /etc/frr/daemons, or of a whole directory onto /etc/frr.
void find_frr_binds(const Node& node, FrrFiles& files) {
  for (const auto& bind : node.binds) {
    std::string target = trim_slashes(bind.container_path);
    Sourced<std::string> host{bind.host_path, bind.text.mark, bind.text.field};
    if (target == "/etc/frr/frr.conf") {
      files.frr_conf = host;
    } else if (target == "/etc/frr/daemons") {
      files.daemons = host;
    } else if (target == "/etc/frr") {
      if (!files.frr_conf) files.frr_conf = {host.value + "/frr.conf", host.mark, host.field};
      if (!files.daemons) files.daemons = {host.value + "/daemons", host.mark, host.field};
    }
  }
}

// kind frr's startup-config: a path, an inline configuration (a YAML block, so it has
// lines), or a URL containerlab would download; blastlab downloads nothing.
void read_frr_startup_config(const Node& node, const std::string& directory,
                             const ReadOptions& options, FrrFiles& files,
                             Diagnostics& diagnostics) {
  const auto& config = *node.startup_config;
  if (config.value.find('\n') != std::string::npos) {
    files.frr_conf_text = config;
  } else if (config.value.starts_with("http://") || config.value.starts_with("https://")) {
    diagnostics.error(config.mark, config.field,
                      fmt::format("startup-config '{}' is a URL; blastlab downloads nothing, so "
                                  "give a path to the file or the configuration inline",
                                  config.value));
  } else {
    files.frr_conf = {resolve_host_path(config.value, node.name, directory, options), config.mark,
                      config.field};
  }
}

}  // namespace

bool is_known_kind(const std::string& kind) {
  return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end() || kind.starts_with("vr-");
}

const std::vector<std::string>& known_kinds() {
  return kKinds;
}

void classify_node(Node& node, const std::string& directory, const ReadOptions& options,
                   Diagnostics& diagnostics) {
  for (auto& bind : node.binds) {
    bind.host_path = resolve_host_path(bind.host_path, node.name, directory, options);
  }
  const std::string& kind = node.kind.value;
  if (kind != "linux" && kind != "frr") {
    node.node_class = NodeClass::kUnsupported;
    return;
  }
  FrrFiles files;
  find_frr_binds(node, files);
  bool frr = kind == "frr" || (node.image && is_frr_image(node.image->value)) || files.frr_conf ||
             files.daemons;
  if (kind == "frr" && node.startup_config) {
    read_frr_startup_config(node, directory, options, files, diagnostics);
  }
  node.node_class = frr ? NodeClass::kFrr : NodeClass::kHost;
  if (frr) node.frr_files = std::move(files);
}

}  // namespace blastlab::clab
