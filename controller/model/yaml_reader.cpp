#include "controller/model/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "controller/model/topology.hpp"
#include "controller/model/units.hpp"

namespace blastlab::model {

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> read_scalar(const Value& value, std::string_view expected,
                                       Diagnostics& diagnostics) {
  if (!value.node.IsScalar()) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("expected {}, got {}", expected, describe(value.node)));
    return std::nullopt;
  }
  return value.node.Scalar();
}

}  // namespace

void Diagnostics::error(SourceMark mark, std::string field, std::string message) {
  list_.push_back({file_, mark, std::move(field), std::move(message)});
}

std::vector<Diagnostic> Diagnostics::take_sorted() {
  std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.mark.line, a.mark.column) < std::pair(b.mark.line, b.mark.column);
  });
  return std::move(list_);
}

std::optional<std::string> read_input_file(const std::string& path,
                                           std::vector<Diagnostic>& errors) {
  std::ifstream in(path);
  if (!in) {
    int error = errno;
    errors.push_back({path, {}, "", std::string("cannot read the file: ") + std::strerror(error)});
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<YAML::Node> parse_document(std::string_view text, std::string_view empty_message,
                                         Diagnostics& diagnostics) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    SourceMark mark =
        e.mark.is_null() ? SourceMark{} : SourceMark{e.mark.line + 1, e.mark.column + 1};
    diagnostics.error(mark, "", "not valid YAML: " + e.msg);
    return std::nullopt;
  }
  if (root.IsNull()) {
    diagnostics.error({1, 1}, "", std::string(empty_message));
    return std::nullopt;
  }
  return root;
}

SourceMark mark_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar:
      return fmt::format("'{}'", node.Scalar());
    default:
      return "nothing";
  }
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  size_t best_distance = 3;
  for (const auto& candidate : candidates) {
    size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best = &candidate;
      best_distance = distance;
    }
  }
  return best ? fmt::format("; did you mean '{}'?", *best) : "";
}

std::string join_alternatives(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

MapReader::MapReader(const Value& value, std::vector<std::string> allowed, Diagnostics& diagnostics,
                     std::string_view key_noun) {
  const YAML::Node& node = value.node;
  const std::string& field = value.field;
  if (!node.IsMap()) {
    std::string keys = allowed.empty() ? "" : " with keys " + join_alternatives(allowed);
    diagnostics.error(value.mark, field,
                      fmt::format("expected a map{}, got {}", keys, describe(node)));
    return;
  }
  is_map_ = true;
  for (auto it = node.begin(); it != node.end(); ++it) {
    Entry entry;
    entry.key = it->first.IsScalar() ? it->first.Scalar() : "";
    entry.key_mark = mark_of(it->first);
    std::string entry_field = field.empty() ? entry.key : field + "." + entry.key;
    SourceMark value_mark = it->second.IsNull() ? entry.key_mark : mark_of(it->second);
    entry.value = {it->second, value_mark, entry_field};
    auto first = std::find_if(entries_.begin(), entries_.end(),
                              [&](const Entry& e) { return e.key == entry.key; });
    if (first != entries_.end()) {
      diagnostics.error(entry.key_mark, entry_field,
                        fmt::format("duplicate {} '{}', first at line {}", key_noun, entry.key,
                                    first->key_mark.line));
      continue;
    }
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end()) {
      diagnostics.error(entry.key_mark, entry_field,
                        fmt::format("unknown key '{}'{}; allowed: {}", entry.key,
                                    did_you_mean(entry.key, allowed), join_alternatives(allowed)));
      continue;
    }
    entries_.push_back(std::move(entry));
  }
}

const Value* MapReader::find(std::string_view key) const {
  const Entry* entry = find_entry(key);
  return entry ? &entry->value : nullptr;
}

const MapReader::Entry* MapReader::find_entry(std::string_view key) const {
  for (const auto& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

std::optional<std::string> read_string(const Value& value, Diagnostics& diagnostics) {
  return read_scalar(value, "a string", diagnostics);
}

std::optional<int64_t> read_int(const Value& value, int64_t min, int64_t max,
                                Diagnostics& diagnostics) {
  std::string expected = fmt::format("an integer from {} to {}", min, max);
  auto text = read_scalar(value, expected, diagnostics);
  if (!text) return std::nullopt;
  int64_t number = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), number);
  if (text->empty() || ec == std::errc::invalid_argument || end != text->data() + text->size()) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("expected {}, got {}", expected, describe(value.node)));
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range || number < min || number > max) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("{} is out of range; expected {}", *text, expected));
    return std::nullopt;
  }
  return number;
}

std::optional<bool> read_bool(const Value& value, Diagnostics& diagnostics) {
  auto text = read_scalar(value, "true or false", diagnostics);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  diagnostics.error(value.mark, value.field,
                    fmt::format("expected true or false, got {}", describe(value.node)));
  return std::nullopt;
}

std::optional<std::vector<Value>> read_list(const Value& value, Diagnostics& diagnostics) {
  if (!value.node.IsSequence()) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("expected a list, got {}", describe(value.node)));
    return std::nullopt;
  }
  std::vector<Value> items;
  for (size_t i = 0; i < value.node.size(); ++i) {
    const YAML::Node item = value.node[i];
    SourceMark mark = item.IsNull() ? value.mark : mark_of(item);
    items.push_back({item, mark, fmt::format("{}[{}]", value.field, i)});
  }
  return items;
}

