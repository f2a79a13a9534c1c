// Small helpers the NSD, unbound and backend renderers share: where a file of a node lives,
// and the name servers of the topology's DNS service in the one order every renderer uses,
// so the zone, the daemons' listen lists and the resolver's stub agree with each other.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "controller/model/topology.hpp"

namespace blastlab::services {

// DIR/name, without a doubled '/' when the lead passes a directory with a trailing slash.
inline std::string in_dir(std::string_view dir, std::string_view name) {
  std::string path(dir);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  path += '/';
  path += name;
  return path;
}

// The zone's name without a trailing dot, so "example.net." and "example.net" render alike.
inline std::string zone_name(const model::DnsService& dns) {
  std::string zone = dns.zone;
  while (!zone.empty() && zone.back() == '.') zone.pop_back();
  return zone;
}

// Every name server of every anycast prefix, in file order.
inline std::vector<model::NameServer> all_nameservers(const model::DnsService& dns) {
  std::vector<model::NameServer> result;
  for (const auto& anycast : dns.anycast) {
    result.insert(result.end(), anycast.nameservers.begin(), anycast.nameservers.end());
  }
  return result;
}

}  // namespace blastlab::services
