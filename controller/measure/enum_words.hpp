// The words of the enums that are written into events and reports (a step's state, a
// prediction's kind, a verdict): one table per enum, listing every value once, read both
// ways. Header-only: report/ uses it without linking measure.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace blastlab::measure {

template <typename Enum, size_t N>
using EnumWords = std::array<std::pair<Enum, std::string_view>, N>;

// The word of `value`; the table's first word for a value it does not list (every table
// lists every value: ReportJsonTest.EveryEnumValueHasItsOwnWordThatReadsBack).
template <typename Enum, size_t N>
constexpr std::string_view word_of(const EnumWords<Enum, N>& words, Enum value) {
  for (const auto& [v, word] : words)
    if (v == value) return word;
  return words.front().second;
}

template <typename Enum, size_t N>
constexpr std::optional<Enum> value_of(const EnumWords<Enum, N>& words, std::string_view text) {
  for (const auto& [v, word] : words)
    if (word == text) return v;
  return std::nullopt;
}

}  // namespace blastlab::measure
