// A directory holding a containerlab file and the FRR files it names, for the conversion
// tests: relative binds resolve against it and the files a router needs exist there.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "controller/clab/convert.hpp"
#include "controller/clab/test_support.hpp"

namespace blastlab::clab {

class ConvertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("blastlab-clab-convert-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes a file under the directory (parents made), returning its absolute path.
  std::string write(const std::string& relative, const std::string& text) {
    auto path = dir_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }
  std::string path(const std::string& relative) const { return (dir_ / relative).string(); }

  ConvertResult convert_here(std::string_view yaml, ConvertOptions options = {}) {
    return load_clab_text(yaml, path("t.clab.yml"), {}, options);
  }

  std::filesystem::path dir_;
};

inline ::testing::AssertionResult has_error(const ConvertResult& result, int line, int column,
                                            std::string_view field,
                                            std::vector<std::string_view> words) {
  return model::has_error(result.errors, line, column, field, std::move(words));
}

inline ::testing::AssertionResult has_warning(const ConvertResult& result, int line, int column,
                                              std::string_view field,
                                              std::vector<std::string_view> words) {
  return model::has_error(result.warnings, line, column, field, std::move(words));
}

// The converted topology, failing the test with the errors when there is none.
inline const model::Topology& converted(const ConvertResult& result) {
  EXPECT_TRUE(result.topology.has_value()) << model::format_diagnostics(result.errors);
  static const model::Topology kEmpty;
  return result.topology ? *result.topology : kEmpty;
}

}  // namespace blastlab::clab
