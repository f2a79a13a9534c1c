// The routing plan: what every node of a topology runs and says, decided once from the
// model and then rendered (render.hpp), started (lab/) and checked (converge) from the same
// data, so the sessions the lab waits for are exactly the sessions the configs contain.
//
// The design, in one place:
// - the operator's nodes (datacenter, backbone, edge) run OSPF on every link, passive
//   toward other networks so the link subnets to peers and DNS hosts are known inside the
//   AS (eBGP next hops resolve without next-hop-self);
// - iBGP over loopbacks: route reflectors (backbone nodes marked so) mesh among themselves
//   and reflect to every other BGP speaker of the operator; without reflectors, a full mesh;
// - eBGP on every link between a BGP speaker of one AS and one of another: edge to DNS host
//   (the host announces only its anycast prefixes, it is sent nothing), operator to peer
//   (the operator announces only its own and its anycast prefixes), peer to peer (all);
// - peers announce their loopback and the networks of the clients hanging off them;
// - hosts without a routing daemon (clients) and DNS hosts reach the world through a
//   kernel default route toward their uplink, which the lab installs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/model/topology.hpp"

namespace blastlab::frr {

// The daemons blastlab renders configurations for come first; the others run only from a
// user's own configuration (a daemons file, or what the config's blocks need).
enum class Daemon {
  kZebra,
  kStaticd,
  kOspfd,
  kBgpd,
  kOspf6d,
  kIsisd,
  kRipd,
  kRipngd,
  kBfdd,
  kPimd,
  kLdpd,
  kEigrpd,
  kBabeld,
  kFabricd,
  kPbrd,
  kVrrpd,
  kNhrpd,
  kPathd,
};
std::string_view to_string(Daemon daemon);  // "zebra", ...
std::optional<Daemon> daemon_from_string(std::string_view name);
const std::vector<Daemon>& all_daemons();  // in start order: zebra first

// One BGP session as one side configures it.
struct Neighbor {
  std::string node;  // the other side
  model::Ipv4Address address;
  uint32_t remote_as = 0;
  bool internal = false;      // iBGP between loopbacks
  bool rr_client = false;     // this side reflects routes to it
  std::string route_map_in;   // empty for iBGP
  std::string route_map_out;  // empty for iBGP
};

struct StaticRoute {
  model::Ipv4Prefix prefix;
  std::optional<model::Ipv4Address> via;  // nullopt: blackhole (the origin of an aggregate)
};

struct OspfInterface {
  std::string ifname;
  bool passive = false;  // faces another network: advertised, no adjacency
};

struct RouterPlan {
  std::string node;
  model::Role role = model::Role::kBackbone;
  uint32_t asn = 0;
  model::Ipv4Address router_id;
  std::vector<Daemon> daemons;                                  // start order; zebra first
  std::vector<std::pair<std::string, std::string>> interfaces;  // ifname, description
  std::vector<OspfInterface> ospf;                              // empty: no ospfd
  std::vector<Neighbor> neighbors;                              // empty and not dns: no bgpd
  std::vector<model::Ipv4Prefix> networks;                      // BGP network statements
  std::vector<StaticRoute> statics;
  // The user's own configuration, which this node runs instead of a rendered one; the
  // plan above still says what the generated nodes around it expect of it. Its daemons are
  // filled in by user_config.hpp's load_user_configs(), which reads the files.
  std::optional<model::UserFrr> user;
  bool runs(Daemon daemon) const;
};

// A kernel route the lab installs on a node that runs no routing daemon for it.
struct HostRoute {
  std::string node;
  model::Ipv4Prefix prefix;
  model::Ipv4Address gateway;
  // A client sends from its network's address, the one its peer announces, so that
  // answers find their way back; link addresses are not routed outside their link.
  std::optional<model::Ipv4Address> source;
};

// An address the lab puts on a node's loopback besides its own /32: the anycast name-server
// addresses of DNS hosts, the network address of clients.
struct ServiceAddress {
  std::string node;
  model::Ipv4Prefix address;
};

struct Session {
  std::string a;  // a < b by name
  std::string b;
  model::Ipv4Address a_address;  // where a reaches b's side from
  model::Ipv4Address b_address;
  bool internal = false;
  // How many prefixes each side must have sent over the session once converged: a DNS host
  // its anycast prefixes to its PoP. Without it a lab could count as converged while one
  // site has not announced yet (the prefix reaches the peers from another site), and an
  // experiment would start with that site silent.
  uint32_t a_announces = 0;
  uint32_t b_announces = 0;
};

// A prefix that must be in a node's kernel table once the lab has converged.
struct ExpectedPrefix {
  std::string node;
  model::Ipv4Prefix prefix;
  std::string why;  // "anycast", "operator", "peer loopback", "client network"
};

struct RoutingPlan {
  std::vector<RouterPlan> routers;  // topology order; nodes that run FRR
  std::vector<HostRoute> host_routes;
  std::vector<ServiceAddress> service_addresses;
  std::vector<Session> sessions;  // every BGP session, once
  std::vector<ExpectedPrefix> expected;
  const RouterPlan* find(std::string_view node) const;
};

RoutingPlan plan_routing(const model::Topology& topology);

// Route-map and prefix-list names shared by the renderer and healthd's configuration.
inline constexpr const char* kDegradeRouteMap = "HEALTHD-DEGRADE";

}  // namespace blastlab::frr
