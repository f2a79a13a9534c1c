#include "controller/execline/exec_line.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>
#include <vector>

#include "controller/execline/keywords.hpp"
#include "controller/execline/words.hpp"

namespace blastlab::execline {

namespace {

constexpr std::string_view kAddressSynopsis = "ip address add|replace PREFIX dev IFNAME";
constexpr std::string_view kLinkSynopsis = "ip link set [dev] IFNAME [up|down] [mtu N]";
constexpr std::string_view kRouteSynopsis =
    "ip route add|replace PREFIX|default [via GATEWAY] [dev IFNAME] [metric N]";
constexpr std::array<std::string_view, 5> kIpPaths = {"ip", "/sbin/ip", "/usr/sbin/ip", "/bin/ip",
                                                      "/usr/bin/ip"};
constexpr int kMinMtu = 68;  // the least an IPv4 interface may have (RFC 791)
constexpr int kMaxMtu = 65535;

// "'ip route delete'" when the word is the keyword, "'del' (ip route delete)" when it
// abbreviates it, so that a message shows how ip read the word.
std::string spelled(std::string_view word, std::string_view keyword,
                    std::string_view context = "") {
  if (word == keyword) return fmt::format("'{}{}'", context, keyword);
  return fmt::format("'{}' ({}{})", word, context, keyword);
}

// Reads the words of one line, front to back, and stops at the first error, which it keeps.
// Every check that fails names the word at fault, so the column is always where the
// problem is; a missing word is reported just after the last one.
class Parser {
 public:
  Parser(std::vector<Word> words, int end_column)
      : words_(std::move(words)), end_column_(end_column) {}

  ExecLineResult parse() {
    if (!skip_sudo() || !take_program() || !take_options()) return *error_;
    auto object = take_keyword(kObjects, "an ip object", supported_commands());
    if (!object) return *error_;
    if (object->keyword == "address") return command(*object, kAddressCommands, kAddressSynopsis);
    if (object->keyword == "link") return command(*object, kLinkCommands, kLinkSynopsis);
    if (object->keyword == "route") return command(*object, kRouteCommands, kRouteSynopsis);
    fail(object->word,
         fmt::format("{} is not supported; supported: {}",
                     spelled(object->word->text, object->keyword, "ip "), supported_commands()));
    return *error_;
  }

 private:
  struct Resolved {
    const Word* word;
    std::string_view keyword;
  };

  bool done() const { return next_ == words_.size(); }
  const Word& take() { return words_[next_++]; }

  bool fail(int column, std::string message) {
    if (!error_) error_ = ExecLineError{column, std::move(message)};
    return false;
  }
  bool fail(const Word* word, std::string message) {
    return fail(word ? word->column : end_column_, std::move(message));
  }

  // The next word, or a failure after the last one saying what was expected.
  const Word* take_required(std::string_view what) {
    if (!done()) return &take();
    fail(end_column_, fmt::format("{} is missing after '{}'", what, words_[next_ - 1].text));
    return nullptr;
  }

  std::optional<Resolved> take_keyword(std::span<const Keyword> table, std::string_view what,
                                       std::string_view synopsis) {
    const Word* word = take_required(what);
    if (!word) return std::nullopt;
    auto keyword = resolve_keyword(word->text, table);
    if (!keyword) {
      fail(word, fmt::format("'{}' is not {}; supported: {}", word->text, what, synopsis));
      return std::nullopt;
    }
    return Resolved{word, *keyword};
  }

  // `sudo ip ...` is read as `ip ...`: the lab applies operations with its own privileges.
  bool skip_sudo() {
    if (words_.empty()) {
      return fail(end_column_,
                  fmt::format("the exec line is empty; supported: {}", supported_commands()));
    }
    if (words_[next_].text != "sudo") return true;
    ++next_;
    if (!done() && words_[next_].text.starts_with('-')) {
      return fail(&words_[next_], fmt::format("sudo option '{}' is not supported; 'sudo ip ...' "
                                              "is read as 'ip ...'",
                                              words_[next_].text));
    }
    return true;
  }

