#include "agents/healthd/json_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace blastlab::healthd {

void JsonReader::problem(const std::string& field, const std::string& message) {
  problems_.push_back(fmt::format("{}: {}: {}", file_, field, message));
}

const JsonReader::json* JsonReader::require(const json& object, const std::string& key,
                                            const std::string& field, json::value_t type,
                                            const std::string& allowed) {
  auto it = object.find(key);
  if (it == object.end()) {
    problem(field, fmt::format("missing; give {}", allowed));
    return nullptr;
  }
  // nlohmann stores non-negative integers as unsigned: both are integers here.
  bool matches =
      it->type() == type || (type == json::value_t::number_integer && it->is_number_unsigned());
  if (!matches) {
    problem(field, fmt::format("is {} {}; give {}", it->type_name(), it->dump(), allowed));
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> JsonReader::string(const json& object, const std::string& key,
                                              const std::string& field) {
  const json* value = require(object, key, field, json::value_t::string, "a non-empty string");
  if (!value) return std::nullopt;
  std::string text = value->get<std::string>();
  if (text.empty()) {
    problem(field, "is empty; give a non-empty string");
    return std::nullopt;
  }
  return text;
}

std::optional<int64_t> JsonReader::integer(const json& object, const std::string& key,
                                           const std::string& field, int64_t min, int64_t max) {
  std::string allowed = fmt::format("a whole number from {} to {}", min, max);
  const json* value = require(object, key, field, json::value_t::number_integer, allowed);
  if (!value) return std::nullopt;
  bool in_range = false;
  if (value->is_number_unsigned()) {
    uint64_t n = value->get<uint64_t>();
    in_range = n >= uint64_t(std::max<int64_t>(min, 0)) && n <= uint64_t(max);
  } else {
    int64_t n = value->get<int64_t>();
    in_range = n >= min && n <= max;
  }
  if (!in_range) {
    problem(field, fmt::format("{} is out of range; give {}", value->dump(), allowed));
    return std::nullopt;
  }
  return value->get<int64_t>();
}

void JsonReader::reject_unknown(const json& object, const std::string& prefix,
                                const std::vector<std::string>& allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      problem(prefix + key, fmt::format("unknown field; allowed: {}", fmt::join(allowed, ", ")));
  }
}

}  // namespace blastlab::healthd
