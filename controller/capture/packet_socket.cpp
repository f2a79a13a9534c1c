#include "controller/capture/packet_socket.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

namespace blastlab::capture {
namespace {

netns::Status failed(const std::string& what, const std::string& step, int error) {
  return netns::Status::error(fmt::format("{}: {}: {}", what, step, std::strerror(error)), error);
}

// A packet socket created inside ns, receiving nothing until it is bound.
netns::UniqueFd open_packet_socket(const std::string& ns, int type, const std::string& what,
                                   netns::Status& status) {
  int fd = -1;
  int error = 0;
  status = netns::run_in_namespace(ns, [&] {
    fd = ::socket(AF_PACKET, type | SOCK_CLOEXEC, 0);
    error = errno;
  });
  netns::UniqueFd owned(fd);
  if (status && !owned.valid()) status = failed(what, "open a packet socket", error);
  return owned;
}

// The interfaces of the namespace, for the message about one it lacks.
std::string interface_names(const std::string& ns) {
  std::string names;
  (void)netns::run_in_namespace(ns, [&] {
    if (struct if_nameindex* list = ::if_nameindex()) {
      for (auto* n = list; n->if_index != 0; ++n)
        names += (names.empty() ? "" : ", ") + std::string(n->if_name);
      ::if_freenameindex(list);
    }
  });
  return names;
}

struct Interface {
  int index = 0;
  unsigned short hardware_type = 0;
};

// Looked up through the socket, so in its namespace, whatever the thread's.
std::optional<Interface> find_interface(int fd, const std::string& ifname, int& error) {
  struct ifreq request {};
  std::memcpy(request.ifr_name, ifname.data(),
              std::min(ifname.size(), sizeof request.ifr_name - 1));
  Interface found;
  if (::ioctl(fd, SIOCGIFINDEX, &request) != 0) {
    error = errno;
    return std::nullopt;
  }
  found.index = request.ifr_ifindex;
  if (::ioctl(fd, SIOCGIFHWADDR, &request) != 0) {
    error = errno;
    return std::nullopt;
  }
  found.hardware_type = request.ifr_hwaddr.sa_family;
  return found;
}

Timestamp stamp_of(msghdr& message) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      timespec ts{};
      std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
      return {ts.tv_sec, static_cast<std::int32_t>(ts.tv_nsec)};
    }
  }
  // No stamp from the kernel: the time it was read is the next best.
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return {now.tv_sec, static_cast<std::int32_t>(now.tv_nsec)};
}

}  // namespace

PacketSocket::PacketSocket(netns::UniqueFd fd, LinkType link_type, std::uint32_t snaplen,
                           std::string what)
    : fd_(std::move(fd)), link_type_(link_type), what_(std::move(what)), buffer_(snaplen) {}

std::unique_ptr<PacketSocket> PacketSocket::open(const std::string& ns, const std::string& ifname,
                                                 std::uint32_t snaplen, netns::Status& status) {
  std::string what = ifname.empty() ? fmt::format("capture on every interface in ns {}", ns)
                                    : fmt::format("capture on {} in ns {}", ifname, ns);
  netns::UniqueFd fd = open_packet_socket(ns, SOCK_DGRAM, what, status);
  if (!status) return nullptr;
  LinkType link_type = LinkType::kLinuxCooked;
  int index = 0;
  if (!ifname.empty()) {
    int error = 0;
    auto found = find_interface(fd.get(), ifname, error);
    if (!found && error == ENODEV) {
      status = netns::Status::error(
          fmt::format("{}: no interface {} there (it has {})", what, ifname, interface_names(ns)),
          ENODEV);
      return nullptr;
    }
    if (!found) {
      status = failed(what, "look up the interface", error);
      return nullptr;
    }
    index = found->index;
    if (found->hardware_type == ARPHRD_ETHER || found->hardware_type == ARPHRD_LOOPBACK) {
      fd = open_packet_socket(ns, SOCK_RAW, what, status);
      if (!status) return nullptr;
      link_type = LinkType::kEthernet;
    }
  }
  int on = 1;
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) != 0) {
    status = failed(what, "ask for timestamps", errno);
    return nullptr;
  }
  // A burst (a convergence, a flood of queries) must not overflow the default buffer while
  // the file is written; the kernel caps this at net.core.rmem_max.
  int buffer_size = 4 << 20;
  (void)::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &buffer_size, sizeof buffer_size);
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(ETH_P_ALL);
  address.sll_ifindex = index;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    status = failed(what, "bind", errno);
    return nullptr;
  }
  status = netns::Status::ok();
  return std::unique_ptr<PacketSocket>(
      new PacketSocket(std::move(fd), link_type, snaplen, std::move(what)));
}

std::optional<Frame> PacketSocket::next(std::chrono::milliseconds timeout, netns::Status& status) {
  status = netns::Status::ok();
  pollfd ready{.fd = fd_.get(), .events = POLLIN, .revents = 0};
  int polled = ::poll(&ready, 1, static_cast<int>(timeout.count()));
  if (polled < 0 && errno != EINTR) status = failed(what_, "wait for packets", errno);
  if (polled <= 0) return std::nullopt;

  // A cooked packet comes without a link header: room is left for the one made for it.
  std::size_t header = link_type_ == LinkType::kLinuxCooked ? kCookedHeaderSize : 0;
  iovec data{.iov_base = buffer_.data() + header, .iov_len = buffer_.size() - header};
  sockaddr_ll from{};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  msghdr message{};
  ssize_t length = -1;
  do {
    message = msghdr{};
    message.msg_name = &from;
    message.msg_namelen = sizeof from;
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    // MSG_TRUNC: the packet's whole length, even when only the snap length is kept.
    length = ::recvmsg(fd_.get(), &message, MSG_TRUNC | MSG_DONTWAIT);
    if (length < 0) {
      if (errno != EAGAIN && errno != EINTR) status = failed(what_, "read a packet", errno);
      return std::nullopt;
    }
    // Loopback shows each packet twice, going out and coming in; tcpdump keeps the one
    // coming in, and so does this.
  } while (from.sll_pkttype == PACKET_OUTGOING && from.sll_hatype == ARPHRD_LOOPBACK);
  if (header) {
    std::string cooked = linux_cooked_header(
        {.packet_type = from.sll_pkttype,
         .hardware_type = from.sll_hatype,
         .address = std::string_view(reinterpret_cast<const char*>(from.sll_addr),
                                     std::min<std::size_t>(from.sll_halen, sizeof from.sll_addr)),
         .protocol = ntohs(from.sll_protocol)});
    std::memcpy(buffer_.data(), cooked.data(), header);
  }
  auto kept = std::min(static_cast<std::size_t>(length), data.iov_len);
  return Frame{.when = stamp_of(message),
               .bytes = std::string_view(buffer_.data(), header + kept),
               .original_length = static_cast<std::uint32_t>(header + length)};
}

std::uint64_t PacketSocket::dropped() {
  tpacket_stats stats{};
  socklen_t size = sizeof stats;
  // Reading the counters resets them: they add up here.
  if (::getsockopt(fd_.get(), SOL_PACKET, PACKET_STATISTICS, &stats, &size) == 0)
    dropped_ += stats.tp_drops;
  return dropped_;
}

}  // namespace blastlab::capture
