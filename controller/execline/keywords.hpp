// iproute2's words, in the order iproute2 tries them, and its rule for abbreviations. ip
// walks if-else chains of strcmp() (the whole word) and matches() (any non-empty prefix)
// and takes the first hit, so an abbreviation means whatever keyword comes first in that
// chain: `ip a` is address (not addrlabel), `ip link s` is set (not show), `ip route add
// ... m 5` is metric (not mtu). The tables copy those chains from iproute2 6.x (ip/ip.c,
// ip/ipaddress.c, ip/iplink.c, ip/iproute.c, ip/rtm_map.c), including the keywords this
// parser refuses, so that a refused word is named the way ip would read it.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace blastlab::execline {

struct Keyword {
  std::string_view name;
  bool abbreviable = true;  // matches() in iproute2; false: strcmp(), the whole word only
};

// iproute2's matches(): word is a non-empty prefix of keyword.
bool abbreviates(std::string_view word, std::string_view keyword);

// The first keyword of the table that word spells, in the table's order.
std::optional<std::string_view> resolve_keyword(std::string_view word,
                                                std::span<const Keyword> table);

// `ip OBJECT` (ip/ip.c, cmds[]).
inline constexpr Keyword kObjects[] = {
    {"address"}, {"addrlabel"}, {"maddress"}, {"route"}, {"rule"},  {"neighbor"},   {"neighbour"},
    {"ntable"},  {"ntbl"},      {"link"},     {"l2tp"},  {"fou"},   {"ila"},        {"macsec"},
    {"tunnel"},  {"tunl"},      {"tuntap"},   {"tap"},   {"token"}, {"tcpmetrics"}, {"tcp_metrics"},
    {"monitor"}, {"xfrm"},      {"mroute"},   {"mrule"}, {"netns"}, {"netconf"},    {"vrf"},
    {"sr"},      {"nexthop"},   {"mptcp"},    {"ioam"},  {"help"},  {"stats"}};

// `ip address COMMAND` (do_ipaddr).
inline constexpr Keyword kAddressCommands[] = {
    {"add"}, {"change"}, {"chg", false}, {"replace"},  {"delete"},  {"list"}, {"show"},
    {"lst"}, {"flush"},  {"save"},       {"showdump"}, {"restore"}, {"help"}};

// `ip link COMMAND` (do_iplink).
inline constexpr Keyword kLinkCommands[] = {{"add"},    {"set"},     {"change"},   {"replace"},
                                            {"delete"}, {"show"},    {"lst"},      {"list"},
                                            {"xstats"}, {"afstats"}, {"property"}, {"help"}};

// `ip route COMMAND` (do_iproute).
inline constexpr Keyword kRouteCommands[] = {
    {"add"},   {"change"}, {"chg", false}, {"replace"},  {"prepend"}, {"append"},
    {"test"},  {"delete"}, {"list"},       {"show"},     {"lst"},     {"get"},
    {"flush"}, {"save"},   {"restore"},    {"showdump"}, {"help"}};

// The words of `ip address add` before its catch-all, the local address (ipaddr_modify and
// the address flags of ifa_flag_data[]).
inline constexpr Keyword kAddressArguments[] = {{"peer", false},
                                                {"remote", false},
                                                {"broadcast"},
                                                {"brd", false},
                                                {"anycast", false},
                                                {"scope", false},
                                                {"dev", false},
                                                {"label", false},
                                                {"metric"},
                                                {"priority"},
                                                {"preference"},
                                                {"valid_lft"},
                                                {"preferred_lft"},
                                                {"secondary", false},
                                                {"temporary", false},
                                                {"nodad", false},
                                                {"optimistic", false},
                                                {"dadfailed", false},
                                                {"home", false},
                                                {"deprecated", false},
                                                {"tentative", false},
                                                {"permanent", false},
                                                {"mngtmpaddr", false},
                                                {"noprefixroute", false},
                                                {"autojoin", false},
                                                {"stable-privacy", false},
                                                {"proto", false},
                                                {"local", false},
                                                {"help"}};

// The words of `ip link set` before its catch-all, the device (iplink_parse).
inline constexpr Keyword kLinkArguments[] = {{"up", false},
                                             {"down", false},
                                             {"name", false},
                                             {"index", false},
                                             {"link"},
                                             {"address"},
                                             {"broadcast"},
                                             {"brd", false},
                                             {"txqueuelen"},
                                             {"qlen", false},
                                             {"txqlen"},
                                             {"mtu", false},
                                             {"inet", false},
                                             {"xdpgeneric", false},
                                             {"xdpdrv", false},
                                             {"xdpoffload", false},
                                             {"xdp", false},
                                             {"netns", false},
                                             {"multicast", false},
                                             {"allmulticast", false},
                                             {"promisc", false},
                                             {"trailers", false},
                                             {"arp", false},
                                             {"carrier", false},
                                             {"vf", false},
                                             {"master"},
                                             {"vrf", false},
                                             {"nomaster"},
                                             {"dynamic"},
                                             {"type"},
                                             {"alias"},
                                             {"group", false},
                                             {"mode", false},
                                             {"state", false},
                                             {"numtxqueues"},
                                             {"numrxqueues"},
                                             {"addrgenmode"},
                                             {"link-netns"},
                                             {"link-netnsid"},
                                             {"protodown", false},
                                             {"protodown_reason", false},
                                             {"gso_max_size", false},
                                             {"gso_max_segs", false},
                                             {"gro_max_size", false},
                                             {"gso_ipv4_max_size", false},
                                             {"gro_ipv4_max_size", false},
                                             {"parentdev", false},
                                             {"help"},
                                             {"dev", false}};

// The words of `ip route add` before its catch-all, the destination (iproute_modify).
inline constexpr Keyword kRouteArguments[] = {{"src", false},
                                              {"as", false},
                                              {"via", false},
                                              {"from", false},
                                              {"tos", false},
                                              {"dsfield"},
                                              {"expires", false},
                                              {"metric"},
                                              {"priority"},
                                              {"preference", false},
                                              {"scope", false},
                                              {"mtu", false},
                                              {"hoplimit", false},
                                              {"advmss", false},
                                              {"reordering"},
                                              {"rtt", false},
                                              {"rto_min", false},
                                              {"window"},
                                              {"cwnd"},
                                              {"initcwnd"},
                                              {"initrwnd"},
                                              {"features"},
                                              {"quickack"},
                                              {"congctl"},
                                              {"rttvar"},
                                              {"ssthresh"},
                                              {"realms"},
                                              {"onlink", false},
                                              {"nexthop", false},
                                              {"nhid", false},
                                              {"protocol"},
                                              {"table"},
                                              {"vrf"},
                                              {"dev", false},
                                              {"oif", false},
                                              {"pref"},
                                              {"encap", false},
                                              {"ttl-propagate", false},
                                              {"fastopen_no_cookie"},
                                              {"to", false},
                                              {"help"}};

// Route types, which may stand before a destination that does not start with a digit
// (rtnl_rtntype_a2n).
inline constexpr Keyword kRouteTypes[] = {{"local", false}, {"nat", false},  {"broadcast"},
                                          {"brd", false},   {"anycast"},     {"multicast"},
                                          {"prohibit"},     {"unreachable"}, {"blackhole"},
                                          {"xresolve"},     {"unicast"},     {"throw", false}};

}  // namespace blastlab::execline
