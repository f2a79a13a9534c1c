// Reading YAML into typed values while collecting diagnostics. The model never stops at the
// first problem: every reader reports what is wrong with its value, where, and what would
// be allowed, then returns nullopt so the caller carries on with the rest of the file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/limits.hpp"
#include "controller/model/diagnostic.hpp"
#include "controller/model/ip.hpp"

namespace blastlab::model {

// The diagnostics of one input file, collected in the order they were found and handed
// out sorted by position.
class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void error(SourceMark mark, std::string field, std::string message);
  bool empty() const { return list_.empty(); }
  std::vector<Diagnostic> take_sorted();

 private:
  std::string file_;
  std::vector<Diagnostic> list_;
};

// The whole text of an input file, or a diagnostic saying why it cannot be read.
std::optional<std::string> read_input_file(const std::string& path,
                                           std::vector<Diagnostic>& errors);
// The document's root, or nullopt after reporting text that is not YAML, or an empty
// document (`empty_message` says what the file needs at least).
std::optional<YAML::Node> parse_document(std::string_view text, std::string_view empty_message,
                                         Diagnostics& diagnostics);

// 1-based position of a node; {0, 0} for nodes that have none.
SourceMark mark_of(const YAML::Node& node);
// "a list", "a map", "nothing", "'abc'": what the file gave, for "expected X, got Y".
std::string describe(const YAML::Node& node);
// "; did you mean 'role'?" when a candidate is within edit distance 2 of word, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// "a, b or c"
std::string join_alternatives(const std::vector<std::string>& words);

// One value of the file with where it sits and how to name it in a diagnostic. A value
// left empty (`site:`) has the position of the token after it, so its key's is used.
struct Value {
  YAML::Node node;
  SourceMark mark;
  std::string field;
};

// A YAML map read once: its entries in file order, duplicate keys reported (yaml-cpp keeps
// them) and, when a list of allowed keys is given, unknown keys reported with a guess.
class MapReader {
 public:
  struct Entry {
    std::string key;
    SourceMark key_mark;
    Value value;
  };

  // An empty `allowed` accepts any key (maps of names). key_noun names the keys in the
  // duplicate message: "duplicate node 'bb1', first at line 12".
  MapReader(const Value& value, std::vector<std::string> allowed, Diagnostics& diagnostics,
            std::string_view key_noun = "key");

  bool is_map() const { return is_map_; }
  const std::vector<Entry>& entries() const { return entries_; }
  const Value* find(std::string_view key) const;
  const Entry* find_entry(std::string_view key) const;

 private:
  bool is_map_ = false;
  std::vector<Entry> entries_;
};

// Each reader reports a wrong value at value.mark under value.field and returns nullopt.
std::optional<std::string> read_string(const Value& value, Diagnostics& diagnostics);
std::optional<int64_t> read_int(const Value& value, int64_t min, int64_t max,
                                Diagnostics& diagnostics);
std::optional<bool> read_bool(const Value& value, Diagnostics& diagnostics);
// The items of a list, each named field[i].
std::optional<std::vector<Value>> read_list(const Value& value, Diagnostics& diagnostics);
// A name as node, lab and tag names must be: [a-z][a-z0-9-]*, at most max_length; `limit`
// says why that length ("Linux interface names hold at most 15").
std::optional<std::string> read_name(const Value& value, size_t max_length, std::string_view limit,
                                     Diagnostics& diagnostics);
// "a.b.c.d/len", or "a.b.c.d" as a /32 when allow_bare.
std::optional<Ipv4Prefix> read_prefix(const Value& value, bool allow_bare,
                                      Diagnostics& diagnostics);
// Checks shared by every prefix the file gives; each reports and returns false.
bool require_network(const Ipv4Prefix& prefix, const Value& value, Diagnostics& diagnostics);
bool require_lab_range(const Ipv4Prefix& prefix, const Value& value, Diagnostics& diagnostics);
bool require_length(const Ipv4Prefix& prefix, int min, int max, const Value& value,
                    Diagnostics& diagnostics);
std::optional<std::chrono::microseconds> read_duration(const Value& value,
                                                       Diagnostics& diagnostics);
// A duration an agent is given in whole milliseconds (healthd's interval and timeout,
// dnsprobe's timeout), within that agent's limit (contracts/limits.hpp).
std::optional<std::chrono::milliseconds> read_agent_millis(
    const Value& value, contracts::Range<std::chrono::microseconds> allowed,
    Diagnostics& diagnostics);
std::optional<uint64_t> read_rate(const Value& value, Diagnostics& diagnostics);
std::optional<double> read_loss(const Value& value, Diagnostics& diagnostics);

}  // namespace blastlab::model
