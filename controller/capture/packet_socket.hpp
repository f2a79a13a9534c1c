// The real FrameSource: an AF_PACKET socket opened inside a lab node's network namespace.
// A socket stays bound to the namespace it was created in, so only its creation happens
// inside (netns::run_in_namespace, which returns the thread to its own namespace); every
// read afterwards sees the node's packets and never the host's.
//
// One Ethernet-like interface (a veth, loopback) is read raw, its frames as they were on
// the wire (LINKTYPE_ETHERNET). Every interface at once, or one of another kind, is read
// "cooked": the kernel strips the link header and says instead which way the packet went,
// on what kind of link and carrying what, which becomes the Linux cooked header
// (LINKTYPE_LINUX_SLL) that tcpdump's `-i any` writes too.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controller/capture/capture.hpp"
#include "controller/netns/namespace.hpp"

namespace blastlab::capture {

class PacketSocket final : public FrameSource {
 public:
  // ifname empty: every interface of the namespace. An interface the namespace lacks is an
  // error with errno ENODEV whose message lists the ones it has.
  static std::unique_ptr<PacketSocket> open(const std::string& ns, const std::string& ifname,
                                            std::uint32_t snaplen, netns::Status& status);

  LinkType link_type() const override { return link_type_; }
  std::optional<Frame> next(std::chrono::milliseconds timeout, netns::Status& status) override;
  // Packets the kernel dropped since the socket was bound because the reader fell behind.
  std::uint64_t dropped();

 private:
  PacketSocket(netns::UniqueFd fd, LinkType link_type, std::uint32_t snaplen, std::string what);

  netns::UniqueFd fd_;
  LinkType link_type_;
  std::string what_;  // "capture on eth0 in ns lab1.client1", for messages
  std::vector<char> buffer_;
  std::uint64_t dropped_ = 0;
};

}  // namespace blastlab::capture
