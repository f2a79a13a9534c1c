#include "controller/services/unbound.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "controller/services/render_util.hpp"

namespace blastlab::services {

namespace {

// How the resolver remembers failures. Unbound's defaults suit the Internet, where a
// server that stopped answering is best avoided for minutes; in the lab an outage and its
// recovery are what is measured, so both must show within seconds. With the defaults, a
// 40 s silent outage of both name servers (tried in a scratch namespace) left every client
// query hanging for the whole outage and kept answering SERVFAIL for 12 s after the
// servers were back; with the values below, clients got SERVFAIL 8 s into the outage and
// answers again about 2 s after the restore.
// - infra-cache-max-rtt: the retransmit timeout doubles on every loss up to this cap, and a
//   server at the cap counts as down, so unbound answers SERVFAIL at once instead of
//   retrying. 2 minutes by default; 1 s gets there after a few losses. The price: a path
//   whose round trip exceeds 1 s (a heavy netem delay) looks like an outage.
// - infra-host-ttl: how long what unbound learnt about a server (round-trip time, that it
//   is down) is kept; when it expires, the next query probes the server again. 900 s by
//   default; 5 s bounds how long a restored server goes unnoticed. Each re-probe of a
//   still-dead server costs the one client query that triggered it a timeout.
// - infra-keep-probing: a server declared down keeps getting that single probe query,
//   rather than none until its entry expires.
// - infra-cache-min-rtt: the default 50 ms floor is kept on purpose; lab round trips are
//   often well below it and a lower floor would turn netem jitter into false timeouts.
// - serve-expired: no, prefetch: no: an answer past its TTL is never served, so what
//   clients see is what the authoritative servers say now.
// - The stub is neither primed nor tried without the stub (stub-prime, stub-first: no):
//   the lab has no root servers, and priming would only add a query that can fail.
constexpr int kInfraHostTtlSeconds = 5;
constexpr int kInfraCacheMaxRttMs = 1000;
constexpr int kInfraCacheMinRttMs = 50;

std::string render_stub(const model::Topology& topology) {
  if (!topology.services.dns) return "";
  const model::DnsService& dns = *topology.services.dns;
  std::string out = fmt::format(
      "\n"
      "stub-zone:\n"
      "  name: \"{}\"\n",
      zone_name(dns));
  for (const auto& ns : all_nameservers(dns)) {
    out += fmt::format("  stub-addr: {}\n", ns.address.str());
  }
  out +=
      "  stub-prime: no\n"
      "  stub-first: no\n";
  return out;
}

}  // namespace

std::string render_unbound(const model::Topology& topology, const model::Node& client,
                           const std::string& dir) {
  if (!client.network) {
    throw std::invalid_argument(
        fmt::format("render unbound for {}: the node has no client network", client.name));
  }
  const std::string gateway = client.network->address.str();
  std::string out = fmt::format(
      "# unbound.conf for {node}, rendered by blastlab. Unbound runs as root in the\n"
      "# foreground in the node's namespace; every file it writes stays in\n"
      "# {dir}\n"
      "server:\n"
      "  verbosity: 1\n"
      "  num-threads: 1\n"
      "  interface: 127.0.0.1\n"
      "  interface: {gateway}\n"
      "  port: 53\n"
      "  ip-freebind: yes\n"
      "  do-ip4: yes\n"
      "  do-ip6: no\n"
      "  do-udp: yes\n"
      "  do-tcp: yes\n"
      // Queries leave from the client network's address: the anycast servers' replies are
      // routed back to that network, and the node's link address may not be routed at all.
      "  outgoing-interface: {gateway}\n"
      "  access-control: 127.0.0.0/8 allow\n"
      "  access-control: {network} allow\n"
      "  username: \"\"\n"
      "  chroot: \"\"\n"
      "  directory: \"{dir}\"\n"
      "  pidfile: \"{pid}\"\n"
      "  logfile: \"{log}\"\n"
      "  use-syslog: no\n"
      "  log-time-ascii: yes\n"
      // The lab zone is unsigned and there is no root to anchor trust in.
      "  module-config: \"iterator\"\n"
      // One client query, one authoritative query: minimisation would first ask for
      // probe.ZONE and double the counts the lab reads from both ends.
      "  qname-minimisation: no\n"
      "  serve-expired: no\n"
      "  prefetch: no\n"
      "  infra-host-ttl: {host_ttl}\n"
      "  infra-keep-probing: yes\n"
      "  infra-cache-min-rtt: {min_rtt}\n"
      "  infra-cache-max-rtt: {max_rtt}\n"
      // Counters are for `blastlab exec LAB NODE -- unbound-control -c CONF stats_noreset`;
      // extended statistics split them by rcode.
      "  statistics-interval: 0\n"
      "  statistics-cumulative: no\n"
      "  extended-statistics: yes\n"
      "\n"
      "remote-control:\n"
      "  control-enable: yes\n"
      // On the namespace's own loopback, not a socket file: a socket's path is cut at 107
      // bytes, and a node directory under a long BLASTLAB_RUN_DIR is longer than that
      // (unbound then binds the cut path, or dies when the cut lands on a directory).
      "  control-interface: 127.0.0.1\n"
      "  control-use-cert: no\n",
      fmt::arg("node", client.name), fmt::arg("dir", dir), fmt::arg("gateway", gateway),
      fmt::arg("network", client.network->network().str()),
      fmt::arg("pid", in_dir(dir, "unbound.pid")), fmt::arg("log", in_dir(dir, "unbound.log")),
      fmt::arg("host_ttl", kInfraHostTtlSeconds), fmt::arg("min_rtt", kInfraCacheMinRttMs),
      fmt::arg("max_rtt", kInfraCacheMaxRttMs));
  return out + render_stub(topology);
}

std::string unbound_conf_path(const std::string& dir) {
  return in_dir(dir, "unbound.conf");
}

std::vector<std::string> unbound_argv(const std::string& dir) {
  return {"unbound", "-d", "-p", "-c", unbound_conf_path(dir)};
}

}  // namespace blastlab::services
