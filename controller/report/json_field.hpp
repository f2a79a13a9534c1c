// Reading a JSON document back with every error naming its field: one value of the
// document and its path ("sites[1].health_failed.measured_s"), typed accessors that throw
// std::runtime_error "read DOCUMENT: PATH: expected X, found Y". Shared by the readers of
// report.json and compare.json, which are strict about what their schema promises.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace blastlab::report {

class JsonField {
 public:
  // `document` names the file in errors: "report.json".
  JsonField(const nlohmann::json& value, std::string document, std::string path = "")
      : value_(value), document_(std::move(document)), path_(std::move(path)) {}

  JsonField at(const std::string& key) const;
  // Whether an object has `key`: for keys added to a schema version after it was first
  // written, which an older document lacks.
  bool has(const std::string& key) const;
  std::string str() const;
  double num() const;
  int64_t integer() const;
  int small_integer() const;  // an integer that fits an int
  bool boolean() const;
  std::optional<double> optional_num() const;  // null: nullopt

  template <typename F>
  void each(F&& f) const {
    expect(value_.is_array(), "an array");
    for (size_t i = 0; i < value_.size(); ++i)
      f(JsonField(value_[i], document_, fmt::format("{}[{}]", path_, i)));
  }
  template <typename F>
  void each_member(F&& f) const {
    expect(value_.is_object(), "an object");
    for (const auto& [key, value] : value_.items())
      f(key, JsonField(value, document_, path_.empty() ? key : path_ + "." + key));
  }

  const std::string& path() const { return path_; }
  // Throws the document's error for `path`.
  [[noreturn]] void fail(const std::string& path, const std::string& what) const;

 private:
  void expect(bool ok, const char* what) const;

  const nlohmann::json& value_;
  std::string document_;
  std::string path_;
};

}  // namespace blastlab::report
