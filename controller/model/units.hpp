// The units topology files and flags use: durations ("500us", "1.5ms", "2s"), rates
// ("100mbit", "1gbit") and percentages ("0.5%" or "0.5"). Shared by the topology parser and
// the CLI so a value means the same wherever it is written.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace blastlab::model {

// Digits with at most one inner dot: "12", "1.5"; no sign, no exponent.
bool is_plain_number(std::string_view text);
// A number followed by us, ms or s; nothing else. Never negative.
std::optional<std::chrono::microseconds> parse_duration(std::string_view text);
// A number followed by bit, kbit, mbit or gbit (decimal multiples), in bit/s.
std::optional<uint64_t> parse_rate(std::string_view text);
// "N%" or "N", in percent.
std::optional<double> parse_percent(std::string_view text);

}  // namespace blastlab::model
