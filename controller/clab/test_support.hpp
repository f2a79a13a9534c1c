// Helpers shared by the clab tests: reading inline YAML as a file in /labs.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "controller/clab/clab_topology.hpp"
#include "controller/model/test_support.hpp"

namespace blastlab::clab {

using model::has_error;

inline ReadResult read(std::string_view yaml) {
  return read_clab_text(yaml, "/labs/t.clab.yml", {.home_directory = "/home/eng"});
}

inline ::testing::AssertionResult has_error(const ReadResult& result, int line, int column,
                                            std::string_view field,
                                            std::vector<std::string_view> words) {
  return has_error(result.errors, line, column, field, std::move(words));
}

// The topology read, failing the test with the diagnostics when there is none.
inline const Topology& loaded(const ReadResult& result) {
  EXPECT_TRUE(result.topology.has_value()) << model::format_diagnostics(result.errors);
  static const Topology kEmpty;
  return result.topology ? *result.topology : kEmpty;
}

// The same for a result nobody keeps: the topology by value, so that
// `const Topology& t = loaded(read(...))` holds it for as long as t lives.
inline Topology loaded(ReadResult&& result) {
  const Topology& topology = loaded(result);
  return topology;
}

inline bool at(SourceMark mark, int line, int column) {
  return mark.line == line && mark.column == column;
}

}  // namespace blastlab::clab
