#include "controller/report/json_field.hpp"

#include <limits>
#include <stdexcept>

namespace blastlab::report {

JsonField JsonField::at(const std::string& key) const {
  expect(value_.is_object(), "an object");
  auto it = value_.find(key);
  std::string path = path_.empty() ? key : path_ + "." + key;
  if (it == value_.end()) fail(path, "missing");
  return JsonField(*it, document_, path);
}

bool JsonField::has(const std::string& key) const {
  expect(value_.is_object(), "an object");
  return value_.contains(key);
}

std::string JsonField::str() const {
  expect(value_.is_string(), "a string");
  return value_.get<std::string>();
}

double JsonField::num() const {
  expect(value_.is_number(), "a number");
  return value_.get<double>();
}

int64_t JsonField::integer() const {
  expect(value_.is_number_integer(), "an integer");
  return value_.get<int64_t>();
}

int JsonField::small_integer() const {
  int64_t value = integer();
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
    fail(path_, fmt::format("{} is out of range", value));
  return static_cast<int>(value);
}

bool JsonField::boolean() const {
  expect(value_.is_boolean(), "true or false");
  return value_.get<bool>();
}

std::optional<double> JsonField::optional_num() const {
  if (value_.is_null()) return std::nullopt;
  expect(value_.is_number(), "a number or null");
  return value_.get<double>();
}

void JsonField::fail(const std::string& path, const std::string& what) const {
  throw std::runtime_error("read " + document_ + ": " + path + ": " + what);
}

void JsonField::expect(bool ok, const char* what) const {
  if (!ok)
    fail(path_.empty() ? "(top level)" : path_,
         std::string("expected ") + what + ", found " + value_.type_name());
}

}  // namespace blastlab::report
