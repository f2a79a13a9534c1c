#include "controller/execline/exec_line.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <vector>

namespace blastlab::execline {
namespace {

model::Ipv4Prefix prefix(std::string_view text) {
  return *model::Ipv4Prefix::parse(text, true);
}

model::Ipv4Address address(std::string_view text) {
  return *model::Ipv4Address::parse(text);
}

IpOperation accepted(std::string_view line) {
  auto result = parse_exec_line(line);
  if (auto* error = std::get_if<ExecLineError>(&result)) {
    ADD_FAILURE() << line << ": " << error->column << ": " << error->message;
    return {};
  }
  return std::get<IpOperation>(result);
}

ExecLineError refused(std::string_view line, int first_column = 1) {
  auto result = parse_exec_line(line, first_column);
  if (auto* error = std::get_if<ExecLineError>(&result)) return *error;
  ADD_FAILURE() << line << ": accepted as " << render_ip_command(std::get<IpOperation>(result));
  return {};
}

// Every spelling iproute2 accepts for a word: its non-empty prefixes from the shortest one
// that still resolves to it.
std::vector<std::string> spellings(std::string_view word, size_t shortest = 1) {
  std::vector<std::string> all;
  for (size_t n = shortest; n <= word.size(); ++n) all.emplace_back(word.substr(0, n));
  return all;
}

// `ip OBJECT COMMAND rest` reads as expected with every abbreviation of the object and of
// the command: all of them resolve from their first letter.
void expect_every_spelling(std::string_view object, std::string_view command, std::string_view rest,
                           const IpOperation& expected) {
  for (const auto& o : spellings(object)) {
    for (const auto& c : spellings(command)) {
      std::string line = fmt::format("ip {} {} {}", o, c, rest);
      EXPECT_EQ(accepted(line), expected) << line;
    }
  }
}

TEST(ExecLineTest, AcceptsTheContainerlabExamples) {
  EXPECT_EQ(accepted("ip addr add 192.0.2.10/24 dev eth1"),
            IpOperation(AddAddress{"eth1", prefix("192.0.2.10/24")}));
  EXPECT_EQ(accepted("ip link set eth1 up"), IpOperation(SetLink{"eth1", true}));
  EXPECT_EQ(accepted("ip route add 198.18.0.0/15 via 192.0.2.1"),
            IpOperation(AddRoute{prefix("198.18.0.0/15"), address("192.0.2.1")}));
  EXPECT_EQ(
      accepted("ip -4 route replace default via 192.0.2.1 dev eth1"),
      IpOperation(AddRoute{prefix("0.0.0.0/0"), address("192.0.2.1"), "eth1", std::nullopt, true}));
  EXPECT_EQ(accepted("ip link set dev eth1 mtu 9000"),
            IpOperation(SetLink{"eth1", std::nullopt, 9000}));
  EXPECT_EQ(accepted("ip address add 192.0.2.10/24 dev eth1"),
            IpOperation(AddAddress{"eth1", prefix("192.0.2.10/24")}));
  EXPECT_EQ(accepted("ip r a 198.18.0.0/15 dev eth1"),
            IpOperation(AddRoute{prefix("198.18.0.0/15"), std::nullopt, "eth1"}));
}

TEST(ExecLineTest, AddressAcceptsEveryAbbreviationIproute2Does) {
  expect_every_spelling("address", "add", "192.0.2.10/24 dev eth1",
                        AddAddress{"eth1", prefix("192.0.2.10/24")});
  expect_every_spelling("address", "replace", "192.0.2.10/24 dev eth1",
                        AddAddress{"eth1", prefix("192.0.2.10/24"), true});
}

TEST(ExecLineTest, AddressArgumentsInAnyOrder) {
  const IpOperation add = AddAddress{"eth1", prefix("192.0.2.10/24")};
  EXPECT_EQ(accepted("ip addr add dev eth1 192.0.2.10/24"), add);
  EXPECT_EQ(accepted("ip addr add local 192.0.2.10/24 dev eth1"), add);
  EXPECT_EQ(accepted("ip addr add dev eth1 local 192.0.2.10/24"), add);
  EXPECT_EQ(accepted("ip addr add 192.0.2.10 dev eth1"),
            IpOperation(AddAddress{"eth1", prefix("192.0.2.10/32")}));
}

TEST(ExecLineTest, LinkAcceptsEveryAbbreviationIproute2Does) {
  expect_every_spelling("link", "set", "eth1 up", SetLink{"eth1", true});
  expect_every_spelling("link", "change", "eth1 up", SetLink{"eth1", true});
}

TEST(ExecLineTest, LinkArgumentsInAnyOrder) {
  EXPECT_EQ(accepted("ip link set dev eth1 up"), IpOperation(SetLink{"eth1", true}));
  EXPECT_EQ(accepted("ip link set up dev eth1"), IpOperation(SetLink{"eth1", true}));
  EXPECT_EQ(accepted("ip link set eth1 down"), IpOperation(SetLink{"eth1", false}));
  EXPECT_EQ(accepted("ip link set down eth1"), IpOperation(SetLink{"eth1", false}));
  EXPECT_EQ(accepted("ip link set eth1 mtu 1500 up"), IpOperation(SetLink{"eth1", true, 1500}));
  EXPECT_EQ(accepted("ip link set mtu 68 dev eth1"),
            IpOperation(SetLink{"eth1", std::nullopt, 68}));
  EXPECT_EQ(accepted("ip link set eth1 mtu 65535"),
            IpOperation(SetLink{"eth1", std::nullopt, 65535}));
}

TEST(ExecLineTest, RouteAcceptsEveryAbbreviationIproute2Does) {
  expect_every_spelling("route", "add", "198.18.0.0/15 via 192.0.2.1",
                        AddRoute{prefix("198.18.0.0/15"), address("192.0.2.1")});
  expect_every_spelling(
      "route", "replace", "198.18.0.0/15 via 192.0.2.1",
      AddRoute{prefix("198.18.0.0/15"), address("192.0.2.1"), std::nullopt, std::nullopt, true});
  // metric's spellings: `m` and `me` are metric, not mtu; `p`, `pr`, ... are priority; only
  // the whole `preference` is (`pref` is the IPv6 router preference).
  for (const auto& word : spellings("metric")) {
    EXPECT_EQ(accepted("ip route add 198.18.0.0/15 dev eth1 " + word + " 20"),
              IpOperation(AddRoute{prefix("198.18.0.0/15"), std::nullopt, "eth1", 20}));
  }
  for (const auto& word : spellings("priority")) {
    EXPECT_EQ(accepted("ip route add 198.18.0.0/15 dev eth1 " + word + " 20"),
              IpOperation(AddRoute{prefix("198.18.0.0/15"), std::nullopt, "eth1", 20}));
  }
  EXPECT_EQ(accepted("ip route add 198.18.0.0/15 dev eth1 preference 20"),
            IpOperation(AddRoute{prefix("198.18.0.0/15"), std::nullopt, "eth1", 20}));
}

TEST(ExecLineTest, RouteDestinationsAndArguments) {
  const IpOperation to_net = AddRoute{prefix("198.18.0.0/15"), address("192.0.2.1"), "eth1"};
  EXPECT_EQ(accepted("ip route add to 198.18.0.0/15 via 192.0.2.1 dev eth1"), to_net);
  EXPECT_EQ(accepted("ip route add unicast 198.18.0.0/15 via 192.0.2.1 dev eth1"), to_net);
  EXPECT_EQ(accepted("ip route add to uni 198.18.0.0/15 via 192.0.2.1 dev eth1"), to_net);
  EXPECT_EQ(accepted("ip route add dev eth1 via 192.0.2.1 198.18.0.0/15"), to_net);
  EXPECT_EQ(accepted("ip route add 198.18.0.0/15 via inet 192.0.2.1 oif eth1"), to_net);
  const IpOperation to_default = AddRoute{prefix("0.0.0.0/0"), address("192.0.2.1")};
  EXPECT_EQ(accepted("ip route add default via 192.0.2.1"), to_default);
  EXPECT_EQ(accepted("ip route add 0.0.0.0/0 via 192.0.2.1"), to_default);
  EXPECT_EQ(accepted("ip route add 192.0.2.5 dev eth1"),
            IpOperation(AddRoute{prefix("192.0.2.5/32"), std::nullopt, "eth1"}));
  EXPECT_EQ(accepted("ip route add 198.18.0.0/15 via 192.0.2.1 metric 4294967295"),
            IpOperation(AddRoute{prefix("198.18.0.0/15"), address("192.0.2.1"), std::nullopt,
                                 4294967295u}));
}

TEST(ExecLineTest, AcceptsIpv4OptionsSudoAndIproute2Paths) {
  const IpOperation up = SetLink{"eth1", true};
  for (std::string_view line :
       {"ip -4 link set eth1 up", "ip --4 link set eth1 up", "ip -f inet link set eth1 up",
        "ip -fam inet link set eth1 up", "ip -family inet link set eth1 up",
        "ip --family inet -4 link set eth1 up", "ip -4 -- link set eth1 up",
        "sudo ip link set eth1 up", "/sbin/ip link set eth1 up", "/usr/sbin/ip link set eth1 up",
        "/bin/ip link set eth1 up", "sudo /usr/bin/ip -4 link set eth1 up",
        "  ip link set 'eth1' \"up\"  ", "ip link set e'th'1 up"}) {
    EXPECT_EQ(accepted(line), up) << line;
  }
}

struct Refusal {
  std::string_view line;
  int column;
  std::string_view message;  // a part of the message
};

TEST(ExecLineTest, RefusesWithTheColumnOfTheOffendingWord) {
  const std::vector<Refusal> refusals = {
      {"", 1, "the exec line is empty; supported: ip address add"},
      {"   ", 1, "the exec line is empty"},
      {"sysctl -w net.ipv4.ip_forward=1", 1,
       "'sysctl' is not supported: blastlab runs no program from an exec line"},
      {"echo 1 > /proc/sys/net/ipv4/ip_forward", 8, "'>' is a redirection"},
      {"sh -c 'ip link set eth1 up'", 1, "'sh' is not supported"},
      {"tc qdisc add dev eth1 root netem delay 10ms", 1, "'tc' is not supported"},
      {"sudo", 5, "the command is missing after 'sudo'"},
      {"sudo -u root ip link set eth1 up", 6, "sudo option '-u' is not supported"},
      {"/usr/local/sbin/ip link set eth1 up", 1, "not where iproute2's ip is installed"},
      {"ip", 3, "an ip object is missing after 'ip'"},
      {"ip frob", 4, "'frob' is not an ip object; supported: ip address add"},
      {"ip netns add blue", 4, "'ip netns' is not supported"},
      {"ip addrl add 192.0.2.0/24 label 1", 4, "'addrl' (ip addrlabel) is not supported"},
      {"ip ru add from all lookup 10", 4, "'ru' (ip rule) is not supported"},
      {"ip n add 192.0.2.1 lladdr 00:00:5e:00:53:01 dev eth1", 4,
       "'n' (ip neighbor) is not supported"},
      {"ip -6 addr add 2001:db8::1/64 dev eth1", 4, "'-6' is IPv6, which blastlab does not"},
      {"ip -f inet6 addr add 2001:db8::1/64 dev eth1", 7, "'inet6' is IPv6"},
      {"ip -f link link set eth1 up", 7, "family 'link' is not supported; only inet"},
      {"ip -family", 11, "a family is missing after '-family'"},
      {"ip -n lab1 link set eth1 up", 4, "'-n' (-netns) is not supported"},
      {"ip -j addr", 4, "option '-j' is not supported; only -4 and -family inet are"},
      {"ip -batch cmds", 4, "option '-batch' is not supported"},
      {"ip addr", 8, "'ip addr' without a command only shows state"},
      {"ip addr show dev eth1", 9, "'ip address show' is not supported"},
      {"ip addr del 192.0.2.10/24 dev eth1", 9, "'del' (ip address delete) is not supported"},
      {"ip addr flush dev eth1", 9, "supported: ip address add|replace PREFIX dev IFNAME"},
      {"ip addr frob", 9, "'frob' is not an ip address command"},
      {"ip addr add 2001:db8::1/64 dev eth1", 13, "'2001:db8::1/64' is IPv6"},
      {"ip addr add 192.0.2/24 dev eth1", 13, "'192.0.2/24' is not an IPv4 prefix"},
      {"ip addr add 192.0.2.10/33 dev eth1", 13, "is not an IPv4 prefix"},
      {"ip addr add 192.0.2.10/24", 26, "'dev IFNAME' is missing"},
      {"ip addr add dev eth1", 21, "the address is missing"},
      {"ip addr add 192.0.2.10/24 dev", 30, "an interface name is missing after 'dev'"},
      {"ip addr add 192.0.2.10/24 dev eth1 brd +", 36, "'brd' is not supported"},
      {"ip addr add 192.0.2.10/24 dev eth1 b +", 36, "'b' (broadcast) is not supported"},
      {"ip addr add 192.0.2.10/24 dev eth1 label eth1:1", 36, "'label' is not supported"},
      {"ip addr add 192.0.2.10/24 dev eth1 noprefixroute", 36, "'noprefixroute'"},
      {"ip addr add 192.0.2.10/24 dev eth1 192.0.2.11/24", 36,
       "the address is given twice (first at column 13)"},
      {"ip addr add 192.0.2.10/24 dev eth1 dev eth2", 36,
       "the interface is given twice (first at column 27)"},
      {"ip addr add 192.0.2.10/24 dev eth/1", 31, "'eth/1' is not an interface name"},
      {"ip link add eth9 type dummy", 9,
       "'ip link add' creates an interface, which exec lines may not"},
      {"ip link rep eth9 type dummy", 9, "'rep' (ip link replace) creates an interface"},
      {"ip link sh eth1", 9, "'sh' (ip link show) is not supported"},
      {"ip link delete eth1", 9, "'ip link delete' is not supported"},
      {"ip link set", 12, "the interface is missing"},
      {"ip link set eth1", 17, "nothing to set: give up, down or mtu N"},
      {"ip link set eth1 up down", 21, "the link state (up or down) is given twice"},
      {"ip link set eth1 eth2 up", 18, "the interface is given twice"},
      {"ip link set averyveryverylongname up", 13, "is not an interface name"},
      {"ip link set . up", 13, "'.' is not an interface name"},
      {"ip link set '' up", 13, "'' is not an interface name"},
      {"ip link set eth1 mtu", 21, "a number is missing after 'mtu'"},
      {"ip link set eth1 mtu 0x2328", 22, "'0x2328' is not a valid MTU: a decimal number from 68"},
      {"ip link set eth1 mtu 09000", 22, "is not a valid MTU"},
      {"ip link set eth1 mtu 67", 22, "'67' is not a valid MTU: a decimal number from 68 to 65535"},
      {"ip link set eth1 mtu 65536", 22, "is not a valid MTU"},
      {"ip link set eth1 mtu -1", 22, "is not a valid MTU"},
      {"ip link set eth1 mtu 9000 mtu 1500", 27, "mtu is given twice"},
      {"ip link set eth1 netns blue", 18, "'netns' is not supported; supported: ip link set"},
      {"ip link set eth1 a 00:00:5e:00:53:01", 18, "'a' (address) is not supported"},
      {"ip link set eth1 master br0", 18, "'master' is not supported"},
      {"ip link set eth1 state up", 18, "'state' is not supported"},
      {"ip link set d up", 13, "'d' (dynamic) is not supported"},
      {"ip route", 9, "'ip route' without a command only shows state"},
      {"ip r del default", 6, "'del' (ip route delete) is not supported"},
      {"ip r append default via 192.0.2.1", 6, "'ip route append' is not supported"},
      {"ip r get 192.0.2.1", 6, "'ip route get' is not supported"},
      {"ip route add 198.18.0.1/15 via 192.0.2.1", 14,
       "'198.18.0.1/15' has host bits set; the route's destination is a network, such as "
       "198.18.0.0/15"},
      {"ip route add blackhole 198.18.0.0/15", 14, "route type 'blackhole' is not supported"},
      {"ip route add to unr 198.18.0.0/15", 17, "route type 'unr' (unreachable)"},
      {"ip route add any via 192.0.2.1", 14, "route type 'any' (anycast)"},
      {"ip route add 198.18.0.0/15", 27, "'via GATEWAY' or 'dev IFNAME' is needed"},
      {"ip route add via 192.0.2.1", 27, "the destination is missing"},
      {"ip route add 2001:db8::/32 dev eth1", 14, "'2001:db8::/32' is IPv6"},
      {"ip route add 198.18.0.0/15 via 2001:db8::1", 32, "'2001:db8::1' is IPv6"},
      {"ip route add 198.18.0.0/15 via inet6 2001:db8::1", 32, "'inet6' is IPv6"},
      {"ip route add 198.18.0.0/15 via 192.0.2.1/32", 32, "is not an IPv4 address (a.b.c.d)"},
      {"ip route add 198.18.0.0/15 via 192.0.2.1 via 192.0.2.2", 42, "via is given twice"},
      {"ip route add 198.18.0.0/15 default via 192.0.2.1", 28, "the destination is given twice"},
      {"ip route add 198.18.0.0/15 via 192.0.2.1 table 10", 42, "'table' is not supported"},
      {"ip route add 198.18.0.0/15 via 192.0.2.1 t 10", 42, "'t' (table) is not supported"},
      {"ip route add 198.18.0.0/15 via 192.0.2.1 proto static", 42, "'proto' (protocol)"},
      {"ip route add 198.18.0.0/15 via 192.0.2.1 src 192.0.2.10", 42, "'src' is not supported"},
      {"ip route add 198.18.0.0/15 via 192.0.2.1 onlink", 42, "'onlink' is not supported"},
      {"ip route add 198.18.0.0/15 via 192.0.2.1 mtu 1400", 42, "'mtu' is not supported"},
      {"ip route add 198.18.0.0/15 via 192.0.2.1 pref high", 42, "'pref' is not supported"},
      {"ip route add 198.18.0.0/15 nexthop via 192.0.2.1", 28, "'nexthop' is not supported"},
      {"ip route add 198.18.0.0/15 via 192.0.2.1 metric 4294967296", 49, "not a valid metric"},
      {"ip route add 198.18.0.0/15 via 192.0.2.1 metric 1 m 2", 51, "metric is given twice"},
  };
  for (const auto& refusal : refusals) {
    auto error = refused(refusal.line);
    EXPECT_EQ(error.column, refusal.column) << refusal.line << ": " << error.message;
    EXPECT_NE(error.message.find(refusal.message), std::string::npos)
        << refusal.line << ": " << error.message;
  }
}

TEST(ExecLineTest, ColumnsCountFromWhereTheLineStandsInItsFile) {
  EXPECT_EQ(refused("ip addr del 192.0.2.10/24 dev eth1", 20).column, 28);
  EXPECT_EQ(refused("ip link set eth1;", 7).column, 23);
  EXPECT_EQ(refused("ip link set eth1  ", 7).column, 23);
}

TEST(ExecLineTest, RefusesShellMetacharactersBeforeReadingTheCommand) {
  auto error = refused("ip link set eth1 up; sysctl -w net.ipv4.ip_forward=1");
  EXPECT_EQ(error.column, 20);
  EXPECT_NE(error.message.find("';' is a command separator"), std::string::npos);
  EXPECT_EQ(refused("ip addr add `cat /etc/addr` dev eth1").column, 13);
  EXPECT_EQ(refused("ip link set eth1 up | tee log").column, 21);
  EXPECT_EQ(refused("ip link set eth1 up &").column, 21);
}

TEST(ExecLineTest, RendersCanonicalFullWords) {
  EXPECT_EQ(render_ip_command(accepted("ip a a 192.0.2.10/24 dev eth1")),
            "ip address add 192.0.2.10/24 dev eth1");
  EXPECT_EQ(render_ip_command(accepted("ip a r dev eth1 192.0.2.10")),
            "ip address replace 192.0.2.10/32 dev eth1");
  EXPECT_EQ(render_ip_command(accepted("ip l s up eth1 mtu 9000")),
            "ip link set dev eth1 mtu 9000 up");
  EXPECT_EQ(render_ip_command(accepted("ip link set eth1 down")), "ip link set dev eth1 down");
  EXPECT_EQ(render_ip_command(accepted("ip -4 r rep 0.0.0.0/0 m 5 oif eth1 via 192.0.2.1")),
            "ip route replace default via 192.0.2.1 dev eth1 metric 5");
  EXPECT_EQ(render_ip_command(accepted("ip ro a to 198.18.0.0/15 dev eth1")),
            "ip route add 198.18.0.0/15 dev eth1");
}

TEST(ExecLineTest, RenderedTextParsesBackToTheSameOperation) {
  for (std::string_view line :
       {"ip addr add 192.0.2.10/24 dev eth1", "ip a r local 198.18.0.1/31 dev pop1-bb1",
        "ip link set eth1 up", "ip l s dev eth1 down mtu 1500", "ip link set eth1 mtu 9000",
        "ip r a 198.18.0.0/15 via 192.0.2.1", "ip -4 route replace default via 192.0.2.1 dev eth1",
        "ip route add 192.0.2.5 dev eth1 metric 0", "sudo /sbin/ip ro rep 10.0.0.0/8 dev x m 7"}) {
    IpOperation operation = accepted(line);
    std::string text = render_ip_command(operation);
    EXPECT_EQ(accepted(text), operation) << line << " -> " << text;
    EXPECT_EQ(render_ip_command(accepted(text)), text);
  }
}

TEST(ExecLineTest, SupportedCommandsNameEveryForm) {
  EXPECT_EQ(supported_commands(),
            "ip address add|replace PREFIX dev IFNAME; ip link set [dev] IFNAME [up|down] "
            "[mtu N]; ip route add|replace PREFIX|default [via GATEWAY] [dev IFNAME] "
            "[metric N] (IPv4 only)");
}

}  // namespace
}  // namespace blastlab::execline
