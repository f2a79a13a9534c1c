// Splits an exec line into words the way a POSIX shell splits simple words, and refuses
// everything a shell would do beyond that. An exec line is never handed to a shell, so
// anything that would make a shell do more than split words (a command separator, a pipe,
// a redirection, an expansion, a glob, an escape) is refused where it stands: reading it as
// a plain character would give the line a meaning its author did not write.
//
// Single and double quotes group characters into one word and are removed, and a quoted
// part joins the unquoted text it touches ("eth"1 is eth1), as in a shell. Metacharacters
// are refused inside quotes too, so that one rule covers every line: no interface name or
// address needs them.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "controller/execline/exec_line.hpp"

namespace blastlab::execline {

struct Word {
  std::string text;  // quotes removed
  int column = 0;    // 1-based file column of the word's first character (or its quote)
};

// first_column: the file column of line[0]. Columns count bytes.
std::variant<std::vector<Word>, ExecLineError> split_words(std::string_view line, int first_column);

}  // namespace blastlab::execline
