#include "controller/capture/pcap.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace blastlab::capture {
namespace {

std::string bytes(std::initializer_list<unsigned> values) {
  std::string out;
  for (unsigned v : values) out.push_back(static_cast<char>(v));
  return out;
}

TEST(PcapTest, TheFileHeaderIsClassicPcapLittleEndian) {
  EXPECT_EQ(pcap_file_header(262144, LinkType::kEthernet),
            bytes({0xd4, 0xc3, 0xb2, 0xa1,     // magic: microsecond timestamps
                   0x02, 0x00, 0x04, 0x00,     // version 2.4
                   0x00, 0x00, 0x00, 0x00,     // thiszone
                   0x00, 0x00, 0x00, 0x00,     // sigfigs
                   0x00, 0x00, 0x04, 0x00,     // snaplen 262144
                   0x01, 0x00, 0x00, 0x00}));  // LINKTYPE_ETHERNET
  EXPECT_EQ(pcap_file_header(1500, LinkType::kLinuxCooked).substr(16),
            bytes({0xdc, 0x05, 0x00, 0x00, 113, 0x00, 0x00, 0x00}));
}

TEST(PcapTest, ARecordHeaderHasMicrosecondsAndBothLengths) {
  EXPECT_EQ(pcap_record_header({.seconds = 0x5f5e1000, .nanoseconds = 123456789}, 60, 1514),
            bytes({0x00, 0x10, 0x5e, 0x5f,     // seconds
                   0x40, 0xe2, 0x01, 0x00,     // 123456 microseconds
                   0x3c, 0x00, 0x00, 0x00,     // 60 bytes kept
                   0xea, 0x05, 0x00, 0x00}));  // of 1514
}

TEST(PcapTest, TheCookedHeaderIsBigEndianWithTheAddressPadded) {
  EXPECT_EQ(linux_cooked_header({.packet_type = 4,  // PACKET_OUTGOING
                                 .hardware_type = 1,
                                 .address = bytes({0x02, 0x42, 0xac, 0x11, 0x00, 0x02}),
                                 .protocol = 0x0800}),
            bytes({0x00, 0x04, 0x00, 0x01, 0x00, 0x06, 0x02, 0x42, 0xac, 0x11, 0x00, 0x02, 0x00,
                   0x00, 0x08, 0x00}));
  EXPECT_EQ(linux_cooked_header({.address = std::string(10, 'x')}).substr(4, 12),
            bytes({0x00, 0x0a}) + std::string(8, 'x') + bytes({0x00, 0x00}));
}

// The writer through a pipe, as `-w -` into `tcpdump -r -`.
class PcapWriterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::pipe(pipe_), 0); }
  void TearDown() override {
    ::close(pipe_[0]);
    ::close(pipe_[1]);
  }
  std::string drain() {
    ::close(pipe_[1]);
    pipe_[1] = -1;
    std::string out;
    char chunk[4096];
    for (ssize_t n; (n = ::read(pipe_[0], chunk, sizeof chunk)) > 0;) out.append(chunk, n);
    return out;
  }
  int pipe_[2] = {-1, -1};
};

TEST_F(PcapWriterTest, WritesTheHeaderThenEachRecordCutAtTheSnapLength) {
  PcapWriter writer(pipe_[1], 64, LinkType::kEthernet);
  ASSERT_TRUE(writer.write_header());
  std::string small(42, 'a');
  std::string big(100, 'b');
  ASSERT_TRUE(writer.write(
      {.when = {.seconds = 1, .nanoseconds = 2000}, .bytes = small, .original_length = 42}));
  ASSERT_TRUE(writer.write(
      {.when = {.seconds = 3, .nanoseconds = 0}, .bytes = big, .original_length = 1500}));
  ASSERT_TRUE(writer.flush());
  EXPECT_EQ(drain(), pcap_file_header(64, LinkType::kEthernet) +
                         pcap_record_header({1, 2000}, 42, 42) + small +
                         pcap_record_header({3, 0}, 64, 1500) + std::string(64, 'b'));
}

TEST(PcapWriterErrorTest, AFailedWriteSaysWhy) {
  int read_only = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(read_only, 0);
  PcapWriter writer(read_only, 64, LinkType::kEthernet);
  auto status = writer.write_header();
  ::close(read_only);
  EXPECT_FALSE(status);
  EXPECT_EQ(status.errno_code(), EBADF);
  EXPECT_NE(status.message().find("write the capture: "), std::string::npos) << status.message();
}

}  // namespace
}  // namespace blastlab::capture
