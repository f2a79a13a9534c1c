#include "controller/execline/keywords.hpp"

namespace blastlab::execline {

bool abbreviates(std::string_view word, std::string_view keyword) {
  return !word.empty() && keyword.starts_with(word);
}

std::optional<std::string_view> resolve_keyword(std::string_view word,
                                                std::span<const Keyword> table) {
  for (const Keyword& keyword : table) {
    if (keyword.abbreviable ? abbreviates(word, keyword.name) : word == keyword.name) {
      return keyword.name;
    }
  }
  return std::nullopt;
}

}  // namespace blastlab::execline
