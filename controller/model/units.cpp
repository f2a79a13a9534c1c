#include "controller/model/units.hpp"

#include <charconv>
#include <cmath>
#include <utility>

namespace blastlab::model {

namespace {

// Splits "1.5ms" into "1.5" and "ms".
std::pair<std::string_view, std::string_view> split_number(std::string_view text) {
  size_t end = 0;
  while (end < text.size() && ((text[end] >= '0' && text[end] <= '9') || text[end] == '.')) {
    ++end;
  }
  return {text.substr(0, end), text.substr(end)};
}

// The exact value of a decimal number times a unit, in integers so that "1.1ms" is 1100us
// and not 1099us after a round trip through double. nullopt when the result is not whole.
std::optional<uint64_t> scale_decimal(std::string_view number, uint64_t unit) {
  if (!is_plain_number(number)) return std::nullopt;
  size_t dot = number.find('.');
  std::string_view whole = number.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : number.substr(dot + 1);
  if (whole.size() + fraction.size() > 18) return std::nullopt;
  uint64_t mantissa = 0;
  uint64_t divisor = 1;
  for (char c : whole) mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
  for (char c : fraction) {
    mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
    divisor *= 10;
  }
  if (mantissa != 0 && unit > UINT64_MAX / mantissa) return std::nullopt;
  uint64_t scaled = mantissa * unit;
  if (scaled % divisor != 0) return std::nullopt;
  return scaled / divisor;
}

}  // namespace

bool is_plain_number(std::string_view text) {
  size_t dot = text.find('.');
  if (dot != std::string_view::npos && text.find('.', dot + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if (whole.empty()) return false;
  if (dot != std::string_view::npos && fraction.empty()) return false;
  for (char c : text) {
    if (c != '.' && (c < '0' || c > '9')) return false;
  }
  return true;
}

std::optional<std::chrono::microseconds> parse_duration(std::string_view text) {
  auto [number, unit] = split_number(text);
  uint64_t scale = 0;
  if (unit == "us") {
    scale = 1;
  } else if (unit == "ms") {
    scale = 1000;
  } else if (unit == "s") {
    scale = 1000000;
  } else {
    return std::nullopt;
  }
  auto value = scale_decimal(number, scale);
  if (!value || *value > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return std::chrono::microseconds{static_cast<int64_t>(*value)};
}

std::optional<uint64_t> parse_rate(std::string_view text) {
  auto [number, unit] = split_number(text);
  uint64_t scale = 0;
  if (unit == "bit") {
    scale = 1;
  } else if (unit == "kbit") {
    scale = 1000;
  } else if (unit == "mbit") {
    scale = 1000000;
  } else if (unit == "gbit") {
    scale = 1000000000;
  } else {
    return std::nullopt;
  }
  return scale_decimal(number, scale);
}

std::optional<double> parse_percent(std::string_view text) {
  if (!text.empty() && text.back() == '%') text.remove_suffix(1);
  if (!is_plain_number(text)) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace blastlab::model
