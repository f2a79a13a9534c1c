// The classic pcap file format (pcap-savefile(5)), which tcpdump, Wireshark and every other
// packet tool read: a 24-byte file header naming the link type and snap length, then one
// 16-byte header per packet before its captured bytes. Written here by hand rather than
// through libpcap, so the capture needs no new dependency. Numbers are written
// little-endian whatever the host, so a file's bytes are the same everywhere (readers tell
// the byte order from the magic number); timestamps have microsecond resolution.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "controller/netns/netlink.hpp"

namespace blastlab::capture {

inline constexpr std::uint32_t kPcapMagic = 0xa1b2c3d4;
inline constexpr std::uint16_t kPcapVersionMajor = 2;
inline constexpr std::uint16_t kPcapVersionMinor = 4;
inline constexpr std::uint32_t kDefaultSnaplen = 262144;

// The LINKTYPE_ values (tcpdump.org/linktypes.html) of what a capture's packets start with.
enum class LinkType : std::uint32_t {
  kEthernet = 1,       // an Ethernet header: one veth or loopback interface
  kLinuxCooked = 113,  // the 16-byte Linux "cooked" header: every interface at once
};

// When a packet was seen: seconds and nanoseconds since the epoch (the kernel's stamp).
struct Timestamp {
  std::int64_t seconds = 0;
  std::int32_t nanoseconds = 0;
};

// What the cooked header (LINKTYPE_LINUX_SLL) says about a packet that arrived with no
// link-layer header of its own: which way it went, on what kind of link, from which
// link-layer address, carrying which protocol. Values as in sockaddr_ll, host byte order.
struct CookedHeader {
  std::uint16_t packet_type = 0;    // PACKET_HOST, PACKET_OUTGOING, ...
  std::uint16_t hardware_type = 0;  // ARPHRD_ETHER, ARPHRD_LOOPBACK, ...
  std::string_view address;         // the sender's; at most 8 bytes are kept
  std::uint16_t protocol = 0;       // the EtherType: 0x0800 for IPv4
};

inline constexpr std::size_t kCookedHeaderSize = 16;

std::string pcap_file_header(std::uint32_t snaplen, LinkType link_type);
// `captured` bytes follow in the file, of a packet that was `original` bytes long.
std::string pcap_record_header(Timestamp when, std::uint32_t captured, std::uint32_t original);
// The cooked header's 16 bytes, in network byte order as the format wants them.
std::string linux_cooked_header(const CookedHeader& header);

// One captured packet: when it was seen, the bytes kept (link header first, at most the
// snap length) and how long it really was. The bytes belong to whoever produced the frame
// and are valid until it produces the next.
struct Frame {
  Timestamp when;
  std::string_view bytes;
  std::uint32_t original_length = 0;
};

// Writes a pcap file to a descriptor it does not own (a file, or stdout for a pipe into
// tcpdump -r -). Records are gathered in memory and written in chunks; flush() writes what
// is gathered, so a reader at the end of a pipe sees packets while the capture goes on.
// Each call returns an error naming the errno of a failed write.
class PcapWriter {
 public:
  PcapWriter(int fd, std::uint32_t snaplen, LinkType link_type);

  netns::Status write_header();
  netns::Status write(const Frame& frame);
  netns::Status flush();

 private:
  int fd_;
  std::uint32_t snaplen_;
  LinkType link_type_;
  std::string pending_;
};

}  // namespace blastlab::capture
