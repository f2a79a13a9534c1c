#include "controller/model/ip.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>

namespace blastlab::model {

namespace {

// Parses a decimal number made only of digits, at most max_digits long. Leading zeros are
// refused because inet_aton() would read "010" as octal 8: the lab and the tools must never
// disagree about an address.
std::optional<uint32_t> parse_decimal(std::string_view text, size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    size_t dot = text.find('.');
    if (i < 3 && dot == std::string_view::npos) return std::nullopt;
    if (i == 3 && dot != std::string_view::npos) return std::nullopt;
    auto octet = parse_decimal(text.substr(0, dot), 3);
    if (!octet || *octet > 255) return std::nullopt;
    value = value << 8 | *octet;
    text = i < 3 ? text.substr(dot + 1) : std::string_view{};
  }
  return Ipv4Address{value};
}

std::string Ipv4Address::str() const {
  return fmt::format("{}.{}.{}.{}", value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff,
                     value & 0xff);
}

std::optional<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text, bool allow_bare) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    if (!allow_bare) return std::nullopt;
    auto address = Ipv4Address::parse(text);
    if (!address) return std::nullopt;
    return Ipv4Prefix{*address, 32};
  }
  auto address = Ipv4Address::parse(text.substr(0, slash));
  auto length = parse_decimal(text.substr(slash + 1), 2);
  if (!address || !length || *length > 32) return std::nullopt;
  return Ipv4Prefix{*address, static_cast<int>(*length)};
}

std::string Ipv4Prefix::str() const {
  return fmt::format("{}/{}", address.str(), length);
}

bool is_lab_range(const Ipv4Prefix& p) {
  static const std::array<Ipv4Prefix, 4> kLabRanges = {
      *Ipv4Prefix::parse("198.18.0.0/15"), *Ipv4Prefix::parse("192.0.2.0/24"),
      *Ipv4Prefix::parse("198.51.100.0/24"), *Ipv4Prefix::parse("203.0.113.0/24")};
  for (const auto& range : kLabRanges) {
    if (range.contains(p)) return true;
  }
  return false;
}

}  // namespace blastlab::model
