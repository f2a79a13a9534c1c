// containerlab configures plain hosts with `exec:` lines, most of them iproute2 commands
// (`ip addr add 192.0.2.10/24 dev eth1`, `ip route add default via 192.0.2.1`). blastlab
// never hands such a line to a shell or runs a program for it: parse_exec_line() reads the
// line as one `ip address|link|route` command and turns it into an IpOperation, which the
// lab applies through netlink; every other line is refused with the column of the word at
// fault and what is supported instead.
//
// Accepted, IPv4 only:
//   ip [-4 | -family inet] address add|replace PREFIX dev IFNAME
//   ip [-4 | -family inet] link set|change [dev] IFNAME [up|down] [mtu N]
//   ip [-4 | -family inet] route add|replace [to] [unicast] PREFIX|default
//                                            [via [inet] GATEWAY] [dev|oif IFNAME]
//                                            [metric|priority|preference N]
// Words are matched as iproute2 6.x matches them (ip/ip.c, ip/ipaddress.c, ip/iplink.c,
// ip/iproute.c): where iproute2 takes an abbreviation (a non-empty prefix: `a`, `addr`,
// `r`, `ro`, `rep`, `s` for `link set`, `m` for `metric`), so does this parser, resolved
// in iproute2's own order (`a` is address, not addrlabel; `ip link s` is set, not show);
// where iproute2 wants the whole word (`dev`, `via`, `up`, `mtu`, `-4`), so does this
// parser. Arguments may come in any order, as iproute2 allows. An address or route prefix
// without a length is a /32, as in iproute2.
//
// Prefixes accepted before `ip`: `sudo` without options (the lab applies every operation
// with the privileges it has anyway), and the program as `ip`, `/sbin/ip`, `/usr/sbin/ip`,
// `/bin/ip` or `/usr/bin/ip` (where distributions install iproute2's ip).
//
// Stricter than iproute2, on purpose: numbers are plain decimal (iproute2 also reads 0x1f
// and 017); a value given twice is an error (iproute2 keeps the last one); a route must
// name a destination (iproute2 takes a missing one as default) and a gateway or a device,
// and its destination may not have host bits set (the kernel refuses that too, only later);
// an MTU is 68..65535.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "controller/model/ip.hpp"

namespace blastlab::execline {

// `ip address add|replace PREFIX dev IFNAME`; the prefix may have host bits (it is the
// interface's address and the length of its connected subnet).
struct AddAddress {
  std::string ifname;
  model::Ipv4Prefix prefix;
  bool replace = false;  // `replace`: no error if the address is already there
  bool operator==(const AddAddress&) const = default;
};

// `ip link set IFNAME [up|down] [mtu N]`; at least one of the two is set.
struct SetLink {
  std::string ifname;
  std::optional<bool> up;  // nullopt: the admin state is left as it is
  std::optional<int> mtu;
  bool operator==(const SetLink&) const = default;
};

// `ip route add|replace PREFIX [via GATEWAY] [dev IFNAME] [metric N]` in the main table;
// at least one of via and dev is set.
struct AddRoute {
  model::Ipv4Prefix destination;  // a network prefix; 0.0.0.0/0 is `default`
  std::optional<model::Ipv4Address> via;
  std::optional<std::string> dev;
  std::optional<uint32_t> metric;
  bool replace = false;  // `replace`: overwrite a route to the same destination
  bool is_default() const { return destination.length == 0; }
  bool operator==(const AddRoute&) const = default;
};

using IpOperation = std::variant<AddAddress, SetLink, AddRoute>;

struct ExecLineError {
  int column = 0;       // 1-based file column of the offending word (counted in bytes)
  std::string message;  // what is wrong, and what is supported
  bool operator==(const ExecLineError&) const = default;
};

using ExecLineResult = std::variant<IpOperation, ExecLineError>;

// Parses one exec line. first_column is the file column where line[0] stands, so that an
// error's column points into the file; 1 when the line is read on its own. Pure: it looks
// at no interface and no kernel state.
ExecLineResult parse_exec_line(std::string_view line, int first_column = 1);

// The canonical iproute2 text of an operation, in full words and a fixed order:
// `ip address add 192.0.2.10/24 dev eth1`, `ip link set dev eth1 mtu 9000 up`,
// `ip route replace default via 192.0.2.1 dev eth1 metric 100`. parse_exec_line() reads it
// back as the same operation.
std::string render_ip_command(const IpOperation& operation);

// One sentence listing the supported commands, for messages and documentation.
std::string_view supported_commands();

}  // namespace blastlab::execline
