#include "controller/execline/words.hpp"

#include <fmt/format.h>

#include <optional>

namespace blastlab::execline {

namespace {

// What a shell would do with the character, or nullopt for a plain one.
std::optional<std::string_view> shell_meaning(char c) {
  switch (c) {
    case ';':
    case '\n':
    case '\r':
      return "a command separator";
    case '|':
      return "a pipe";
    case '&':
      return "a background or AND operator";
    case '>':
    case '<':
      return "a redirection";
    case '$':
      return "an expansion";
    case '`':
      return "a command substitution";
    case '(':
    case ')':
      return "a subshell";
    case '*':
    case '?':
    case '[':
    case ']':
      return "a glob";
    case '{':
    case '}':
      return "a brace expansion";
    case '~':
      return "a home directory expansion";
    case '#':
      return "a comment";
    case '!':
      return "a negation or history expansion";
    case '\\':
      return "an escape";
    default:
      break;
  }
  if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "a control character";
  return std::nullopt;
}

std::string shown(char c) {
  if (c == '\n') return "newline";
  if (c == '\r') return "carriage return";
  if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
    return fmt::format("byte 0x{:02x}", static_cast<unsigned char>(c));
  }
  return fmt::format("'{}'", c);
}

}  // namespace

std::variant<std::vector<Word>, ExecLineError> split_words(std::string_view line,
                                                           int first_column) {
  std::vector<Word> words;
  std::optional<Word> word;  // the word being read, if any
  char quote = 0;            // the open quote character, 0 outside quotes
  int quote_column = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    int column = first_column + static_cast<int>(i);
    if (auto meaning = shell_meaning(c); meaning && c != '\t') {
      return ExecLineError{
          column, fmt::format("{} is {} in a shell, and exec lines are never run by a shell: "
                              "an exec line is one ip command made of plain words",
                              shown(c), *meaning)};
    }
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word->text += c;
      }
      continue;
    }
    if (c == ' ' || c == '\t') {
      if (word) words.push_back(std::move(*word));
      word.reset();
      continue;
    }
    if (!word) word = Word{"", column};
    if (c == '\'' || c == '"') {
      quote = c;
      quote_column = column;
    } else {
      word->text += c;
    }
  }
  if (quote != 0) {
    return ExecLineError{quote_column,
                         fmt::format("unterminated {} quote", quote == '"' ? "double" : "single")};
  }
  if (word) words.push_back(std::move(*word));
  return words;
}

}  // namespace blastlab::execline
