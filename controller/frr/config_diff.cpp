#include "controller/frr/config_diff.hpp"

#include <map>
#include <optional>
#include <sstream>

namespace blastlab::frr {
namespace {

struct Token {
  size_t indent = 0;
  std::string text;
  int line = 0;  // 1-based, in the text parsed
};

bool starts_with_word(const std::string& text, const std::string& word) {
  return text == word || text.starts_with(word + " ");
}

// Everything of `show running-config` that is no command a router could be given.
bool ignored(const Token& t) {
  if (t.text.empty() || t.text[0] == '!') return true;
  if (t.text == "Building configuration..." || t.text == "Current configuration:") return true;
  return t.indent == 0 && (t.text == "end" || t.text.starts_with("frr version") ||
                           t.text.starts_with("frr defaults"));
}

bool is_terminator(const std::string& text) {
  return text == "exit" || text.starts_with("exit-") || text == "quit";
}

std::vector<Token> tokenize(const std::string& text) {
  std::vector<Token> tokens;
  std::istringstream in(text);
  std::string raw;
  int number = 0;
  while (std::getline(in, raw)) {
    ++number;
    size_t end = raw.find_last_not_of(" \t\r");
    if (end == std::string::npos) continue;
    size_t start = raw.find_first_not_of(' ');
    Token t{.indent = start, .text = raw.substr(start, end - start + 1), .line = number};
    if (!ignored(t)) tokens.push_back(std::move(t));
  }
  return tokens;
}

// What ends a block that FRR left unterminated (older output, hand-written files).
std::string default_terminator(const std::string& header) {
  if (header.starts_with("address-family")) return "exit-address-family";
  if (header.starts_with("vrf ")) return "exit-vrf";
  return "exit";
}

// A block's lines are indented deeper than its header; its terminator stands at the
// header's indentation. A header with no lines is recognised by that terminator alone
// (`route-map FROM-PEER permit 10` / `exit`).
class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  std::vector<ConfigLine> top() {
    std::string unused;
    return context(-1, &unused);
  }

 private:
  // The lines of the context whose header has indentation header_indent (-1: the top
  // level), up to and including its terminator, which is stored in *terminator.
  std::vector<ConfigLine> context(long header_indent, std::string* terminator) {
    std::vector<ConfigLine> lines;
    while (i_ < tokens_.size()) {
      const Token& t = tokens_[i_];
      const long indent = static_cast<long>(t.indent);
      if (is_terminator(t.text)) {
        if (header_indent >= 0 && indent == header_indent) {
          *terminator = t.text;
          ++i_;
          return lines;
        }
        // An outer block's terminator ends this block too; anything else is stray.
        if (header_indent >= 0 && indent < header_indent) return lines;
        ++i_;
        continue;
      }
      if (header_indent >= 0 && indent <= header_indent) return lines;  // no terminator
      ConfigLine line{.text = t.text, .line = t.line};
      ++i_;
      if (opens_block(t)) {
        std::string end;
        line.children = context(indent, &end);
        line.terminator = end.empty() ? default_terminator(line.text) : end;
      }
      lines.push_back(std::move(line));
    }
    return lines;
  }

  bool opens_block(const Token& header) const {
    if (i_ >= tokens_.size()) return false;
    const Token& next = tokens_[i_];
    if (is_terminator(next.text)) return next.indent == header.indent;
    return next.indent > header.indent;
  }

  std::vector<Token> tokens_;
  size_t i_ = 0;
};

void merge_duplicates(std::vector<ConfigLine>& lines) {
  std::vector<ConfigLine> merged;
  std::map<std::string, size_t> index;
  for (auto& line : lines) {
    auto [it, fresh] = index.emplace(line.text, merged.size());
    if (fresh) {
      merged.push_back(std::move(line));
      continue;
    }
    ConfigLine& kept = merged[it->second];
    if (line.block() && !kept.block()) kept.terminator = line.terminator;
    for (auto& child : line.children) kept.children.push_back(std::move(child));
  }
  for (auto& line : merged) merge_duplicates(line.children);
  lines = std::move(merged);
}

// Blocks FRR deletes as a whole with `no HEADER`. Other blocks (an interface that exists
// in the kernel, an address family, `line vty`) cannot be deleted, only emptied.
bool deletable_block(const std::string& header) {
  for (const char* word :
       {"router", "route-map", "key chain", "pbr-map", "nexthop-group", "mpls ldp"}) {
    if (starts_with_word(header, word)) return true;
  }
  return false;
}

// Lines that re-setting replaces, so their old value is not removed first: removing
// `neighbor X remote-as N` would delete the whole neighbor.
std::optional<std::string> reset_key(const std::string& line) {
  std::istringstream in(line);
  std::string word, peer, attribute;
  if (in >> word >> peer >> attribute && word == "neighbor" && attribute == "remote-as")
    return word + " " + peer + " " + attribute + " ";
  return std::nullopt;
}

bool reset_in_place(const ConfigLine& line, const std::vector<ConfigLine>& to) {
  auto key = reset_key(line.text);
  if (!key) return false;
  for (const auto& other : to) {
    if (other.text.starts_with(*key)) return true;
  }
  return false;
}

const ConfigLine* find(const std::vector<ConfigLine>& lines, const std::string& text) {
  for (const auto& line : lines) {
    if (line.text == text) return &line;
  }
  return nullptr;
}

using Path = std::vector<const ConfigLine*>;

// Writes commands in the context they belong to, entering and leaving blocks only when the
// context changes, so consecutive commands of one block share one header.
class Emitter {
 public:
  explicit Emitter(std::vector<ConfigCommand>& out) : out_(out) {}