  bool take_program() {
    const Word* word = take_required("the command");
    if (!word) return false;
    if (std::ranges::find(kIpPaths, word->text) != kIpPaths.end()) return true;
    if (word->text.ends_with("/ip")) {
      return fail(word, fmt::format("'{}' is not where iproute2's ip is installed; use ip, "
                                    "/sbin/ip, /usr/sbin/ip, /bin/ip or /usr/bin/ip",
                                    word->text));
    }
    return fail(word, fmt::format("'{}' is not supported: blastlab runs no program from an exec "
                                  "line, it applies ip commands itself through netlink; "
                                  "supported: {}",
                                  word->text, supported_commands()));
  }

  // ip's global options (ip/ip.c, main): only the ones that select IPv4 are accepted.
  bool take_options() {
    while (!done() && words_[next_].text.starts_with('-')) {
      const Word& word = take();
      std::string_view option = word.text;
      if (option == "--") return true;
      if (option.starts_with("--")) option.remove_prefix(1);
      if (option == "-4") continue;
      if (option == "-6") return fail_ipv6(&word);
      if (!abbreviates(option, "-loops") && abbreviates(option, "-family")) {
        const Word* family = take_required("a family");
        if (!family) return false;
        if (family->text == "inet") continue;
        if (family->text == "inet6") return fail_ipv6(family);
        return fail(family,
                    fmt::format("family '{}' is not supported; only inet (IPv4) is", family->text));
      }
      if (abbreviates(option, "-netns")) {
        return fail(&word, fmt::format("'{}' (-netns) is not supported: an exec line acts in "
                                       "its own node's namespace",
                                       word.text));
      }
      return fail(&word, fmt::format("option '{}' is not supported; only -4 and -family inet are",
                                     word.text));
    }
    return true;
  }

  bool fail_ipv6(const Word* word) {
    return fail(word, fmt::format("'{}' is IPv6, which blastlab does not configure yet; only "
                                  "IPv4 is supported",
                                  word ? word->text : ""));
  }

  ExecLineResult command(const Resolved& object, std::span<const Keyword> commands,
                         std::string_view synopsis) {
    if (done()) {
      fail(end_column_, fmt::format("'ip {}' without a command only shows state; supported: {}",
                                    object.word->text, synopsis));
      return *error_;
    }
    auto command =
        take_keyword(commands, fmt::format("an ip {} command", object.keyword), synopsis);
    if (!command) return *error_;
    std::string_view name = command->keyword;
    std::string context = fmt::format("ip {} ", object.keyword);
    std::optional<IpOperation> operation;
    if (object.keyword == "address" && (name == "add" || name == "replace")) {
      operation = address(name == "replace");
    } else if (object.keyword == "link" && (name == "set" || name == "change")) {
      operation = link();
    } else if (object.keyword == "route" && (name == "add" || name == "replace")) {
      operation = route(name == "replace");
    } else if (object.keyword == "link" && (name == "add" || name == "replace")) {
      fail(command->word, fmt::format("{} creates an interface, which exec lines may not: a "
                                      "node's interfaces come from the topology's links; "
                                      "supported: {}",
                                      spelled(command->word->text, name, context), synopsis));
    } else {
      fail(command->word, fmt::format("{} is not supported; supported: {}",
                                      spelled(command->word->text, name, context), synopsis));
    }
    if (!operation) return *error_;
    return *operation;
  }

  // An argument that may be given once; its word is kept for the duplicate's message.
  bool once(const Word*& seen, const Word& word, std::string_view what) {
    if (seen) {
      return fail(&word, fmt::format("{} is given twice (first at column {})", what, seen->column));
    }
    seen = &word;
    return true;
  }

  bool refuse_argument(const Word& word, std::string_view keyword, std::string_view synopsis) {
    return fail(&word, fmt::format("{} is not supported; supported: {}",
                                   spelled(word.text, keyword), synopsis));
  }

  // The interface, given once: the word after `dev` (after_dev) or the word itself. Its name
  // is checked as iproute2's check_ifname() does: 1..15 bytes, not . or .., no slash, no
  // white space.
  std::optional<std::string> interface(const Word*& seen, const Word& word, bool after_dev) {
    if (!once(seen, word, "the interface")) return std::nullopt;
    const Word* name_word = after_dev ? take_required("an interface name") : &word;
    if (!name_word) return std::nullopt;
    const std::string& name = name_word->text;
    bool valid =
        !name.empty() && name.size() < 16 && name != "." && name != ".." &&
        std::ranges::none_of(name, [](char c) { return c == '/' || c == ' ' || c == '\t'; });
    if (valid) return name;
    fail(name_word, fmt::format("'{}' is not an interface name (1 to 15 characters, no '/' or "
                                "white space)",
                                name));
    return std::nullopt;
  }

