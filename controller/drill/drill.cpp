#include "controller/drill/drill.hpp"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

namespace blastlab::drill {

std::string_view to_string(ConditionKind kind) {
  static constexpr std::array<std::string_view, 5> kNames = {"converged", "prefix-back",
                                                             "dns-answering", "reach", "route-via"};
  return kNames[static_cast<size_t>(kind)];
}

std::string Condition::text() const {
  switch (kind) {
    case ConditionKind::kConverged:
      return "converged";
    case ConditionKind::kPrefixBack:
      return fmt::format("prefix-back {} at {}", prefix, at.text());
    case ConditionKind::kDnsAnswering:
      return fmt::format("dns-answering at {} (last {} queries)", at.text(), queries);
    case ConditionKind::kReach: {
      std::string to;
      for (const auto& t : reach.to) to += (to.empty() ? "" : ", ") + t.name;
      std::string how = reach.proto == "tcp" ? fmt::format(" tcp/{}", reach.port) : "";
      return fmt::format("reach {} -> {}{}", reach.from.text(), to, how);
    }
    case ConditionKind::kRouteVia:
      return fmt::format("route-via {} at {} via {}", prefix, at.text(), via);
  }
  return "";
}

// splitmix64 (Steele, Lea, Flood 2014; the seeding generator of xoshiro): a fixed,
// portable function of its input, unlike std::uniform_int_distribution.
uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

size_t choose_fault(const Drill& drill, uint64_t seed) {
  if (drill.faults.empty()) throw std::logic_error("drill " + drill.name + " has no fault");
  return size_t(splitmix64(seed) % drill.faults.size());
}

scenario::Script fault_script(const Drill& drill, size_t index) {
  const Fault& fault = drill.faults.at(index);
  scenario::Script script = drill.probes;
  script.file = drill.file;
  script.name = drill.name + "/" + fault.name;
  script.description = drill.title;
  script.steps = fault.steps;
  return script;
}

}  // namespace blastlab::drill
