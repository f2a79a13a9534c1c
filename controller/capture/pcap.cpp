#include "controller/capture/pcap.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "controller/files/safe_write.hpp"

namespace blastlab::capture {
namespace {

void put_le(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

void put_be(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

}  // namespace

std::string pcap_file_header(std::uint32_t snaplen, LinkType link_type) {
  std::string out;
  put_le(out, kPcapMagic, 4);
  put_le(out, kPcapVersionMajor, 2);
  put_le(out, kPcapVersionMinor, 2);
  put_le(out, 0, 4);  // thiszone: timestamps are UTC
  put_le(out, 0, 4);  // sigfigs
  put_le(out, snaplen, 4);
  put_le(out, static_cast<std::uint32_t>(link_type), 4);
  return out;
}

std::string pcap_record_header(Timestamp when, std::uint32_t captured, std::uint32_t original) {
  std::string out;
  put_le(out, static_cast<std::uint32_t>(when.seconds), 4);
  put_le(out, static_cast<std::uint32_t>(when.nanoseconds / 1000), 4);
  put_le(out, captured, 4);
  put_le(out, original, 4);
  return out;
}

std::string linux_cooked_header(const CookedHeader& header) {
  constexpr std::size_t kAddressBytes = 8;
  std::string out;
  put_be(out, header.packet_type, 2);
  put_be(out, header.hardware_type, 2);
  // The length field gives the address's real length even when only 8 bytes fit.
  put_be(out, header.address.size(), 2);
  std::string address(header.address.substr(0, kAddressBytes));
  address.resize(kAddressBytes, '\0');
  out += address;
  put_be(out, header.protocol, 2);
  return out;
}

PcapWriter::PcapWriter(int fd, std::uint32_t snaplen, LinkType link_type)
    : fd_(fd), snaplen_(snaplen), link_type_(link_type) {}

netns::Status PcapWriter::write_header() {
  pending_ += pcap_file_header(snaplen_, link_type_);
  return flush();
}

netns::Status PcapWriter::write(const Frame& frame) {
  constexpr std::size_t kChunk = 64 * 1024;
  auto captured = static_cast<std::uint32_t>(std::min<std::size_t>(frame.bytes.size(), snaplen_));
  pending_ += pcap_record_header(frame.when, captured, frame.original_length);
  pending_ += frame.bytes.substr(0, captured);
  return pending_.size() >= kChunk ? flush() : netns::Status::ok();
}

netns::Status PcapWriter::flush() {
  if (!files::write_all(fd_, pending_)) {
    int error = errno;
    return netns::Status::error(std::string("write the capture: ") + std::strerror(error), error);
  }
  pending_.clear();
  return netns::Status::ok();
}

}  // namespace blastlab::capture