std::optional<std::string> read_name(const Value& value, size_t max_length, std::string_view limit,
                                     Diagnostics& diagnostics) {
  auto name = read_string(value, diagnostics);
  if (!name) return std::nullopt;
  if (!is_valid_name(*name)) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("name '{}' is not allowed; names are lowercase letters, digits "
                                  "and '-', starting with a letter",
                                  *name));
    return std::nullopt;
  }
  if (name->size() > max_length) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("name '{}' is {} characters; {}", *name, name->size(), limit));
    return std::nullopt;
  }
  return name;
}

std::optional<Ipv4Prefix> read_prefix(const Value& value, bool allow_bare,
                                      Diagnostics& diagnostics) {
  std::string expected = allow_bare ? "an IPv4 address or prefix (a.b.c.d or a.b.c.d/len)"
                                    : "an IPv4 prefix (a.b.c.d/len)";
  auto text = read_scalar(value, expected, diagnostics);
  if (!text) return std::nullopt;
  auto prefix = Ipv4Prefix::parse(*text, allow_bare);
  if (!prefix) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("expected {}, got '{}'", expected, *text));
  }
  return prefix;
}

bool require_network(const Ipv4Prefix& prefix, const Value& value, Diagnostics& diagnostics) {
  if (prefix.is_network()) return true;
  diagnostics.error(value.mark, value.field,
                    fmt::format("{} has host bits set; expected a network prefix such as {}",
                                prefix.str(), prefix.network().str()));
  return false;
}

bool require_lab_range(const Ipv4Prefix& prefix, const Value& value, Diagnostics& diagnostics) {
  if (is_lab_range(prefix)) return true;
  diagnostics.error(value.mark, value.field,
                    fmt::format("{} is outside the lab ranges; use addresses from "
                                "198.18.0.0/15, 192.0.2.0/24, 198.51.100.0/24 or 203.0.113.0/24",
                                prefix.str()));
  return false;
}

bool require_length(const Ipv4Prefix& prefix, int min, int max, const Value& value,
                    Diagnostics& diagnostics) {
  if (prefix.length >= min && prefix.length <= max) return true;
  std::string allowed = min == max ? fmt::format("/{}", min) : fmt::format("/{} to /{}", min, max);
  diagnostics.error(
      value.mark, value.field,
      fmt::format("{} has length /{}; allowed: {}", prefix.str(), prefix.length, allowed));
  return false;
}

std::optional<std::chrono::microseconds> read_duration(const Value& value,
                                                       Diagnostics& diagnostics) {
  constexpr std::string_view kExpected =
      "a duration (a number with unit us, ms or s, e.g. 500us, 1.5ms, 2s)";
  auto text = read_scalar(value, kExpected, diagnostics);
  if (!text) return std::nullopt;
  auto duration = parse_duration(*text);
  if (!duration) {
    std::string problem = is_plain_number(*text) ? fmt::format("'{}' has no unit", *text)
                                                 : fmt::format("got '{}'", *text);
    diagnostics.error(value.mark, value.field, fmt::format("expected {}; {}", kExpected, problem));
  }
  return duration;
}

std::optional<std::chrono::milliseconds> read_agent_millis(
    const Value& value, contracts::Range<std::chrono::microseconds> allowed,
    Diagnostics& diagnostics) {
  auto duration = read_duration(value, diagnostics);
  if (!duration) return std::nullopt;
  if (duration->count() % 1000 != 0 || !allowed.contains(*duration)) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("{} must be a whole number of milliseconds from {}",
                                  value.node.Scalar(), contracts::range_text(allowed)));
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(*duration);
}

std::optional<uint64_t> read_rate(const Value& value, Diagnostics& diagnostics) {
  constexpr std::string_view kExpected =
      "a rate (a number with unit bit, kbit, mbit or gbit, e.g. 100mbit)";
  auto text = read_scalar(value, kExpected, diagnostics);
  if (!text) return std::nullopt;
  auto rate = parse_rate(*text);
  if (!rate) {
    std::string problem = is_plain_number(*text) ? fmt::format("'{}' has no unit", *text)
                                                 : fmt::format("got '{}'", *text);
    diagnostics.error(value.mark, value.field, fmt::format("expected {}; {}", kExpected, problem));
    return std::nullopt;
  }
  if (*rate == 0) {
    diagnostics.error(
        value.mark, value.field,
        fmt::format("rate '{}' is zero; expected {} greater than 0", *text, kExpected));
    return std::nullopt;
  }
  return rate;
}

std::optional<double> read_loss(const Value& value, Diagnostics& diagnostics) {
  constexpr std::string_view kExpected = "a loss percentage from 0 to 100 (e.g. 0.5% or 0.5)";
  auto text = read_scalar(value, kExpected, diagnostics);
  if (!text) return std::nullopt;
  auto percent = parse_percent(*text);
  if (!percent) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("expected {}, got '{}'", kExpected, *text));
    return std::nullopt;
  }
  if (*percent > 100) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("loss '{}' is out of range; expected {}", *text, kExpected));
    return std::nullopt;
  }
  return percent;
}

}  // namespace blastlab::model
