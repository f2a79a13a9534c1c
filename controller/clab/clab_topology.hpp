// A containerlab topology file (`*.clab.yml`) read the way containerlab reads it: every
// node with defaults, kind, group and node settings already merged by containerlab's rules,
// classified as an FRR router, a plain host or a kind blastlab cannot run, and every link
// in its brief or extended form. Nothing here converts to blastlab's own topology or
// builds anything; the reader only makes sure that whoever does gets a complete, checked
// picture with the file position of every value, so a refusal can name file:line:col.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/model/diagnostic.hpp"
#include "controller/model/ip.hpp"

namespace blastlab::clab {

using model::Diagnostic;
using model::SourceMark;

// One value of the file with where it was given. After inheritance the mark and field are
// those of the level the value came from ("topology.groups.routers.image"), so a message
// about a node's image points at the line that set it.
template <typename T>
struct Sourced {
  T value{};
  SourceMark mark;
  std::string field;
  // A quoted (or block) scalar: its text starts after the mark, so a column inside the text
  // (an exec line's word) is counted from mark.column + 1.
  bool quoted = false;
};

// `host:container[:mode]`. The host path is resolved as containerlab resolves it: relative
// to the topology file's directory, `~` to the home directory given to the reader,
// `__clabNodeName__` to the node's name.
struct Bind {
  Sourced<std::string> text;  // as written
  std::string host_path;
  std::string container_path;
  std::string mode;  // "ro", "rw" or empty
};

enum class NodeClass {
  kFrr,          // runs FRR: frr_files says which configuration it starts with
  kHost,         // kind linux with some other image: a plain Linux host
  kUnsupported,  // any other kind (srl, ceos, vr-*, bridge, ovs-bridge, host, ...)
};

// Where an FRR node's configuration comes from. A node classified FRR by its image alone
// has neither and starts with the image's default configuration.
struct FrrFiles {
  std::optional<Sourced<std::string>> frr_conf;  // a host path, resolved
  std::optional<Sourced<std::string>> daemons;   // a host path, resolved
  // kind frr's startup-config given inline as a YAML block rather than as a path.
  std::optional<Sourced<std::string>> frr_conf_text;
};

struct Node {
  std::string name;
  SourceMark mark;    // the node's name under topology.nodes
  std::string field;  // "topology.nodes.r1"

  Sourced<std::string> kind;
  std::optional<Sourced<std::string>> group;
  std::optional<Sourced<std::string>> image;
  std::optional<Sourced<std::string>> type;
  std::optional<Sourced<std::string>> startup_config;  // as written
  std::optional<Sourced<std::string>> cmd;
  std::optional<Sourced<std::string>> entrypoint;
  std::optional<Sourced<std::string>> network_mode;
  std::optional<Sourced<std::string>> mgmt_ipv4;
  std::optional<Sourced<std::string>> mgmt_ipv6;
  std::vector<Bind> binds;                 // one per container path, most specific level wins
  std::vector<Sourced<std::string>> exec;  // defaults, kind, group, node; duplicates dropped
  std::map<std::string, Sourced<std::string>> labels;  // merged; blastlab.role lives here
  std::map<std::string, Sourced<std::string>> env;
  std::map<std::string, Sourced<std::string>> sysctls;
  // Keys containerlab knows and blastlab does not interpret (ports, memory, ...), each
  // once, at the most specific level that gave it: the caller decides what to say.
  std::vector<Sourced<std::string>> uninterpreted;

  NodeClass node_class = NodeClass::kUnsupported;
  FrrFiles frr_files;

  const Sourced<std::string>* label(std::string_view key) const;
};

enum class LinkType { kVeth, kVethStitch, kMgmtNet, kMacvlan, kHost, kVxlan, kVxlanStitch, kDummy };
std::string_view link_type_name(LinkType type);

struct Endpoint {
  std::string node;
  std::string interface;
  std::optional<Sourced<std::string>> mac;
  std::optional<Sourced<model::Ipv4Prefix>> ipv4;  // the endpoint's, or the link's ipv4[i]
  std::optional<Sourced<std::string>> ipv6;
  SourceMark mark;  // the "r1:eth1" string, or the endpoint's map
  std::string field;
};

struct Link {
  LinkType type = LinkType::kVeth;
  bool brief = false;  // `endpoints: ["a:x", "b:y"]` rather than `type: ...`
  // Two for veth links; for the other types the endpoints that could be read (the caller
  // refuses those links anyway and needs only the mark).
  std::vector<Endpoint> endpoints;
  std::optional<Sourced<int>> mtu;
  std::map<std::string, Sourced<std::string>> labels;
  SourceMark mark;    // the list item
  std::string field;  // "topology.links[3]"
};

struct Topology {
  std::string file;
  std::string directory;  // relative host paths are resolved against it
  Sourced<std::string> name;
  std::optional<Sourced<std::string>> prefix;
  std::vector<Node> nodes;  // in file order
  std::vector<Link> links;  // in file order
  // What the file gives that a blastlab lab will not have (the management network, nodes'
  // management addresses): read, checked, and left for the caller to warn about.
  std::vector<Diagnostic> notes;

  const Node* find_node(std::string_view name) const;
};

struct ReadOptions {
  std::string home_directory;  // what `~` in host paths means; left unexpanded when empty
  // What relative host paths are relative to; empty: the file's own directory. A lab's copy
  // of its topology is read with the original's.
  std::string base_directory;
};

struct ReadResult {
  std::optional<Topology> topology;  // set only when errors is empty
  std::vector<Diagnostic> errors;    // in file order
};

ReadResult read_clab_file(const std::string& path, const ReadOptions& options = {});
// file_name names the file in diagnostics and gives the directory host paths are relative to.
ReadResult read_clab_text(std::string_view text, const std::string& file_name,
                          const ReadOptions& options = {});

}  // namespace blastlab::clab
