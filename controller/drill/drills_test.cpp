// Every drill shipped in drills/ loads against its topology.
#include <gtest/gtest.h>

#include <filesystem>

#include "controller/drill/drill.hpp"

namespace blastlab::drill {
namespace {

TEST(Drills, EveryShippedDrillIsValid) {
  std::filesystem::path dir = std::filesystem::path(BLASTLAB_SOURCE_DIR) / "drills";
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    auto result = load_drill_file(entry.path().string());
    EXPECT_TRUE(result.drill) << model::format_diagnostics(result.errors);
    if (!result.drill) continue;
    EXPECT_EQ(result.drill->name, entry.path().stem().string());
    for (const auto& fault : result.drill->faults)
      EXPECT_FALSE(fault.reveal.empty()) << entry.path() << ": " << fault.name;
    EXPECT_FALSE(result.drill->hints.empty()) << entry.path();
    EXPECT_LE(result.drill->hints.size(), 3u) << entry.path();
  }
  EXPECT_EQ(count, 6);
}

}  // namespace
}  // namespace blastlab::drill
