// Helpers shared by the model tests: loading inline YAML and asserting on one diagnostic.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "controller/model/topology.hpp"

namespace blastlab::model {

inline LoadResult load(std::string_view yaml) {
  return load_topology_text(yaml, "t.yaml");
}

// Succeeds when a diagnostic has this field at line:column and its message contains every
// word; on failure lists the diagnostics there were, which is what one needs to fix a test.
inline ::testing::AssertionResult has_error(const std::vector<Diagnostic>& errors, int line,
                                            int column, std::string_view field,
                                            std::vector<std::string_view> words) {
  for (const auto& d : errors) {
    if (d.field != field || d.mark.line != line || d.mark.column != column) continue;
    bool all = true;
    for (auto word : words) all = all && d.message.find(word) != std::string::npos;
    if (all) return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no diagnostic at " << line << ":" << column << ": "
                                       << field << " with the expected words; got:\n"
                                       << format_diagnostics(errors);
}

inline ::testing::AssertionResult has_error(const LoadResult& result, int line, int column,
                                            std::string_view field,
                                            std::vector<std::string_view> words) {
  return has_error(result.errors, line, column, field, std::move(words));
}

// The loaded topology, failing the test with the diagnostics when there is none.
inline const Topology& loaded(const LoadResult& result) {
  EXPECT_TRUE(result.topology.has_value()) << format_diagnostics(result.errors);
  static const Topology kEmpty;
  return result.topology ? *result.topology : kEmpty;
}

// The one diagnostic of a file that must be refused, as `file:L:C: field: message`; fails
// the test when there are others (listing them) or none.
inline std::string only_error(const std::vector<Diagnostic>& errors) {
  if (errors.empty()) return "(no error)";
  EXPECT_EQ(errors.size(), 1u) << format_diagnostics(errors);
  return errors.front().str();
}

#ifdef BLASTLAB_SOURCE_DIR
// topologies/minimal.yaml of the source tree, loaded once.
inline const Topology& minimal_topology() {
  static const Topology topology =
      loaded(load_topology_file(std::string(BLASTLAB_SOURCE_DIR) + "/topologies/minimal.yaml"));
  return topology;
}
#endif

}  // namespace blastlab::model
