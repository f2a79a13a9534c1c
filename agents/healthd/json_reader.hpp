// Typed reads of fields from a parsed JSON document, for validating healthd's config. It
// collects every problem of one file instead of stopping at the first, so whoever wrote the
// file sees them all in one run, each as `FILE: FIELD: what is wrong, what is allowed`.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace blastlab::healthd {

class JsonReader {
 public:
  using json = nlohmann::json;

  explicit JsonReader(std::string file) : file_(std::move(file)) {}

  void problem(const std::string& field, const std::string& message);
  const std::vector<std::string>& problems() const { return problems_; }

  // The value at object[key] when present and of `type`; otherwise records a problem naming
  // `field` and saying what is allowed (`allowed`), and returns nullptr.
  const json* require(const json& object, const std::string& key, const std::string& field,
                      json::value_t type, const std::string& allowed);
  std::optional<std::string> string(const json& object, const std::string& key,
                                    const std::string& field);  // non-empty
  std::optional<int64_t> integer(const json& object, const std::string& key,
                                 const std::string& field, int64_t min, int64_t max);
  // Records a problem for each key of `object` that is not in `allowed`: a misspelt optional
  // field would otherwise be silently ignored.
  void reject_unknown(const json& object, const std::string& prefix,
                      const std::vector<std::string>& allowed);

 private:
  std::string file_;
  std::vector<std::string> problems_;
};

}  // namespace blastlab::healthd
