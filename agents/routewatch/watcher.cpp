// The present-set: route tables per watched prefix and the changes between them.
#include "agents/routewatch/watcher.hpp"

#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>

namespace blastlab::routewatch {

namespace {

// How `prefix` looks different between two tables, if it does.
std::optional<RouteChange> difference(const model::Ipv4Prefix& prefix,
                                      const std::optional<RouteTable::Route>& before,
                                      const std::optional<RouteTable::Route>& after) {
  if (before == after) return std::nullopt;
  if (!before)
    return RouteChange{RouteAction::kAdd, prefix, after->protocol, after->gateway, after->oif};
  if (!after)
    return RouteChange{RouteAction::kRemove, prefix, before->protocol, before->gateway,
                       before->oif};
  return RouteChange{RouteAction::kChange, prefix, after->protocol, after->gateway, after->oif};
}

}  // namespace

const char* to_string(RouteAction action) {
  switch (action) {
    case RouteAction::kAdd:
      return "add";
    case RouteAction::kRemove:
      return "remove";
    case RouteAction::kChange:
      return "change";
  }
  return "?";
}

void RouteTable::apply(const RouteMessage& message) {
  Key key{message.priority, message.tos};
  if (!message.removed) {
    routes_[message.prefix][key] = Route{message.protocol, message.gateway, message.oif};
    return;
  }
  auto found = routes_.find(message.prefix);
  if (found == routes_.end()) return;
  found->second.erase(key);
  if (found->second.empty()) routes_.erase(found);
}

std::optional<RouteTable::Route> RouteTable::best(const model::Ipv4Prefix& prefix) const {
  auto found = routes_.find(prefix);
  if (found == routes_.end() || found->second.empty()) return std::nullopt;
  return found->second.begin()->second;  // the lowest metric sorts first
}

Watcher::Watcher(std::vector<model::Ipv4Prefix> prefixes) : prefixes_(std::move(prefixes)) {}

bool Watcher::watches(const RouteMessage& message) const {
  if (message.family != AF_INET || message.table != RT_TABLE_MAIN) return false;
  if (message.flags & RTM_F_CLONED) return false;
  return std::find(prefixes_.begin(), prefixes_.end(), message.prefix) != prefixes_.end();
}

void Watcher::begin_dump() {
  dump_.emplace();
}

std::optional<RouteChange> Watcher::apply(const RouteMessage& message) {
  if (!watches(message)) return std::nullopt;
  if (dump_) {
    dump_->apply(message);
    return std::nullopt;
  }
  auto before = table_.best(message.prefix);
  table_.apply(message);
  return difference(message.prefix, before, table_.best(message.prefix));
}

std::vector<RouteChange> Watcher::finish_dump() {
  std::vector<RouteChange> changes;
  if (!dump_) return changes;
  for (const model::Ipv4Prefix& prefix : prefixes_) {
    if (auto change = difference(prefix, table_.best(prefix), dump_->best(prefix))) {
      changes.push_back(std::move(*change));
    }
  }
  table_ = std::move(*dump_);
  dump_.reset();
  return changes;
}

std::vector<model::Ipv4Prefix> Watcher::present() const {
  std::vector<model::Ipv4Prefix> present;
  for (const model::Ipv4Prefix& prefix : prefixes_) {
    if (table_.best(prefix)) present.push_back(prefix);
  }
  return present;
}

}  // namespace blastlab::routewatch
