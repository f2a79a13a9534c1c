#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "controller/report/report.hpp"
#include "controller/report/test_support.hpp"

namespace blastlab::report {
namespace {

using ::testing::HasSubstr;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(WriteReportTest, WritesTheFourFilesIntoANewDirectory) {
  TempDir tmp;
  Report report = sample_report();
  std::string dir = tmp.path() + "/out/run1";
  ReportFiles files = write_report(dir, report);
  EXPECT_EQ(files.json, dir + "/report.json");
  EXPECT_EQ(files.text, dir + "/report.txt");
  EXPECT_EQ(files.html, dir + "/report.html");
  EXPECT_EQ(files.junit, dir + "/junit.xml");
  EXPECT_EQ(slurp(files.text), report_text(report, false));
  EXPECT_EQ(slurp(files.html), report_html(report));
  EXPECT_EQ(slurp(files.junit), report_junit(report));
  std::string json = slurp(files.json);
  EXPECT_EQ(json, report_json(report).dump(2) + "\n");
  EXPECT_EQ(report_from_json(nlohmann::json::parse(json)).metrics.sites.size(), 2u);
  // Nothing but the four files: no temporaries left behind.
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 4u);
}

TEST(WriteReportTest, OverwritesAnEarlierReport) {
  TempDir tmp;
  Report report = sample_report();
  write_report(tmp.path(), report);
  report.metrics.lab = "second";
  ReportFiles files = write_report(tmp.path(), report);
  EXPECT_THAT(slurp(files.text), HasSubstr("lab second"));
}

TEST(WriteReportTest, InvalidUtf8InANameDoesNotLoseTheReport) {
  TempDir tmp;
  Report report = sample_report();
  report.metrics.lab = "lab\xff";
  ReportFiles files = write_report(tmp.path(), report);
  EXPECT_NO_THROW(nlohmann::json::parse(slurp(files.json)));
}

TEST(WriteReportTest, AnUnusableDirectoryIsNamedInTheError) {
  TempDir tmp;
  std::string file = tmp.path() + "/plain-file";
  std::ofstream(file) << "x";
  try {
    write_report(file + "/sub", sample_report());
    FAIL() << "writing under a regular file succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("create report directory " + file + "/sub"));
  }
  try {
    write_report(file, sample_report());
    FAIL() << "writing into a regular file succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr(file));
  }
}

}  // namespace
}  // namespace blastlab::report
