#include "controller/services/nsd.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "controller/services/render_util.hpp"

namespace blastlab::services {

namespace {

// The fixed answers of the lab zone: a name for people to look up, and a wildcard under
// which probes ask for names nobody asked before, so every probe query reaches an
// authoritative server instead of being answered from a resolver's cache.
constexpr const char* kWwwAddress = "192.0.2.80";
constexpr const char* kProbeAddress = "192.0.2.81";

const model::DnsService& dns_of(const model::Topology& topology, const model::Node& node) {
  if (!topology.services.dns) {
    throw std::invalid_argument(
        fmt::format("render nsd for {}: the topology has no services.dns", node.name));
  }
  if (all_nameservers(*topology.services.dns).empty()) {
    throw std::invalid_argument(
        fmt::format("render nsd for {}: services.dns has no name servers", node.name));
  }
  return *topology.services.dns;
}

std::string render_conf(const model::Node& node, const std::string& dir,
                        const std::vector<model::NameServer>& nameservers,
                        const std::string& zone) {
  std::string out = fmt::format(
      "# nsd.conf for {node}, rendered by blastlab. NSD runs as root in the foreground in\n"
      "# the node's namespace; every file it writes stays in\n"
      "# {dir}\n"
      "server:\n"
      "  server-count: 1\n",
      fmt::arg("node", node.name), fmt::arg("dir", dir));
  // Each anycast address is listed on its own so replies leave from the address the query
  // came to. Freebind lets NSD start before the addresses are configured, and keeps it
  // serving while healthd withdraws the route without taking the address away.
  for (const auto& ns : nameservers) out += fmt::format("  ip-address: {}\n", ns.address.str());
  out += fmt::format(
      "  ip-freebind: yes\n"
      "  port: 53\n"
      "  do-ip4: yes\n"
      "  do-ip6: no\n"
      "  username: \"\"\n"
      "  chroot: \"\"\n"
      "  zonesdir: \"{dir}\"\n"
      "  database: \"\"\n"
      "  zonelistfile: \"{zonelist}\"\n"
      "  xfrdfile: \"{xfrd}\"\n"
      "  xfrdir: \"{dir}\"\n"
      "  pidfile: \"{pid}\"\n"
      "  logfile: \"{log}\"\n"
      "  verbosity: 1\n"
      // The node name answers `CH TXT id.server` and rides in NSID, so a probe can tell
      // which anycast site answered it.
      "  identity: \"{node}\"\n"
      "  nsid: \"ascii_{node}\"\n"
      // Response rate limiting would turn a fast prober into truncated answers, which
      // the lab would then count as an outage that never happened.
      "  rrl-ratelimit: 0\n"
      "\n"
      "remote-control:\n"
      "  control-enable: no\n"
      "\n"
      "zone:\n"
      "  name: \"{zone}\"\n"
      "  zonefile: \"{zonefile}\"\n",
      fmt::arg("dir", dir), fmt::arg("zonelist", in_dir(dir, "zone.list")),
      fmt::arg("xfrd", in_dir(dir, "xfrd.state")), fmt::arg("pid", in_dir(dir, "nsd.pid")),
      fmt::arg("log", in_dir(dir, "nsd.log")), fmt::arg("node", node.name), fmt::arg("zone", zone),
      fmt::arg("zonefile", nsd_zone_path(dir, zone)));
  return out;
}

// The zone depends on the topology only, never on the node: every site must answer alike.
std::string render_zone(const model::DnsService& dns,
                        const std::vector<model::NameServer>& nameservers,
                        const std::string& zone) {
  std::string out = fmt::format(
      "; Zone {zone}, rendered by blastlab; the same on every DNS host of the lab.\n"
      "$ORIGIN {zone}.\n"
      "$TTL {ttl}\n"
      "@ IN SOA {mname}.{zone}. hostmaster.{zone}. 1 3600 600 86400 {ttl}\n",
      fmt::arg("zone", zone), fmt::arg("ttl", dns.ttl),
      fmt::arg("mname", nameservers.front().name));
  std::vector<std::string> listed;
  for (const auto& ns : nameservers) {
    // A name server that serves two anycast prefixes has two addresses but one NS record.
    if (std::find(listed.begin(), listed.end(), ns.name) != listed.end()) continue;
    listed.push_back(ns.name);
    out += fmt::format("@ IN NS {}.{}.\n", ns.name, zone);
  }
  for (const auto& ns : nameservers) {
    out += fmt::format("{} IN A {}\n", ns.name, ns.address.str());
  }
  out += fmt::format("www IN A {}\n", kWwwAddress);
  out += fmt::format("*.probe IN A {}\n", kProbeAddress);
  return out;
}

}  // namespace

NsdFiles render_nsd(const model::Topology& topology, const model::Node& dns_node,
                    const std::string& dir) {
  const model::DnsService& dns = dns_of(topology, dns_node);
  const auto nameservers = all_nameservers(dns);
  const std::string zone = zone_name(dns);
  return {.conf = render_conf(dns_node, dir, nameservers, zone),
          .zone_file = render_zone(dns, nameservers, zone),
          .zone = zone};
}

std::string nsd_conf_path(const std::string& dir) {
  return in_dir(dir, "nsd.conf");
}

std::string nsd_zone_path(const std::string& dir, const std::string& zone) {
  return in_dir(dir, zone + ".zone");
}

std::vector<std::string> nsd_argv(const std::string& dir) {
  return {"nsd", "-d", "-c", nsd_conf_path(dir)};
}

}  // namespace blastlab::services