  std::optional<model::Ipv4Address> ipv4_address(const Word* word) {
    if (!word) return std::nullopt;
    if (word->text.find(':') != std::string::npos) {
      fail_ipv6(word);
      return std::nullopt;
    }
    auto address = model::Ipv4Address::parse(word->text);
    if (!address) {
      fail(word, fmt::format("'{}' is not an IPv4 address (a.b.c.d)", word->text));
    }
    return address;
  }

  std::optional<model::Ipv4Prefix> ipv4_prefix(const Word* word) {
    if (!word) return std::nullopt;
    if (word->text.find(':') != std::string::npos) {
      fail_ipv6(word);
      return std::nullopt;
    }
    auto prefix = model::Ipv4Prefix::parse(word->text, true);
    if (!prefix) {
      fail(word, fmt::format("'{}' is not an IPv4 prefix (a.b.c.d/len, or a.b.c.d for a /32)",
                             word->text));
    }
    return prefix;
  }

  template <typename Number>
  std::optional<Number> decimal(const Word* word, std::string_view what, Number low, Number high) {
    if (!word) return std::nullopt;
    const std::string& text = word->text;
    Number value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    // Leading zeros are refused because iproute2 would read 010 as octal 8.
    bool digits = !text.empty() && (text.size() == 1 || text[0] != '0') &&
                  std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; });
    if (digits && ec == std::errc{} && end == text.data() + text.size() && value >= low &&
        value <= high) {
      return value;
    }
    fail(word, fmt::format("'{}' is not a valid {}: a decimal number from {} to {}", text, what,
                           low, high));
    return std::nullopt;
  }

  std::optional<IpOperation> address(bool replace) {
    const Word* local = nullptr;
    const Word* dev = nullptr;
    AddAddress operation{.replace = replace};
    while (!done()) {
      const Word& word = take();
      auto keyword = resolve_keyword(word.text, kAddressArguments);
      if (keyword == "dev") {
        auto ifname = interface(dev, word, true);
        if (!ifname) return std::nullopt;
        operation.ifname = *ifname;
        continue;
      }
      const Word* value = &word;
      if (keyword == "local") {
        value = take_required("an address");
      } else if (keyword) {
        refuse_argument(word, *keyword, kAddressSynopsis);
        return std::nullopt;
      }
      if (!once(local, word, "the address")) return std::nullopt;
      auto prefix = ipv4_prefix(value);
      if (!prefix) return std::nullopt;
      operation.prefix = *prefix;
    }
    if (!local)
      fail(end_column_, fmt::format("the address is missing; supported: {}", kAddressSynopsis));
    if (!dev)
      fail(end_column_, fmt::format("'dev IFNAME' is missing; supported: {}", kAddressSynopsis));
    if (error_) return std::nullopt;
    return operation;
  }

  std::optional<IpOperation> link() {
    const Word* dev = nullptr;
    const Word* state = nullptr;
    const Word* mtu = nullptr;
    SetLink operation;
    while (!done()) {
      const Word& word = take();
      auto keyword = resolve_keyword(word.text, kLinkArguments);
      if (keyword == "up" || keyword == "down") {
        if (!once(state, word, "the link state (up or down)")) return std::nullopt;
        operation.up = keyword == "up";
      } else if (keyword == "mtu") {
        if (!once(mtu, word, "mtu")) return std::nullopt;
        operation.mtu = decimal(take_required("a number"), "MTU", kMinMtu, kMaxMtu);
        if (!operation.mtu) return std::nullopt;
      } else if (keyword && keyword != "dev") {
        refuse_argument(word, *keyword, kLinkSynopsis);
        return std::nullopt;
      } else {
        auto ifname = interface(dev, word, keyword.has_value());
        if (!ifname) return std::nullopt;
        operation.ifname = *ifname;
      }
    }
    if (!dev)
      fail(end_column_, fmt::format("the interface is missing; supported: {}", kLinkSynopsis));
    if (!state && !mtu) {
      fail(end_column_,
           fmt::format("nothing to set: give up, down or mtu N; supported: {}", kLinkSynopsis));
    }
    if (error_) return std::nullopt;
    return operation;
  }

