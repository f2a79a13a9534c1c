#include "contracts/limits.hpp"

#include <fmt/format.h>

namespace blastlab::contracts {

std::string probe_query_name(std::string_view qname, std::string_view zone) {
  if (!qname.empty() && qname.back() == '.') return std::string(qname.substr(0, qname.size() - 1));
  return fmt::format("{}.{}", qname, zone);
}

std::string duration_text(std::chrono::microseconds duration) {
  int64_t us = duration.count();
  if (us % 1'000'000 == 0) return fmt::format("{}s", us / 1'000'000);
  if (us % 1'000 == 0) return fmt::format("{}ms", us / 1'000);
  return fmt::format("{}us", us);
}

std::string range_text(Range<std::chrono::microseconds> range) {
  return fmt::format("{} to {}", duration_text(range.min), duration_text(range.max));
}

std::string range_text(Range<std::chrono::milliseconds> range) {
  return range_text(Range<std::chrono::microseconds>{range.min, range.max});
}

std::string range_text(Range<int> range) {
  return fmt::format("from {} to {}", range.min, range.max);
}

std::string probe_rate_text() {
  return fmt::format("queries per second per target, from {} to {}", kProbeRate.min,
                     kProbeRate.max);
}

std::string reach_rate_text() {
  return fmt::format("probes per second per target, from {} to {}", kReachRate.min, kReachRate.max);
}

}  // namespace blastlab::contracts
