// The topology model: a lab described as typed, validated, fully planned data. Loading a
// file parses and validates it completely before anything touches the kernel; a topology
// that comes back from load_topology_*() has every name checked, every address planned and
// every reference resolved, so the lab layer never has to second-guess it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/timers.hpp"
#include "controller/execline/exec_line.hpp"
#include "controller/model/diagnostic.hpp"
#include "controller/model/ip.hpp"

namespace blastlab::model {

// The generated roles (datacenter ... client) get their routing from blastlab's plan; a
// `router` runs the user's own FRR configuration and nothing else, and a `host` runs no
// routing daemon: its addresses and routes come from its `exec` lines. Neither of the two
// has an address blastlab plans.
enum class Role { kDatacenter, kBackbone, kEdge, kDns, kPeer, kClient, kRouter, kHost };
std::string_view to_string(Role role);  // "datacenter", "backbone", ...
std::optional<Role> role_from_string(std::string_view text);
// Router and host nodes: the user's network, which blastlab neither plans nor addresses.
bool is_user_role(Role role);
// The roles a router or host may be measured as (`measure-as`): backbone, edge, peer.
bool is_measurement_role(Role role);
// "backbone, edge or peer", for messages.
std::string measurement_role_names();
// " (a client is measured through ...)": why a role is no measurement role, for messages.
std::string not_measurement_role_reason(Role role);

// Link impairments, applied as netem (and tbf for rate) on both ends' egress, so a link with
// delay 10ms has a round-trip time of 20ms.
struct Impairment {
  std::optional<std::chrono::microseconds> delay;
  std::optional<std::chrono::microseconds> jitter;
  std::optional<double> loss_percent;  // 0..100
  std::optional<uint64_t> rate_bits_per_second;
  bool any() const { return delay || jitter || loss_percent || rate_bits_per_second; }
};

// A node that runs the user's own FRR configuration instead of one blastlab renders: the
// integrated frr.conf as written, plus only what the lab needs (its log files and pathspace,
// shown by `blastlab config`).
struct UserFrr {
  std::string config;  // the frr.conf, an absolute path; or where the inline text was given
  std::optional<std::string> config_text;  // a containerlab startup-config given inline
  int text_first_line = 0;                 // the file line of config_text's first line
  std::string daemons;  // FRR's daemons file, an absolute path; empty: what the config needs
  SourceMark mark;
};

// One `exec` line of a node, run once its links are up. Lines blastlab understands (the `ip
// address|link|route` family, execline/) are applied through netlink; any other line is
// kept only when the topology was loaded with trust_exec, and then runs in the node's
// namespace with /bin/sh -c.
struct ExecCommand {
  std::string line;
  std::optional<execline::IpOperation> ip;  // nullopt: a trusted shell line
  SourceMark mark;
};

// A dns node's own health check (`health:` on the node): what it gives replaces
// services.dns.health's value for this node alone. It exists to put one site's check
// wrong (a drill's "health check pointed at the wrong target"), so its targets may also be
// backbone and edge nodes, whose loopbacks answer icmp; nothing listens there for tcp or
// http, which only the datacenters' backends serve.
struct HealthOverride {
  std::vector<std::string> targets;  // empty: the service's
  std::vector<std::string> checks;   // empty: the service's
  SourceMark mark;
};

struct Node {
  std::string name;  // [a-z][a-z0-9-]*, at most 15 characters
  Role role = Role::kBackbone;
  uint32_t asn = 0;    // operator's for datacenter/backbone/edge, planned or given otherwise
  std::string region;  // backbone, edge (optional)
  std::string site;    // dns: the edge node it sits at (required)
  bool route_reflector = false;  // backbone
  std::vector<std::string> tags;
  std::optional<Ipv4Prefix> loopback;  // a /32, planned or given; router/host: only if given
  std::optional<Ipv4Prefix> network;   // client: its own network (gateway address/len)
  std::optional<UserFrr> frr;          // the user's own FRR configuration
  std::vector<ExecCommand> exec;       // in file order
  // The role measurement treats a router or host as (`measure-as:`, a containerlab node's
  // `blastlab.role` label, an overlay): a router measured as a peer is a vantage point for
  // `role:peer`, but its routing stays its own: nothing is planned or generated for it.
  std::optional<Role> measured_as;
  std::optional<HealthOverride> health;  // dns: its own health check, over the service's
  SourceMark mark;
  // Whether blastlab renders this node's FRR configuration (a generated routing role
  // without the user's own config).
  bool generated_routing() const { return !frr && !is_user_role(role) && role != Role::kClient; }
  // Whether selectors and measurement take the node as `r`: its own role or the one it is
  // measured as.
  bool acts_as(Role r) const { return role == r || measured_as == r; }
};

struct Endpoint {
  std::string node;
  std::string ifname;  // inside the node's namespace; default: the other node's name
  // Planned or given, the two ends sharing one prefix; absent on a link between two nodes
  // of the user's network (router, host) that gives no `prefix`: their configs address it.
  std::optional<Ipv4Prefix> address;
};

struct Link {
  Endpoint a;
  Endpoint b;
  int mtu = 1500;
  Impairment impairment;
  SourceMark mark;
};

enum class HealthAction { kWithdraw, kDegrade, kFailStatic };
std::string_view to_string(HealthAction action);  // "withdraw", "degrade", "fail-static"

struct HealthCheck {
  std::chrono::milliseconds interval = contracts::kDefaultHealthTimers.interval;
  std::chrono::milliseconds timeout = contracts::kDefaultHealthTimers.timeout;
  int rise = contracts::kDefaultHealthTimers.rise;
  int fall = contracts::kDefaultHealthTimers.fall;
  HealthAction action = HealthAction::kWithdraw;
  std::vector<std::string> checks{"tcp"};  // each one of tcp, icmp, dns, http
  uint16_t port = 80;                      // what the datacenter backends serve
  std::vector<std::string> targets;        // datacenter node names; default: all of them
  // The guard: a site gives up its announcement only while it sees at least this many other
  // sites announcing; 0 (the default) turns it off. At most the number of dns nodes - 1.
  int min_sites = 0;
  SourceMark mark;
};

struct NameServer {
  std::string name;  // relative to the zone: "a.ns"
  Ipv4Address address;
};

struct AnycastPrefix {
  Ipv4Prefix prefix;  // a network prefix
  std::vector<NameServer> nameservers;
  SourceMark mark;
};

struct DnsService {
  std::string zone = "example.net";
  uint32_t ttl = 300;
  std::vector<AnycastPrefix> anycast;
  HealthCheck health;
  SourceMark mark;
};

// Another prefix of the operator, announced from inside its AS (the covering prefix of the
// 2021 outage, which stayed announced while the DNS more-specifics went).
struct OperatorPrefix {
  Ipv4Prefix prefix;
  bool covering = false;
  std::vector<std::string> from;  // node names; default: every backbone node
  SourceMark mark;
};

struct Services {
  std::optional<DnsService> dns;
  std::vector<OperatorPrefix> prefixes;
};

// The pools the address plan draws from when the file gives no address.
struct Addressing {
  Ipv4Prefix loopbacks = *Ipv4Prefix::parse("198.18.0.0/20");
  Ipv4Prefix links = *Ipv4Prefix::parse("198.19.0.0/16");
  Ipv4Prefix clients = *Ipv4Prefix::parse("203.0.113.0/24");
};

struct Topology {
  std::string file;  // where it was loaded from, for messages
  std::string name;  // default lab name
  uint32_t asn = 64500;
  Addressing addressing;
  std::vector<Node> nodes;  // in file order
  std::vector<Link> links;  // in file order
  Services services;