  std::optional<IpOperation> route(bool replace) {
    const Word* destination = nullptr;
    const Word* via = nullptr;
    const Word* dev = nullptr;
    const Word* metric = nullptr;
    AddRoute operation{.replace = replace};
    while (!done()) {
      const Word& word = take();
      auto keyword = resolve_keyword(word.text, kRouteArguments);
      if (keyword == "via") {
        if (!once(via, word, "via")) return std::nullopt;
        const Word* gateway = take_required("a gateway address");
        if (gateway && gateway->text == "inet") gateway = take_required("a gateway address");
        if (gateway && gateway->text == "inet6") {
          fail_ipv6(gateway);
          return std::nullopt;
        }
        operation.via = ipv4_address(gateway);
        if (!operation.via) return std::nullopt;
      } else if (keyword == "dev" || keyword == "oif") {
        operation.dev = interface(dev, word, true);
        if (!operation.dev) return std::nullopt;
      } else if (keyword == "metric" || keyword == "priority" || keyword == "preference") {
        if (!once(metric, word, "metric")) return std::nullopt;
        operation.metric = decimal<uint32_t>(take_required("a number"), "metric", 0, UINT32_MAX);
        if (!operation.metric) return std::nullopt;
      } else if (keyword && keyword != "to") {
        refuse_argument(word, *keyword, kRouteSynopsis);
        return std::nullopt;
      } else {
        if (!once(destination, word, "the destination")) return std::nullopt;
        auto prefix = route_destination(keyword ? take_required("a destination") : &word);
        if (!prefix) return std::nullopt;
        operation.destination = *prefix;
      }
    }
    if (!destination) {
      fail(end_column_, fmt::format("the destination is missing; supported: {}", kRouteSynopsis));
    }
    if (!via && !dev) {
      fail(end_column_,
           fmt::format("'via GATEWAY' or 'dev IFNAME' is needed; supported: {}", kRouteSynopsis));
    }
    if (error_) return std::nullopt;
    return operation;
  }

  // [TYPE] PREFIX|default, where TYPE may only be unicast (iproute2 reads a type before a
  // destination that does not start with a digit).
  std::optional<model::Ipv4Prefix> route_destination(const Word* word) {
    if (!word) return std::nullopt;
    bool digit = !word->text.empty() && word->text[0] >= '0' && word->text[0] <= '9';
    if (auto type = digit ? std::nullopt : resolve_keyword(word->text, kRouteTypes)) {
      if (*type != "unicast") {
        fail(word, fmt::format("route type {} is not supported; only unicast routes are",
                               spelled(word->text, *type)));
        return std::nullopt;
      }
      word = take_required("a destination");
      if (!word) return std::nullopt;
    }
    if (word->text == "default") return model::Ipv4Prefix{{0}, 0};
    auto prefix = ipv4_prefix(word);
    if (prefix && !prefix->is_network()) {
      fail(word, fmt::format("'{}' has host bits set; the route's destination is a network, "
                             "such as {}",
                             word->text, prefix->network().str()));
      return std::nullopt;
    }
    return prefix;
  }

  std::vector<Word> words_;
  size_t next_ = 0;
  int end_column_;
  std::optional<ExecLineError> error_;
};

}  // namespace

std::string_view supported_commands() {
  static const std::string kSupported =
      fmt::format("{}; {}; {} (IPv4 only)", kAddressSynopsis, kLinkSynopsis, kRouteSynopsis);
  return kSupported;
}

ExecLineResult parse_exec_line(std::string_view line, int first_column) {
  auto split = split_words(line, first_column);
  if (auto* error = std::get_if<ExecLineError>(&split)) return *error;
  size_t length = line.find_last_not_of(" \t");
  int end_column =
      first_column + static_cast<int>(length == std::string_view::npos ? 0 : length + 1);
  return Parser(std::move(std::get<std::vector<Word>>(split)), end_column).parse();
}

}  // namespace blastlab::execline
