#include "controller/capture/capture.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>

namespace blastlab::capture {
namespace {

TEST(CaptureFlagsTest, NeitherCountNorDurationBoundsTheCaptureByDefault) {
  std::string error;
  auto settings = check_capture_flags({}, error);
  ASSERT_TRUE(settings) << error;
  EXPECT_EQ(settings->limits.duration, std::chrono::milliseconds(kDefaultDuration));
  EXPECT_EQ(settings->limits.max_packets, 0u);
  EXPECT_EQ(settings->snaplen, 262144u);
  EXPECT_EQ(settings->ifname, "");
}

TEST(CaptureFlagsTest, ACountAloneIsTheOnlyBound) {
  std::string error;
  auto settings = check_capture_flags({.ifname = "eth0", .count = 5}, error);
  ASSERT_TRUE(settings) << error;
  EXPECT_EQ(settings->limits.max_packets, 5u);
  EXPECT_FALSE(settings->limits.duration);
  EXPECT_EQ(settings->ifname, "eth0");
}

TEST(CaptureFlagsTest, ADurationAndACountBothBound) {
  std::string error;
  auto settings = check_capture_flags({.count = 3, .duration = "1.5s", .snaplen = 96}, error);
  ASSERT_TRUE(settings) << error;
  EXPECT_EQ(settings->limits.max_packets, 3u);
  EXPECT_EQ(settings->limits.duration, std::chrono::milliseconds(1500));
  EXPECT_EQ(settings->snaplen, 96u);
}

TEST(CaptureFlagsTest, BadFlagsAreRefusedNamingFlagValueAndWhatIsAllowed) {
  struct Case {
    CaptureFlags flags;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{.duration = "5"}, "--duration '5': expected a duration like 5s or 500ms"},
      {{.duration = "-1s"}, "--duration '-1s'"},
      {{.duration = "0s"}, "--duration '0s'"},
      {{.count = 0}, "-c 0: give a number of packets, 1 or more"},
      {{.count = -3}, "-c -3"},
      {{.snaplen = 10}, "--snaplen 10: give 64 to 262144 bytes"},
      {{.snaplen = 300000}, "--snaplen 300000"},
      {{.ifname = "../etc"}, "interface '../etc': not an interface name"},
      {{.ifname = "a-very-long-interface"}, "not an interface name"},
      {{.ifname = "eth0 x"}, "not an interface name"},
  };
  for (const auto& c : cases) {
    std::string error;
    EXPECT_FALSE(check_capture_flags(c.flags, error)) << c.message;
    EXPECT_NE(error.find(c.message), std::string::npos) << error;
  }
}

// Frames from a list; once it runs dry, nothing more (or a failure).
class FakeSource : public FrameSource {
 public:
  LinkType link_type() const override { return LinkType::kEthernet; }
  std::optional<Frame> next(std::chrono::milliseconds, netns::Status& status) override {
    status = netns::Status::ok();
    ++calls;
    if (frames.empty()) {
      if (fail_when_dry) status = netns::Status::error("read a packet: Network is down", ENETDOWN);
      if (interrupt_when_dry) interrupt_when_dry->store(true);
      return std::nullopt;
    }
    current = frames.front();
    frames.pop_front();
    return Frame{.when = {1, 0}, .bytes = current, .original_length = 60};
  }
  std::deque<std::string> frames;
  std::string current;
  bool fail_when_dry = false;
  std::atomic<bool>* interrupt_when_dry = nullptr;
  int calls = 0;
};

class CaptureLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::tmpfile();
    ASSERT_NE(file_, nullptr);
  }
  void TearDown() override { std::fclose(file_); }
  std::string written() {
    std::string out;
    ::lseek(::fileno(file_), 0, SEEK_SET);
    char chunk[4096];
    for (ssize_t n; (n = ::read(::fileno(file_), chunk, sizeof chunk)) > 0;) out.append(chunk, n);
    return out;
  }
  static constexpr std::size_t kHeader = 24;
  static constexpr std::size_t kRecord = 16 + 60;

  std::FILE* file_ = nullptr;
};

TEST_F(CaptureLoopTest, StopsAtTheCountWithEveryRecordWritten) {
  FakeSource source;
  source.frames = {std::string(60, 'a'), std::string(60, 'b'), std::string(60, 'c')};
  PcapWriter writer(::fileno(file_), 262144, LinkType::kEthernet);
  auto result = run_capture(source, writer, {.max_packets = 2}, nullptr);
  EXPECT_EQ(result.stopped, StopReason::kCount);
  EXPECT_EQ(result.packets, 2u);
  EXPECT_TRUE(result.status);
  std::string file = written();
  ASSERT_EQ(file.size(), kHeader + 2 * kRecord);
  EXPECT_EQ(file.substr(kHeader + 16, 60), std::string(60, 'a'));
  EXPECT_EQ(file.substr(kHeader + kRecord + 16, 60), std::string(60, 'b'));
}

TEST_F(CaptureLoopTest, StopsAtTheDurationOnAQuietInterface) {
  FakeSource source;
  PcapWriter writer(::fileno(file_), 262144, LinkType::kEthernet);
  auto result = run_capture(source, writer, {.duration = std::chrono::milliseconds(30)}, nullptr);
  EXPECT_EQ(result.stopped, StopReason::kDuration);
  EXPECT_EQ(result.packets, 0u);
  EXPECT_GE(result.elapsed, std::chrono::milliseconds(30));
  EXPECT_EQ(written(), pcap_file_header(262144, LinkType::kEthernet));
}

TEST_F(CaptureLoopTest, CtrlCStopsItWithWhatCameBeforeWritten) {
  std::atomic<bool> interrupted{false};
  FakeSource source;
  source.frames = {std::string(60, 'a')};
  source.interrupt_when_dry = &interrupted;
  PcapWriter writer(::fileno(file_), 262144, LinkType::kEthernet);
  auto result = run_capture(source, writer, {}, &interrupted);
  EXPECT_EQ(result.stopped, StopReason::kInterrupted);
  EXPECT_EQ(result.packets, 1u);
  EXPECT_EQ(written().size(), kHeader + kRecord);
}

TEST_F(CaptureLoopTest, AFailureStopsItKeepingThePacketsBefore) {
  FakeSource source;
  source.frames = {std::string(60, 'a')};
  source.fail_when_dry = true;
  PcapWriter writer(::fileno(file_), 262144, LinkType::kEthernet);
  auto result = run_capture(source, writer, {.max_packets = 5}, nullptr);
  EXPECT_EQ(result.stopped, StopReason::kFailed);
  EXPECT_EQ(result.status.errno_code(), ENETDOWN);
  EXPECT_TRUE(result.file_complete);
  EXPECT_EQ(result.packets, 1u);
  EXPECT_EQ(written().size(), kHeader + kRecord);
}

TEST_F(CaptureLoopTest, AFailedWriteMarksTheFileIncomplete) {
  int read_only = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(read_only, 0);
  FakeSource source;
  PcapWriter writer(read_only, 262144, LinkType::kEthernet);
  auto result = run_capture(source, writer, {.max_packets = 1}, nullptr);
  ::close(read_only);
  EXPECT_EQ(result.stopped, StopReason::kFailed);
  EXPECT_EQ(result.status.errno_code(), EBADF);
  EXPECT_FALSE(result.file_complete);
  EXPECT_EQ(source.calls, 0);
}

}  // namespace
}  // namespace blastlab::capture
