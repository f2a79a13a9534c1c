// IPv4 addresses and prefixes as plain values. The lab is IPv4-only for now: every address
// it uses comes from 198.18.0.0/15 or the documentation ranges, all of them IPv4.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blastlab::model {

struct Ipv4Address {
  uint32_t value = 0;  // host byte order

  static std::optional<Ipv4Address> parse(std::string_view text);
  std::string str() const;
  auto operator<=>(const Ipv4Address&) const = default;
};

// A prefix whose host bits may be set when it carries an interface address
// (198.19.0.1/31); network() gives the masked form.
struct Ipv4Prefix {
  Ipv4Address address;
  int length = 32;

  // Accepts "a.b.c.d/len" (and "a.b.c.d" as a /32 when allow_bare is true).
  static std::optional<Ipv4Prefix> parse(std::string_view text, bool allow_bare = false);
  std::string str() const;  // "198.19.0.1/31"
  uint32_t mask() const { return length == 0 ? 0 : ~uint32_t{0} << (32 - length); }
  Ipv4Prefix network() const { return {{address.value & mask()}, length}; }
  bool is_network() const { return (address.value & ~mask()) == 0; }
  bool contains(Ipv4Address a) const { return (a.value & mask()) == network().address.value; }
  bool contains(const Ipv4Prefix& p) const { return p.length >= length && contains(p.address); }
  bool overlaps(const Ipv4Prefix& p) const {
    return contains(p.network().address) || p.contains(network().address);
  }
  uint64_t size() const { return uint64_t{1} << (32 - length); }
  auto operator<=>(const Ipv4Prefix&) const = default;
};

// The ranges a lab may use: 198.18.0.0/15 and the three documentation ranges. Nothing
// outside them is ever configured, so nothing of a lab can collide with real networks.
bool is_lab_range(const Ipv4Prefix& p);

}  // namespace blastlab::model
