// The difference between two FRR running-configs as the vtysh commands that turn one into
// the other. The scenario rolls a `vtysh` step back with it: it snapshots `show
// running-config` on each router before and after the step, and on rollback applies
// rollback_commands(before, after), which undoes exactly what the step changed and leaves
// everything else alone (a re-render of the whole config would also undo what healthd
// announced since).
//
// The running-config is read as a tree: top-level lines, and blocks (`interface X`, `router
// bgp N` with its nested `address-family ...`/`exit-address-family`, `route-map M permit
// 10`, `line vty`, ...) whose lines are indented under their header and which FRR 8.4 ends
// with `exit` (or `exit-address-family`, `exit-vrf`, ...). Lines are compared by their
// whole text. Going from `from` to `to`, the commands are, in this order:
//   1. removals, undoing the latest lines first (nested blocks before their parent's lines,
//      each context's lines in reverse): `no LINE`; `X` for a line `no X`; `no HEADER` for
//      a whole block that is gone, when FRR can delete that kind of block (router,
//      route-map, key chain, pbr-map, nexthop-group, mpls ldp), else the block is entered
//      and its lines removed one by one (an interface that exists, an address family);
//   2. additions in `to`'s order, outer lines before nested blocks: a missing line as it
//      is, a missing block as its header followed by its lines.
// Reverse removal matters because FRR cascades: `no neighbor X remote-as N` deletes every
// other line of X, including those in the address families, after which removing them
// fails; forward addition re-creates the neighbor before its address-family settings.
// Context lines (the headers, and `exit`s) are emitted only around contexts that change.
//
// Limits, by design:
// - Identity is the whole line, so a changed value is a removal and an addition (`no ip
//   ospf cost 20`, `ip ospf cost 10`). The one exception is `neighbor X remote-as`, which
//   is re-set in place, because removing it deletes the neighbor.
// - Order inside a context is not compared: route-map entries and prefix-list entries are
//   keyed by their full line, and FRR orders them by their sequence numbers; entries that
//   carry no sequence number get new ones when re-added.
// - `no` forms are derived from the line; free-text arguments are dropped where FRR does
//   not take them back (`description ...` becomes `no description`). A command whose `no`
//   form FRR rejects makes vtysh stop there with an error, which the caller reports.
// - Lines that are no configuration are ignored: `Building configuration...`, `Current
//   configuration:`, `frr version`, `frr defaults` (fixed at start), `end`, `!` comments.
//   vtysh's own `hostname` (the host's name) is a line like any other; it never differs.
#pragma once

#include <string>
#include <vector>

namespace blastlab::frr {

// One line of a running-config and, when it opens a block, what is inside.
struct ConfigLine {
  std::string text;                  // without indentation: the identity of the line
  std::vector<ConfigLine> children;  // a block's lines, in FRR's order
  std::string terminator;            // "exit", "exit-address-family", ...; empty: not a block
  int line = 0;                      // 1-based line of the text it was read from
  bool block() const { return !terminator.empty(); }
};

// Parses `show running-config` (or an frr.conf) into its top-level lines. Never fails: a
// line it cannot place is kept where it stands. Duplicate lines in one context are merged
// (vtysh prints one block per daemon for some headers).
std::vector<ConfigLine> parse_running_config(const std::string& text);

// The configuration-mode commands (without `configure terminal`) that turn the running
// config `from` into `to`. Empty when they hold the same configuration.
std::vector<std::string> config_transition(const std::string& from, const std::string& to);

// A command of a transition and the line of `to` it comes from: an added line's own line, a
// context line's (header or terminator) header line in `to`; 0 for what no line of `to`
// holds (a removal, the context of a block `to` no longer has).
struct ConfigCommand {
  std::string text;
  int line = 0;
};
std::vector<ConfigCommand> traced_config_transition(const std::string& from, const std::string& to);

// What undoes a change: the commands that turn `after` back into `before`.
inline std::vector<std::string> rollback_commands(const std::string& before,
                                                  const std::string& after) {
  return config_transition(after, before);
}

// Whether two running-configs hold the same configuration: what to check after a rollback.
// Text comparison is too strict: vtysh lists route-maps and prefix-list entries in an order
// that changes when some are deleted and re-created (seen with FRR 8.4.4).
inline bool equivalent_configs(const std::string& a, const std::string& b) {
  return config_transition(a, b).empty() && config_transition(b, a).empty();
}

// `configure terminal` followed by the commands: what Vtysh::run takes (it adds the -c).
std::vector<std::string> vtysh_config_commands(const std::vector<std::string>& commands);
// The same as vtysh arguments: {"-c", "configure terminal", "-c", COMMAND, ...}.
std::vector<std::string> vtysh_config_args(const std::vector<std::string>& commands);

// The `no` form of a configuration line: `no shutdown` for `shutdown`, `X` for `no X`,
// `no description` for `description TEXT`.
std::string negate_config_line(const std::string& line);

}  // namespace blastlab::frr
