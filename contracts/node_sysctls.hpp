// The sysctls every lab node is given, in one place for the lab that writes them and for
// the containerlab reader, which recognises an exec line or a `sysctls` entry asking for
// one of them as already true rather than as something to run.
#pragma once

#include <array>
#include <string_view>
#include <utility>

namespace blastlab::contracts {

// Keys as paths under /proc/sys. Routers forward; reverse-path filtering would drop the
// asymmetric paths that anycast and failover produce; and every packet a router cannot
// route gets its ICMP error, not one a second: dnsprobe tells `unreachable` (no route)
// from `timeout` (lost) by them.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kNodeSysctls = {{
    {"net/ipv4/ip_forward", "1"},
    {"net/ipv4/conf/all/rp_filter", "0"},
    {"net/ipv4/conf/default/rp_filter", "0"},
    {"net/ipv4/icmp_ratelimit", "0"},
}};

}  // namespace blastlab::contracts
