#include "controller/frr/render.hpp"

#include <fmt/format.h>

#include <set>

namespace blastlab::frr {
namespace {

using model::Role;

// `log timestamp precision 6` asks for microseconds in log lines, so that the controller can
// place BGP session changes (bgp_log.hpp) on the run's timeline beside the agents' events.
// FRR 8.4 applies it only to a `log file` of the config, not to a `--log file:` target on
// the command line, so the launcher puts each daemon's `log file` into its config.
std::string header(const RouterPlan& router) {
  return fmt::format(
      "frr version 8.4\n"
      "frr defaults datacenter\n"
      "hostname {}\n"
      "log timestamp precision 6\n"
      "!\n",
      router.node);
}

std::string zebra_body(const RouterPlan& router) {
  std::string out;
  for (const auto& [ifname, peer] : router.interfaces)
    out += fmt::format("interface {}\n description to {}\nexit\n!\n", ifname, peer);
  return out;
}

std::string staticd_body(const RouterPlan& router) {
  std::string out;
  for (const auto& route : router.statics) {
    out += fmt::format("ip route {} {}\n", route.prefix.network().str(),
                       route.via ? route.via->str() : "blackhole");
  }
  return out + "!\n";
}

std::string ospfd_body(const RouterPlan& router, const Timers& timers) {
  std::string out;
  for (const auto& iface : router.ospf) {
    out += fmt::format("interface {}\n ip ospf area 0\n", iface.ifname);
    if (iface.ifname != "lo") {
      out += fmt::format(
          " ip ospf network point-to-point\n ip ospf hello-interval {}\n"
          " ip ospf dead-interval {}\n",
          timers.ospf_hello_s, timers.ospf_dead_s);
    }
    if (iface.passive) out += " ip ospf passive\n";
    out += "exit\n!\n";
  }
  // SPF and LSA throttles at their floor: a lab topology is small, and the point of the lab
  // is to see the network react at the speed of its timers, not of its damping.
  out += fmt::format(
      "router ospf\n ospf router-id {}\n timers throttle spf 0 50 500\n"
      " timers throttle lsa all 0\n timers lsa min-arrival 0\nexit\n!\n",
      router.router_id.str());
  return out;
}

// The route-maps of the plan's policy names (plan.cpp, ebgp_policy) and healthd's degrade
// map; only the ones this router uses are rendered.
std::string policies(const model::Topology& topology, const RouterPlan& router) {
  std::set<std::string> used;
  for (const auto& n : router.neighbors) {
    if (!n.route_map_in.empty()) used.insert(n.route_map_in);
    if (!n.route_map_out.empty()) used.insert(n.route_map_out);
  }
  std::vector<model::Ipv4Prefix> anycast;
  if (topology.services.dns) {
    for (const auto& a : topology.services.dns->anycast) anycast.push_back(a.prefix.network());
  }
  std::vector<model::Ipv4Prefix> own = anycast;
  for (const auto& p : topology.services.prefixes) own.push_back(p.prefix.network());

  std::string out;
  auto prefix_list = [&](const char* name, const std::vector<model::Ipv4Prefix>& prefixes) {
    int seq = 5;
    for (const auto& p : prefixes) {
      out += fmt::format("ip prefix-list {} seq {} permit {}\n", name, seq, p.str());
      seq += 5;
    }
    if (prefixes.empty()) out += fmt::format("ip prefix-list {} seq 5 deny any\n", name);
  };
  if (used.count("FROM-DNS") || used.count("TO-OPERATOR")) prefix_list("ANYCAST", anycast);
  if (used.count("TO-PEER")) prefix_list("OPERATOR", own);
  out += "!\n";
  if (used.count("FROM-ANY")) out += "route-map FROM-ANY permit 10\nexit\n!\n";
  if (used.count("TO-ANY")) out += "route-map TO-ANY permit 10\nexit\n!\n";
  if (used.count("FROM-PEER")) out += "route-map FROM-PEER permit 10\nexit\n!\n";
  if (used.count("DENY-ALL")) out += "route-map DENY-ALL deny 10\nexit\n!\n";
  if (used.count("FROM-DNS")) {
    out += "route-map FROM-DNS permit 10\n match ip address prefix-list ANYCAST\nexit\n!\n";
  }
  if (used.count("TO-OPERATOR")) {
    out += "route-map TO-OPERATOR permit 10\n match ip address prefix-list ANYCAST\nexit\n!\n";
  }
  if (used.count("TO-PEER")) {
    out += "route-map TO-PEER permit 10\n match ip address prefix-list OPERATOR\nexit\n!\n";
  }
  if (router.role == Role::kDns) {
    // healthd's `degrade` keeps the anycast route announced but three times longer.
    out += fmt::format("route-map {} permit 10\n set as-path prepend {} {} {}\nexit\n!\n",
                       kDegradeRouteMap, router.asn, router.asn, router.asn);
  }
  return out;
}

std::string bgpd_body(const model::Topology& topology, const RouterPlan& router,
                      const Timers& timers) {
  std::string out = policies(topology, router);
  out += fmt::format("router bgp {}\n bgp router-id {}\n bgp log-neighbor-changes\n", router.asn,
                     router.router_id.str());
  out += " bgp graceful-restart-disable\n";
  // healthd decides what a DNS host announces with `network` statements of prefixes that
  // are no route of its own (the name servers are /32s on lo): the import check would hide
  // them.
  if (router.role == Role::kDns) out += " no bgp network import-check\n";
  out += fmt::format(" timers bgp {} {}\n", timers.bgp_keepalive_s, timers.bgp_hold_s);
  for (const auto& n : router.neighbors) {
    std::string a = n.address.str();
    out += fmt::format(" neighbor {} remote-as {}\n neighbor {} description {}\n", a, n.remote_as,
                       a, n.node);
    out += fmt::format(" neighbor {} timers connect {}\n", a, timers.bgp_connect_retry_s);
    out += fmt::format(" neighbor {} advertisement-interval 0\n", a);
    if (n.internal) out += fmt::format(" neighbor {} update-source lo\n", a);
  }
  out += " !\n address-family ipv4 unicast\n";
  for (const auto& p : router.networks) out += fmt::format("  network {}\n", p.network().str());
  for (const auto& n : router.neighbors) {
    std::string a = n.address.str();
    if (n.rr_client) out += fmt::format("  neighbor {} route-reflector-client\n", a);
    if (!n.route_map_in.empty())
      out += fmt::format("  neighbor {} route-map {} in\n", a, n.route_map_in);
    if (!n.route_map_out.empty())
      out += fmt::format("  neighbor {} route-map {} out\n", a, n.route_map_out);
  }
  out += " exit-address-family\nexit\n!\n";
  return out;
}

}  // namespace

RenderedConfig render_router(const model::Topology& topology, const RouterPlan& router,
                             const Timers& timers) {
  RenderedConfig config;
  std::string head = header(router);
  config.integrated = head;
  for (Daemon daemon : router.daemons) {
    std::string body;
    switch (daemon) {
      case Daemon::kZebra:
        body = zebra_body(router);
        break;
      case Daemon::kStaticd:
        body = staticd_body(router);
        break;
      case Daemon::kOspfd:
        body = ospfd_body(router, timers);
        break;
      case Daemon::kBgpd:
        body = bgpd_body(topology, router, timers);
        break;
      default:
        // The plan gives generated routers only the four daemons above.
        break;
    }
    config.daemons[daemon] = head + body + "end\n";
    config.integrated += body;
  }
  config.integrated += "end\n";
  return config;
}

}  // namespace blastlab::frr
