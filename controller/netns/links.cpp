#include "controller/netns/links.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include "controller/netns/netem.hpp"

namespace blastlab::netns {
namespace {

Status failed(const std::string& what, const NamespaceHandle& handle, const SysError& error) {
  return Status::error(fmt::format("{} in ns {}: {}", what, handle.name(), error.text), error.code);
}

struct Ipv4Cidr {
  in_addr address{};
  int prefix = 0;
};

std::optional<Ipv4Cidr> parse_cidr(const std::string& text) {
  auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  Ipv4Cidr cidr;
  if (::inet_pton(AF_INET, text.substr(0, slash).c_str(), &cidr.address) != 1) {
    return std::nullopt;
  }
  const char* first = text.data() + slash + 1;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(first, last, cidr.prefix);
  if (ec != std::errc() || end != last || first == last || cidr.prefix < 0 || cidr.prefix > 32) {
    return std::nullopt;
  }
  return cidr;
}

std::string format_address(rtnl_addr* address) {
  nl_addr* local = rtnl_addr_get_local(address);
  char text[INET_ADDRSTRLEN] = {};
  if (local == nullptr || nl_addr_get_len(local) != 4 ||
      ::inet_ntop(AF_INET, nl_addr_get_binary_addr(local), text, sizeof text) == nullptr) {
    return {};
  }
  return fmt::format("{}/{}", text, rtnl_addr_get_prefixlen(address));
}

LinkInfo info_of(rtnl_link* link, nl_cache* addresses, nl_cache* qdiscs) {
  LinkInfo info;
  const char* name = rtnl_link_get_name(link);
  info.ifname = name != nullptr ? name : "";
  info.ifindex = rtnl_link_get_ifindex(link);
  unsigned flags = rtnl_link_get_flags(link);
  info.admin_up = (flags & IFF_UP) != 0;
  info.carrier = (flags & IFF_LOWER_UP) != 0;
  info.mtu = static_cast<int>(rtnl_link_get_mtu(link));
  for (nl_object* object = nl_cache_get_first(addresses); object != nullptr;
       object = nl_cache_get_next(object)) {
    auto* address = reinterpret_cast<rtnl_addr*>(object);
    if (rtnl_addr_get_ifindex(address) != info.ifindex ||
        rtnl_addr_get_family(address) != AF_INET) {
      continue;
    }
    if (auto text = format_address(address); !text.empty()) info.addresses.push_back(text);
  }
  info.netem = netem_of(qdiscs, info.ifindex);
  return info;
}

}  // namespace

Status validate_ifname(const std::string& ifname) {
  bool bad_char = std::any_of(ifname.begin(), ifname.end(), [](char c) {
    return c == '/' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\0';
  });
  if (ifname.empty() || ifname.size() >= IFNAMSIZ || bad_char || ifname == "." || ifname == "..") {
    return Status::error(fmt::format("interface name '{}': must be 1 to {} characters, no '/', "
                                     "':' or white space",
                                     ifname, IFNAMSIZ - 1),
                         EINVAL);
  }
  return Status::ok();
}

LinkPtr find_link(NamespaceHandle& handle, const std::string& ifname, SysError& error) {
  rtnl_link* raw = nullptr;
  error = handle.call(
      [&](nl_sock* socket) { return rtnl_link_get_kernel(socket, 0, ifname.c_str(), &raw); });
  LinkPtr link(raw);
  if (error.ok() && !link) error = sys_error(ENODEV);
  return link;
}

namespace {

// Sets on the link named ifname what `edit` sets on a blank link. The link is named, not
// indexed: libnl then sends ifindex 0 with IFLA_IFNAME and only the changed attributes
// (ifi_change = IFF_UP for the state), so the kernel finds the link by name and touches
// nothing else. One round trip, and no read-modify-write of the other flags.
template <typename Edit>
Status change_link(NamespaceHandle& handle, const std::string& ifname, const std::string& what,
                   Edit edit) {
  if (auto status = validate_ifname(ifname); !status) return status;
  LinkPtr link(rtnl_link_alloc());
  LinkPtr change(rtnl_link_alloc());
  if (!link || !change) return failed(what, handle, sys_error(ENOMEM));
  rtnl_link_set_name(link.get(), ifname.c_str());
  rtnl_link_set_name(change.get(), ifname.c_str());
  edit(change.get());
  SysError error = handle.call(
      [&](nl_sock* socket) { return rtnl_link_change(socket, link.get(), change.get(), 0); });
  return error.ok() ? Status::ok() : failed(what, handle, error);
}

}  // namespace

Status set_link_state(NamespaceHandle& handle, const std::string& ifname, bool up) {
  return change_link(handle, ifname, fmt::format("set link {} {}", ifname, up ? "up" : "down"),
                     [up](rtnl_link* change) {
                       if (up) {
                         rtnl_link_set_flags(change, IFF_UP);
                       } else {
                         rtnl_link_unset_flags(change, IFF_UP);
                       }
                     });
}

Status set_link_mtu_of(NamespaceHandle& handle, const std::string& ifname, int mtu) {
  const std::string what = fmt::format("set link {} mtu {}", ifname, mtu);
  if (mtu < 68 || mtu > 65535) {
    return Status::error(
        fmt::format("{} in ns {}: give an MTU from 68 to 65535", what, handle.name()), EINVAL);
  }
  return change_link(handle, ifname, what, [mtu](rtnl_link* change) {
    rtnl_link_set_mtu(change, static_cast<unsigned>(mtu));
  });
}

Status delete_link_named(NamespaceHandle& handle, const std::string& ifname) {
  const std::string what = fmt::format("delete link {}", ifname);
  if (auto status = validate_ifname(ifname); !status) return status;
  LinkPtr link(rtnl_link_alloc());
  if (!link) return failed(what, handle, sys_error(ENOMEM));
  rtnl_link_set_name(link.get(), ifname.c_str());
  SysError error =
      handle.call([&](nl_sock* socket) { return rtnl_link_delete(socket, link.get()); });
  return error.ok() ? Status::ok() : failed(what, handle, error);
}

Status add_ipv4_address(NamespaceHandle& handle, const std::string& ifname,
                        const std::string& cidr) {
  const std::string what = fmt::format("add address {} to {}", cidr, ifname);
  if (auto status = validate_ifname(ifname); !status) return status;
  auto parsed = parse_cidr(cidr);
  if (!parsed) {
    return Status::error(
        fmt::format("{} in ns {}: not an IPv4 prefix like 198.18.0.0/31", what, handle.name()),
        EINVAL);
  }
  SysError error;
  LinkPtr link = find_link(handle, ifname, error);
  if (!error.ok()) return failed(what, handle, error);

  NlAddrPtr local(nl_addr_build(AF_INET, &parsed->address, sizeof parsed->address));
  AddrPtr address(rtnl_addr_alloc());
  if (!local || !address) return failed(what, handle, sys_error(ENOMEM));
  nl_addr_set_prefixlen(local.get(), parsed->prefix);
  rtnl_addr_set_family(address.get(), AF_INET);
  rtnl_addr_set_ifindex(address.get(), rtnl_link_get_ifindex(link.get()));
  if (int err = rtnl_addr_set_local(address.get(), local.get()); err < 0) {
    return failed(what, handle, SysError{errno_of_libnl_error(err), nl_geterror(err)});
  }
  rtnl_addr_set_prefixlen(address.get(), parsed->prefix);
  // /31 (RFC 3021) and /32 have no broadcast address; shorter prefixes get the usual one.
  if (parsed->prefix <= 30) {
    uint32_t mask = parsed->prefix == 0 ? 0 : ~uint32_t{0} << (32 - parsed->prefix);
    in_addr broadcast{htonl(ntohl(parsed->address.s_addr) | ~mask)};
    NlAddrPtr brd(nl_addr_build(AF_INET, &broadcast, sizeof broadcast));
    if (!brd) return failed(what, handle, sys_error(ENOMEM));
    rtnl_addr_set_broadcast(address.get(), brd.get());
  }
  error = handle.call(
      [&](nl_sock* socket) { return rtnl_addr_add(socket, address.get(), NLM_F_EXCL); });
  return error.ok() ? Status::ok() : failed(what, handle, error);
}

std::vector<LinkInfo> describe_links(NamespaceHandle& handle, const std::string* ifname,
                                     SysError& error) {
  std::vector<LinkInfo> result;
  nl_cache* raw_links = nullptr;
  nl_cache* raw_addresses = nullptr;
  nl_cache* raw_qdiscs = nullptr;
  LinkPtr single;
  if (ifname != nullptr) {
    single = find_link(handle, *ifname, error);
  } else {
    error = handle.call(
        [&](nl_sock* socket) { return rtnl_link_alloc_cache(socket, AF_UNSPEC, &raw_links); });
  }
  CachePtr links(raw_links);
  if (!error.ok()) return result;
  error =
      handle.call([&](nl_sock* socket) { return rtnl_addr_alloc_cache(socket, &raw_addresses); });
  CachePtr addresses(raw_addresses);
  if (!error.ok()) return result;
  error = handle.call([&](nl_sock* socket) { return rtnl_qdisc_alloc_cache(socket, &raw_qdiscs); });
  CachePtr qdiscs(raw_qdiscs);
  if (!error.ok()) return result;

  if (single) {
    result.push_back(info_of(single.get(), addresses.get(), qdiscs.get()));
    return result;
  }
  for (nl_object* object = nl_cache_get_first(links.get()); object != nullptr;
       object = nl_cache_get_next(object)) {
    result.push_back(info_of(reinterpret_cast<rtnl_link*>(object), addresses.get(), qdiscs.get()));
  }
  return result;
}

}  // namespace blastlab::netns