  void enter(const Path& path) {
    size_t common = 0;
    while (common < current_.size() && common < path.size() &&
           current_[common].text == path[common]->text) {
      ++common;
    }
    while (current_.size() > common) {
      out_.push_back({current_.back().terminator, current_.back().line});
      current_.pop_back();
    }
    for (size_t k = common; k < path.size(); ++k) {
      out_.push_back({path[k]->text, path[k]->line});
      current_.push_back({path[k]->text, path[k]->terminator, path[k]->line});
    }
  }

  void command(const Path& path, std::string text, int line) {
    enter(path);
    out_.push_back({std::move(text), line});
  }

  void finish() { enter({}); }

 private:
  struct Context {
    std::string text;
    std::string terminator;
    int line = 0;
  };
  std::vector<ConfigCommand>& out_;
  std::vector<Context> current_;  // copies: a removal's context lives only while it is walked
};

const std::vector<ConfigLine> kNone;

// What `from` has and `to` has not, latest first (see the header for why).
void removals(Emitter& emit, Path& path, const std::vector<ConfigLine>& from,
              const std::vector<ConfigLine>& to) {
  for (auto it = from.rbegin(); it != from.rend(); ++it) {
    const ConfigLine& line = *it;
    const ConfigLine* kept = find(to, line.text);
    if (kept || (line.block() && !deletable_block(line.text))) {
      if (!line.block()) continue;
      // The context as `to` has it (its line there), or as a block `to` no longer has.
      ConfigLine context{
          .text = line.text, .terminator = line.terminator, .line = kept ? kept->line : 0};
      path.push_back(&context);
      removals(emit, path, line.children, kept ? kept->children : kNone);
      path.pop_back();
      continue;
    }
    if (reset_in_place(line, to)) continue;
    // No line of `to` holds a removal: it is where its context is, if `to` has one.
    emit.command(path, negate_config_line(line.text), 0);
  }
}

// What `to` has and `from` has not, in `to`'s order.
void additions(Emitter& emit, Path& path, const std::vector<ConfigLine>& from,
               const std::vector<ConfigLine>& to) {
  for (const auto& line : to) {
    const ConfigLine* existing = find(from, line.text);
    if (!line.block()) {
      if (!existing) emit.command(path, line.text, line.line);
      continue;
    }
    path.push_back(&line);
    if (!existing) emit.enter(path);  // the header itself, also for a block with no lines
    additions(emit, path, existing ? existing->children : kNone, line.children);
    path.pop_back();
  }
}

}  // namespace

std::vector<ConfigLine> parse_running_config(const std::string& text) {
  auto lines = Parser(tokenize(text)).top();
  merge_duplicates(lines);
  return lines;
}

std::vector<ConfigCommand> traced_config_transition(const std::string& from,
                                                    const std::string& to) {
  auto from_lines = parse_running_config(from);
  auto to_lines = parse_running_config(to);
  std::vector<ConfigCommand> commands;
  Emitter emit(commands);
  Path path;
  removals(emit, path, from_lines, to_lines);
  additions(emit, path, from_lines, to_lines);
  emit.finish();
  return commands;
}

std::vector<std::string> config_transition(const std::string& from, const std::string& to) {
  std::vector<std::string> commands;
  for (auto& command : traced_config_transition(from, to))
    commands.push_back(std::move(command.text));
  return commands;
}

std::vector<std::string> vtysh_config_commands(const std::vector<std::string>& commands) {
  if (commands.empty()) return {};
  std::vector<std::string> all = {"configure terminal"};
  all.insert(all.end(), commands.begin(), commands.end());
  return all;
}

std::vector<std::string> vtysh_config_args(const std::vector<std::string>& commands) {
  std::vector<std::string> args;
  for (auto& command : vtysh_config_commands(commands)) {
    args.push_back("-c");
    args.push_back(std::move(command));
  }
  return args;
}

std::string negate_config_line(const std::string& line) {
  if (line.starts_with("no ")) {
    size_t start = line.find_first_not_of(' ', 3);
    return start == std::string::npos ? line : line.substr(start);
  }
  // FRR takes these back without their free text (`no description to pop1` is rejected).
  for (const char* free_text : {"description", "banner motd"}) {
    if (starts_with_word(line, free_text)) return std::string("no ") + free_text;
  }
  return "no " + line;
}

}  // namespace blastlab::frr
