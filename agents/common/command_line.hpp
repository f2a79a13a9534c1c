// CLI11 over an agent's command line, as every agent runs it: --help writes the help and the
// agent does not run; any other flag CLI11 refuses becomes the agent's own usage error,
// which its main prints before exiting 2. Header-only: the agents that parse flags link
// CLI11, the rest of agents/common does not need it.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>

namespace blastlab::agent {

// Parses argv into `app`'s options. False when --help was asked for (the help is written to
// `out`); throws UsageError with CLI11's message for a flag it refuses.
template <typename UsageError>
bool read_flags(CLI::App& app, int argc, const char* const* argv, std::ostream& out) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return false;
  } catch (const CLI::ParseError& e) {
    throw UsageError(e.what());
  }
  return true;
}

}  // namespace blastlab::agent
