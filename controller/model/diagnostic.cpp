#include "controller/model/diagnostic.hpp"

#include <fmt/format.h>

namespace blastlab::model {

// A diagnostic without a line (a file that cannot be read, a planned value) or without a
// field (a file that is not YAML at all) leaves those parts out rather than printing "0:0"
// or an empty field.
std::string Diagnostic::str() const {
  std::string out = file;
  if (mark.line > 0) out += fmt::format(":{}:{}", mark.line, mark.column);
  out += ": ";
  if (!field.empty()) out += field + ": ";
  out += message;
  return out;
}

std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& diagnostic : diagnostics) {
    if (!out.empty()) out += '\n';
    out += diagnostic.str();
  }
  return out;
}

}  // namespace blastlab::model
