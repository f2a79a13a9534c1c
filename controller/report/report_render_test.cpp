// Renders report.html in a real browser (Debian's chromium, headless) to catch what string
// checks cannot: markup a browser repairs or drops, SVG it does not draw. The DOM dump must
// still hold every lane, and the screenshot must be a real, non-trivial PNG.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "controller/proc/process.hpp"
#include "controller/report/report.hpp"
#include "controller/report/test_support.hpp"

namespace blastlab::report {
namespace {

using ::testing::HasSubstr;

// Debian's chromium; BLASTLAB_CHROMIUM names another build (or a missing one, to check
// the skip).
std::string chromium_path() {
  const char* path = std::getenv("BLASTLAB_CHROMIUM");
  return path != nullptr && *path != '\0' ? path : "/usr/bin/chromium";
}
constexpr auto kChromiumTimeout = std::chrono::seconds(60);

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// The last part of chromium's stderr, for failure messages: the start is dbus noise.
std::string tail(const std::string& text, size_t n = 2000) {
  return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

class ReportRenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(chromium_)) {
      if (in_ci()) {
        FAIL() << chromium_ << " is missing and CI=true: scripts/setup.sh installs chromium, "
               << "which the report render test needs";
      }
      GTEST_SKIP() << chromium_ << " is missing (scripts/setup.sh installs chromium)";
    }
    files_ = write_report(tmp_.path() + "/report", sample_report());
  }

  // Runs headless chromium on report.html with its own profile in the temp dir, so it
  // neither reads nor writes the user's; killed by the runner after kChromiumTimeout.
  proc::RunResult chromium(const std::vector<std::string>& flags) {
    proc::Command command;
    command.argv = {chromium_,           "--headless",
                    "--no-sandbox",      "--disable-gpu",
                    "--no-first-run",    "--disable-extensions",
                    "--hide-scrollbars", "--user-data-dir=" + tmp_.path() + "/profile"};
    command.argv.insert(command.argv.end(), flags.begin(), flags.end());
    command.argv.push_back("file://" + files_.html);
    return proc::make_process_runner()->run(command, kChromiumTimeout);
  }

  std::string chromium_ = chromium_path();
  TempDir tmp_;
  ReportFiles files_;
};

TEST_F(ReportRenderTest, TheBrowsersDomHasEveryLaneAndMarker) {
  auto result = chromium({"--dump-dom"});
  ASSERT_FALSE(result.timed_out) << "chromium --dump-dom did not finish within 60 s:\n"
                                 << tail(result.err);
  ASSERT_EQ(result.exit_code, 0) << "chromium --dump-dom failed:\n" << tail(result.err);
  const std::string& dom = result.out;
  EXPECT_EQ(count(dom, "class=\"lane lane-site\""), 2u) << tail(dom);
  EXPECT_EQ(count(dom, "class=\"lane lane-route\""), 4u);
  EXPECT_EQ(count(dom, "class=\"lane lane-client\""), 2u);
  EXPECT_EQ(count(dom, "class=\"step-marker "), 5u);
  EXPECT_THAT(dom, HasSubstr("data-node=\"dns1\""));
  // The SVG stayed SVG: a browser that did not recognise it would have dropped the
  // namespace-less children or moved them out of the <svg> element.
  size_t svg = dom.find("<svg");
  size_t svg_end = dom.find("</svg>");
  ASSERT_NE(svg, std::string::npos);
  ASSERT_NE(svg_end, std::string::npos);
  size_t lane = dom.find("class=\"lane lane-client\"");
  EXPECT_LT(svg, lane);
  EXPECT_LT(lane, svg_end);
}

TEST_F(ReportRenderTest, TheScreenshotIsARealPicture) {
  std::string png = tmp_.path() + "/report.png";
  auto result = chromium({"--screenshot=" + png, "--window-size=1400,900"});
  ASSERT_FALSE(result.timed_out) << "chromium --screenshot did not finish within 60 s:\n"
                                 << tail(result.err);
  ASSERT_EQ(result.exit_code, 0) << "chromium --screenshot failed:\n" << tail(result.err);
  ASSERT_TRUE(std::filesystem::exists(png)) << "chromium wrote no " << png << ":\n"
                                            << tail(result.err);
  std::ifstream in(png, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GE(bytes.size(), 24u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // IHDR: width and height, big-endian, at bytes 16 and 20.
  auto be32 = [&](size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
  };
  EXPECT_EQ(be32(16), 1400u);
  EXPECT_EQ(be32(20), 900u);
  // A blank or nearly blank page compresses to a few KB; tables, text and a coloured
  // timeline do not.
  EXPECT_GT(bytes.size(), 40u * 1024) << "the screenshot is suspiciously small";
}

}  // namespace
}  // namespace blastlab::report
