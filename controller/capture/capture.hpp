// `blastlab capture`: packets seen inside one lab node, written as a pcap file. This header
// holds what needs no root: the checks of the command's flags and the capture loop, which
// reads frames from a FrameSource (the packet socket in the node's namespace, or a fake in
// the tests), writes them, and stops at the first of its bounds: a packet count, a
// duration, Ctrl-C. A capture always has a bound, so one left unattended ends by itself.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "controller/capture/pcap.hpp"
#include "controller/netns/netlink.hpp"

namespace blastlab::capture {

// The bound of a capture given neither a count nor a duration.
inline constexpr std::chrono::seconds kDefaultDuration{10};

// Where frames come from. next() waits at most `timeout` for one; nullopt when none came (a
// timeout, or a signal that woke it), and then a failure, if there was one, in status.
class FrameSource {
 public:
  virtual ~FrameSource() = default;
  virtual LinkType link_type() const = 0;
  virtual std::optional<Frame> next(std::chrono::milliseconds timeout, netns::Status& status) = 0;
};

struct CaptureLimits {
  std::uint64_t max_packets = 0;  // 0: any number
  std::optional<std::chrono::milliseconds> duration;
};

// The command's flags as given; count and duration are unset when not given.
struct CaptureFlags {
  std::string ifname;  // empty: every interface
  std::optional<std::int64_t> count;
  std::string duration;
  std::int64_t snaplen = kDefaultSnaplen;
};

struct CaptureSettings {
  std::string ifname;
  CaptureLimits limits;
  std::uint32_t snaplen = kDefaultSnaplen;
};

// Checks every flag before anything is opened; nullopt with a message naming the flag, the
// value and what is allowed. Neither -c nor --duration: kDefaultDuration.
std::optional<CaptureSettings> check_capture_flags(const CaptureFlags& flags, std::string& error);

enum class StopReason { kCount, kDuration, kInterrupted, kFailed };

struct CaptureResult {
  std::uint64_t packets = 0;
  std::chrono::nanoseconds elapsed{0};
  StopReason stopped = StopReason::kDuration;
  netns::Status status;  // why it failed, for kFailed
  // False when writing failed: the file may end inside a record.
  bool file_complete = true;
};

// Writes the file header, then frames until a bound is reached or *interrupted turns true,
// then flushes. What was written before a failure is a valid file all the same.
CaptureResult run_capture(FrameSource& source, PcapWriter& writer, const CaptureLimits& limits,
                          const std::atomic<bool>* interrupted);

}  // namespace blastlab::capture
