// The watch itself, free of sockets and clocks: which kernel routes concern the watched
// prefixes, which of them are in the table now, and what a change to that table looks like
// from outside. The agent feeds it decoded messages and reports what it returns; tests feed
// it synthetic ones.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agents/routewatch/route_message.hpp"
#include "controller/model/ip.hpp"

namespace blastlab::routewatch {

// kChange is reported when a prefix stays present but the route the kernel would use now
// has another protocol, gateway or interface (a `route replace`, a new BGP best path): the prefix
// was never lost, so it is not a remove and an add.
enum class RouteAction { kAdd, kRemove, kChange };
const char* to_string(RouteAction action);  // "add", "remove", "change"

struct RouteChange {
  RouteAction action = RouteAction::kAdd;
  model::Ipv4Prefix prefix;
  uint8_t protocol = 0;  // of the route added or now used; for a remove, the one removed
  std::string gateway;
  uint32_t oif = 0;  // the interface it leaves by; 0: none known
};

// The main-table routes of the watched prefixes. The kernel can hold several routes for
// one prefix that differ in TOS or metric (a backup static route with a worse metric); a
// prefix is present while any of them is, and the one with the lowest metric is the one the
// kernel uses. Routes appended with equal TOS and metric are not told apart (only FRR's
// replace and plain adds are expected in a lab).
class RouteTable {
 public:
  struct Route {
    uint8_t protocol = 0;
    std::string gateway;
    uint32_t oif = 0;
    bool operator==(const Route&) const = default;
  };

  void apply(const RouteMessage& message);
  // The route the kernel uses for `prefix`, or nullopt when it has none.
  std::optional<Route> best(const model::Ipv4Prefix& prefix) const;

 private:
  struct Key {
    uint32_t priority = 0;
    uint8_t tos = 0;
    auto operator<=>(const Key&) const = default;
  };
  std::map<model::Ipv4Prefix, std::map<Key, Route>> routes_;
};

// Tracks the watched prefixes through a dump and the notifications after it. While a dump
// is being read, dump replies and notifications arriving between them are both applied, in
// the order the socket delivered them, to the table being built; that order is the kernel's,
// so the result is the table as it stood at the end of the dump. Changes are reported only
// outside a dump; finishing one reports how the new table differs from the old.
class Watcher {
 public:
  explicit Watcher(std::vector<model::Ipv4Prefix> prefixes);

  // True for an IPv4 route of the main table, not a cloned (cache) entry, whose destination
  // is exactly a watched prefix: a /24 watch ignores the /26 inside it.
  bool watches(const RouteMessage& message) const;

  // Starts building a fresh table from a dump; a dump already begun is discarded.
  void begin_dump();
  bool dumping() const { return dump_.has_value(); }
  // Applies one message. Outside a dump, returns the change it makes visible, if any: a
  // duplicate add, or a remove of a route that is not there, changes nothing.
  std::optional<RouteChange> apply(const RouteMessage& message);
  // Makes the dumped table current; returns the differences from the one before, in the
  // order of the watched prefixes.
  std::vector<RouteChange> finish_dump();

  const std::vector<model::Ipv4Prefix>& prefixes() const { return prefixes_; }
  // The watched prefixes present now, in the order they were given.
  std::vector<model::Ipv4Prefix> present() const;
  // The route the kernel uses now for a watched prefix, or nullopt.
  std::optional<RouteTable::Route> route(const model::Ipv4Prefix& prefix) const {
    return table_.best(prefix);
  }

 private:
  std::vector<model::Ipv4Prefix> prefixes_;
  RouteTable table_;
  std::optional<RouteTable> dump_;
};

}  // namespace blastlab::routewatch
