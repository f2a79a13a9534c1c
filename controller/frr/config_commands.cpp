#include "controller/frr/config_commands.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <sstream>
#include <string_view>

namespace blastlab::frr {
namespace {

enum class Block { kTop, kInterface, kBgp, kBgpFamily, kOspf, kOther };

// A command's shape: keywords (any prefix stands for them) and placeholders, in capitals:
// WORD any word, NUM digits, PREFIX A.B.C.D/M, ASSPEC a number or internal/external, REST
// whatever follows (nothing included). `enters` is the block the command opens.
struct Shape {
  Block in;
  std::string words;
  CommandEffect effect;
  std::optional<Block> enters = std::nullopt;
};

using E = CommandEffect;
using B = Block;

// The modelled commands, and around them the commands of FRR's grammar that share their
// first words, so that an abbreviation is ambiguous where FRR finds it so. The others are
// effect kOther: known, not modelled.
const std::vector<Shape>& shapes() {
  static const std::vector<Shape> kShapes = [] {
    std::vector<Shape> s = {
        {B::kTop, "interface WORD REST", E::kContext, B::kInterface},
        {B::kTop, "router bgp REST", E::kContext, B::kBgp},
        {B::kTop, "router ospf REST", E::kContext, B::kOspf},
        {B::kTop, "router ospf6 REST", E::kOther, B::kOther},
        {B::kTop, "router isis REST", E::kOther, B::kOther},
        {B::kTop, "router openfabric REST", E::kOther, B::kOther},
        {B::kTop, "router rip REST", E::kOther, B::kOther},
        {B::kTop, "router ripng REST", E::kOther, B::kOther},
        {B::kTop, "router eigrp REST", E::kOther, B::kOther},
        {B::kTop, "router babel REST", E::kOther, B::kOther},
        {B::kTop, "route-map WORD WORD NUM", E::kOther, B::kOther},
        {B::kTop, "router-id WORD", E::kOther},
        {B::kTop, "no router bgp REST", E::kBgpRemoved},
        {B::kTop, "no router ospf REST", E::kOspfRemoved},
        {B::kTop, "no router ospf6 REST", E::kOther},
        {B::kTop, "no interface REST", E::kOther},
        {B::kTop, "no route-map REST", E::kOther},
        {B::kTop, "ip route REST", E::kOther},
        {B::kTop, "ip prefix-list REST", E::kOther},
        {B::kTop, "no ip route REST", E::kOther},
        {B::kTop, "no ip prefix-list REST", E::kOther},

        {B::kInterface, "shutdown", E::kInterfaceShutdown},
        {B::kInterface, "no shutdown", E::kInterfaceNoShutdown},
        {B::kInterface, "description REST", E::kOther},
        {B::kInterface, "no description REST", E::kOther},
        {B::kInterface, "ip ospf passive REST", E::kOspfPassive},
        {B::kInterface, "no ip ospf passive REST", E::kOspfNoPassive},
        {B::kInterface, "no ip ospf area REST", E::kOspfAreaRemoved},
        {B::kInterface, "ip address REST", E::kOther},
        {B::kInterface, "no ip address REST", E::kOther},

        {B::kBgp, "neighbor WORD shutdown REST", E::kNeighborShutdown},
        {B::kBgp, "no neighbor WORD shutdown REST", E::kNeighborNoShutdown},
        {B::kBgp, "neighbor WORD remote-as ASSPEC", E::kNeighborRemoteAs},
        {B::kBgp, "no neighbor WORD", E::kNeighborRemoved},
        {B::kBgp, "no neighbor WORD remote-as REST", E::kNeighborRemoved},
        {B::kBgp, "network PREFIX REST", E::kNetworkAdded},
        {B::kBgp, "no network PREFIX REST", E::kNetworkRemoved},
        {B::kBgp, "address-family WORD REST", E::kContext, B::kBgpFamily},
        {B::kBgp, "bgp REST", E::kOther},
        {B::kBgp, "no bgp REST", E::kOther},
        {B::kBgp, "timers REST", E::kOther},
        {B::kBgp, "redistribute REST", E::kOther},
        {B::kBgp, "no redistribute REST", E::kOther},
        {B::kBgp, "aggregate-address REST", E::kOther},
        {B::kBgp, "no aggregate-address REST", E::kOther},

        {B::kOspf, "passive-interface WORD REST", E::kOspfPassive},
        {B::kOspf, "no passive-interface WORD REST", E::kOspfNoPassive},
        {B::kOspf, "ospf REST", E::kOther},
        {B::kOspf, "network REST", E::kOther},
        {B::kOspf, "no network REST", E::kOther},
        {B::kOspf, "timers REST", E::kOther},
        {B::kOspf, "redistribute REST", E::kOther},
        {B::kOspf, "no redistribute REST", E::kOther},
        {B::kOspf, "area REST", E::kOther},
        {B::kOspf, "no area REST", E::kOther},
    };
    // The OSPF interface settings beside `passive` and `area`: `ip ospf pa` is passive, `ip
    // ospf a` is ambiguous.
    for (std::string_view word :
         {"area", "authentication", "authentication-key", "bfd", "cost", "dead-interval",
          "hello-interval", "message-digest-key", "mtu-ignore", "network", "priority",
          "retransmit-interval", "transmit-delay", "prefix-suppression", "graceful-restart"}) {
      s.push_back({B::kInterface, "ip ospf " + std::string(word) + " REST", E::kOther});
      if (word != "area")
        s.push_back({B::kInterface, "no ip ospf " + std::string(word) + " REST", E::kOther});
    }
    // A neighbor's other settings, so that `nei X s` (shutdown, solo, send-community, ...) is
    // ambiguous and `nei X sh` is not. Both address-family and router-level forms.
    for (std::string_view word : {"activate",
                                  "addpath-tx-all-paths",
                                  "advertisement-interval",
                                  "allowas-in",
                                  "as-override",
                                  "attribute-unchanged",
                                  "bfd",
                                  "capability",
                                  "default-originate",
                                  "description",
                                  "disable-connected-check",
                                  "distribute-list",
                                  "dont-capability-negotiate",
                                  "ebgp-multihop",
                                  "enforce-first-as",
                                  "filter-list",
                                  "interface",
                                  "local-as",
                                  "maximum-prefix",
                                  "next-hop-self",
                                  "override-capability",
                                  "passive",
                                  "password",
                                  "peer-group",
                                  "port",
                                  "prefix-list",
                                  "remove-private-AS all",
                                  "remove-private-AS replace-AS",
                                  "route-map",
                                  "route-reflector-client",
                                  "route-server-client",
                                  "send-community",
                                  "sender-as-path-loop-detection",
                                  "soft-reconfiguration",
                                  "solo",
                                  "strict-capability-match",
                                  "timers",
                                  "ttl-security",
                                  "unsuppress-map",
                                  "update-source",
                                  "weight"}) {
      s.push_back({B::kBgp, "neighbor WORD " + std::string(word) + " REST", E::kOther});
      if (word == "remove-private-AS all")  // it takes no value: `rem 5` is remote-as
        s.push_back({B::kBgp, "neighbor WORD remove-private-AS", E::kOther});
      s.push_back({B::kBgp, "no neighbor WORD " + std::string(word) + " REST", E::kOther});
    }
    // An address family takes the neighbor and network commands of its router.
    size_t router_level = s.size();
    for (size_t i = 0; i < router_level; ++i) {
      if (s[i].in != B::kBgp || s[i].enters) continue;
      Shape copy = s[i];
      copy.in = B::kBgpFamily;
      s.push_back(copy);
    }
    return s;
  }();
  return kShapes;
}

std::vector<std::string> split(std::string_view line) {
  std::vector<std::string> words;
  std::istringstream in{std::string(line)};
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

bool is_number(std::string_view word) {
  return !word.empty() &&
         std::all_of(word.begin(), word.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool is_prefix_text(std::string_view word) {
  size_t slash = word.find('/');
  return slash != std::string_view::npos && slash > 0 &&
         std::all_of(word.begin(), word.end(),
                     [](unsigned char c) { return std::isdigit(c) || c == '.' || c == '/'; });
}

// How a line fits a shape: not at all, or with this many exact keywords and these words in
// the placeholders' places (keywords expanded to their full form where they are values).
struct Fit {
  int exact = 0;
  std::vector<std::string> values;
};

std::optional<Fit> fit(const std::vector<std::string>& line, std::string_view shape_text) {
  std::vector<std::string> shape = split(shape_text);
  Fit result;
  size_t i = 0;
  for (size_t s = 0; s < shape.size(); ++s) {
    const std::string& token = shape[s];
    if (token == "REST") {
      std::string rest;
      for (; i < line.size(); ++i) rest += (rest.empty() ? "" : " ") + line[i];
      result.values.push_back(rest);
      return result;
    }
    if (i >= line.size()) return std::nullopt;
    const std::string& word = line[i++];
    if (token == "WORD") {
      result.values.push_back(word);
    } else if (token == "NUM") {
      if (!is_number(word)) return std::nullopt;
      result.values.push_back(word);
    } else if (token == "PREFIX") {
      if (!is_prefix_text(word)) return std::nullopt;
      result.values.push_back(word);
    } else if (token == "ASSPEC") {
      if (is_number(word)) {
        result.values.push_back(word);
      } else if (std::string_view("internal").starts_with(word)) {
        result.values.push_back("internal");
      } else if (std::string_view("external").starts_with(word)) {
        result.values.push_back("external");
      } else {
        return std::nullopt;
      }
    } else if (token == "no") {
      if (word != "no") return std::nullopt;
      ++result.exact;
    } else {
      if (!token.starts_with(word)) return std::nullopt;
      if (word == token) ++result.exact;
    }
  }
  if (i != line.size()) return std::nullopt;
  return result;
}

struct Match {
  const Shape* shape = nullptr;
  Fit fit;
};

// The best shape of `block` the line fits, or why there is none ("" when none fits at all).
std::optional<Match> best_match(const std::vector<std::string>& line, Block block,
                                std::string& ambiguity) {
  std::vector<Match> best;
  for (const Shape& shape : shapes()) {
    if (shape.in != block) continue;
    auto f = fit(line, shape.words);
    if (!f) continue;
    if (!best.empty() && f->exact < best.front().fit.exact) continue;
    if (!best.empty() && f->exact > best.front().fit.exact) best.clear();
    best.push_back({&shape, *f});
  }
  if (best.empty()) return std::nullopt;
  if (best.size() > 1) {
    ambiguity = "ambiguous: fits";
    for (const Match& m : best) ambiguity += " `" + m.shape->words + "`";
    return std::nullopt;
  }
  return best.front();
}

std::string trimmed(std::string_view line) {
  size_t first = line.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return "";
  size_t last = line.find_last_not_of(" \t\r");
  return std::string(line.substr(first, last - first + 1));
}

// The reader's position: the block stack as FRR's vtysh keeps it, at most three deep.
struct Position {
  Block block = Block::kTop;
  std::string interface;
  std::string router;  // "router bgp 64500", "router ospf", "route-map X permit 10"
  std::string family;  // "address-family ipv4 unicast"

  std::string name() const {
    switch (block) {
      case Block::kTop:
        return "";
      case Block::kInterface:
        return "interface " + interface;
      case Block::kBgpFamily:
        return router + " " + family;
      default:
        return router;
    }
  }
  void up() {
    if (block == Block::kBgpFamily) {
      block = Block::kBgp;
      family.clear();
    } else {
      *this = Position{};
    }
  }
};

// The line in full words: keywords expanded ("ro bgp 1" is "router bgp 1"), values as written.
std::string in_full(const std::vector<std::string>& words, const std::string& shape_text) {
  std::vector<std::string> shape = split(shape_text);
  std::string full;
  for (size_t i = 0; i < words.size(); ++i) {
    bool keyword = i < shape.size() && shape[i] != "REST" &&
                   !std::all_of(shape[i].begin(), shape[i].end(),
                                [](unsigned char c) { return std::isupper(c); });
    full += (full.empty() ? "" : " ") + (keyword ? shape[i] : words[i]);
  }
  return full;
}

// Applies a matched command to the position and fills in what it names.
void apply(const Match& m, const std::vector<std::string>& words, Position& at,
           ConfigCommand& out) {
  const Shape& shape = *m.shape;
  const auto& v = m.fit.values;
  if (shape.enters == Block::kBgpFamily) {
    at.family = in_full(words, shape.words);
  } else if (shape.enters) {
    at = Position{};
    if (*shape.enters == Block::kInterface) at.interface = v[0];
    at.router = in_full(words, shape.words);
  }
  if (shape.enters) at.block = *shape.enters;
  out.effect = shape.effect;
  out.block = at.name();
  switch (shape.effect) {
    case E::kInterfaceShutdown:
    case E::kInterfaceNoShutdown:
    case E::kOspfAreaRemoved:
      out.interface = at.interface;
      break;
    case E::kOspfPassive:
    case E::kOspfNoPassive:
      out.interface = at.block == Block::kOspf ? v[0] : at.interface;
      break;
    case E::kNeighborShutdown:
    case E::kNeighborNoShutdown:
    case E::kNeighborRemoved:
      out.neighbor = v[0];
      break;
    case E::kNeighborRemoteAs:
      out.neighbor = v[0];
      out.remote_as = v[1];
      break;
    case E::kNetworkAdded:
    case E::kNetworkRemoved:
      out.prefix = v[0];
      break;
    case E::kOther:
      out.note = "not modelled";
      break;
    default:
      break;
  }
}

}  // namespace

std::string_view to_string(CommandEffect effect) {
  static constexpr std::array<std::string_view, 15> kNames = {"context",
                                                              "interface shutdown",
                                                              "interface no shutdown",
                                                              "ospf passive",
                                                              "ospf no passive",
                                                              "ospf area removed",
                                                              "ospf removed",
                                                              "bgp removed",
                                                              "neighbor shutdown",
                                                              "neighbor no shutdown",
                                                              "neighbor removed",
                                                              "neighbor remote-as",
                                                              "network added",
                                                              "network removed",
                                                              "other"};
  return kNames[static_cast<size_t>(effect)];
}

std::vector<ConfigCommand> read_config_commands(const std::vector<std::string>& lines) {
  std::vector<ConfigCommand> commands;
  Position at;
  for (const std::string& raw : lines) {
    ConfigCommand out;
    out.text = trimmed(raw);
    std::vector<std::string> words = split(out.text);
    if (words.empty() || out.text.starts_with("!")) {
      out.effect = E::kContext;
      out.block = at.name();
      commands.push_back(std::move(out));
      continue;
    }
    if (words.size() == 1 && (words[0] == "exit" || words[0] == "quit" || words[0] == "end" ||
                              words[0] == "exit-address-family")) {
      if (words[0] == "end") {
        at = Position{};
      } else if (words[0] != "exit-address-family" || at.block == Block::kBgpFamily) {
        at.up();
      }
      out.effect = E::kContext;
      out.block = at.name();
      commands.push_back(std::move(out));
      continue;
    }
    // The current block first, then (as vtysh does with a command the block does not take)
    // the top level.
    std::string ambiguity;
    std::optional<Match> m = best_match(words, at.block, ambiguity);
    if (!m && ambiguity.empty() && at.block != Block::kTop)
      m = best_match(words, Block::kTop, ambiguity);
    if (m) {
      if (m->shape->in == Block::kTop && at.block != Block::kTop) at = Position{};
      apply(*m, words, at, out);
    } else {
      out.effect = E::kOther;
      out.block = at.name();
      out.note = ambiguity.empty() ? "not modelled" : ambiguity;
    }
    commands.push_back(std::move(out));
  }
  return commands;
}

}  // namespace blastlab::frr