  const Node* find_node(std::string_view name) const;
  // What a dns node's healthd checks: services.dns.health with the node's own `health` over
  // it. Requires services.dns.
  HealthCheck health_of(const Node& node) const;
  // The links touching a node, in file order.
  std::vector<const Link*> links_of(std::string_view node) const;
};

struct LoadResult {
  std::optional<Topology> topology;  // set only when errors is empty
  std::vector<Diagnostic> errors;    // in file order
};

struct LoadOptions {
  // Relative paths in the file (a node's frr config) are relative to this directory;
  // empty: the file's own. A lab's copy of its topology is reloaded with the original's.
  std::string base_directory;
  // Keep `exec` lines blastlab does not understand, to run with /bin/sh -c in the node's
  // namespace (`--trust-exec`); without it they are refused at their line and column.
  bool trust_exec = false;
};

LoadResult load_topology_file(const std::string& path, const LoadOptions& options = {});
LoadResult load_topology_text(std::string_view text, const std::string& file_name,
                              const LoadOptions& options = {});

// Name rules shared with the lab layer: node and lab names are [a-z][a-z0-9-]*; interface
// names must fit Linux's 15 characters (IFNAMSIZ - 1), and so must node names, which are
// the default interface names.
inline constexpr size_t kMaxIfnameLength = 15;
inline constexpr size_t kMaxLabNameLength = 12;
bool is_valid_name(std::string_view name);
// A whole lab or node name: the character rule and its length. Both become parts of paths
// (/run/blastlab/LAB/nodes/NODE) and namespace names (LAB.NODE), so a name that passes
// holds no '/', '.' or '_' and cannot step outside them.
bool is_valid_lab_name(std::string_view name);
bool is_valid_node_name(std::string_view name);

}  // namespace blastlab::model
