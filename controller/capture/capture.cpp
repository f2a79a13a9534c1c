#include "controller/capture/capture.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "controller/model/units.hpp"

namespace blastlab::capture {
namespace {

// An interface name as the kernel takes it (IFNAMSIZ less its NUL, no '/' or blank).
bool is_valid_ifname(const std::string& name) {
  constexpr std::size_t kMaxIfname = 15;
  if (name.empty() || name.size() > kMaxIfname || name == "." || name == "..") return false;
  return std::none_of(name.begin(), name.end(),
                      [](char c) { return c == '/' || c == ':' || c <= ' ' || c == 0x7f; });
}

// How long the loop waits for a frame before it looks at Ctrl-C and the clock again: a
// signal that lands just before the wait does not keep the capture going past it.
constexpr std::chrono::milliseconds kPollSlice{200};

}  // namespace

std::optional<CaptureSettings> check_capture_flags(const CaptureFlags& flags, std::string& error) {
  CaptureSettings settings;
  if (!flags.ifname.empty() && !is_valid_ifname(flags.ifname)) {
    error = fmt::format(
        "capture: interface '{}': not an interface name (1 to 15 characters, "
        "no '/', ':' or blanks)",
        flags.ifname);
    return std::nullopt;
  }
  settings.ifname = flags.ifname;
  if (flags.count) {
    if (*flags.count <= 0) {
      error = fmt::format("capture: -c {}: give a number of packets, 1 or more", *flags.count);
      return std::nullopt;
    }
    settings.limits.max_packets = static_cast<std::uint64_t>(*flags.count);
  }
  if (!flags.duration.empty()) {
    auto duration = model::parse_duration(flags.duration);
    if (!duration || duration->count() <= 0) {
      error = fmt::format("capture: --duration '{}': expected a duration like 5s or 500ms",
                          flags.duration);
      return std::nullopt;
    }
    settings.limits.duration =
        std::max(std::chrono::milliseconds(1),
                 std::chrono::duration_cast<std::chrono::milliseconds>(*duration));
  } else if (!flags.count) {
    settings.limits.duration = kDefaultDuration;
  }
  // The cooked header alone takes 16 bytes; tcpdump's old default of 68 still shows headers.
  constexpr std::int64_t kMinSnaplen = 64;
  if (flags.snaplen < kMinSnaplen || flags.snaplen > kDefaultSnaplen) {
    error = fmt::format("capture: --snaplen {}: give {} to {} bytes", flags.snaplen, kMinSnaplen,
                        kDefaultSnaplen);
    return std::nullopt;
  }
  settings.snaplen = static_cast<std::uint32_t>(flags.snaplen);
  return settings;
}

CaptureResult run_capture(FrameSource& source, PcapWriter& writer, const CaptureLimits& limits,
                          const std::atomic<bool>* interrupted) {
  using Clock = std::chrono::steady_clock;
  CaptureResult result;
  auto start = Clock::now();
  auto finish = [&](StopReason reason, netns::Status status) {
    if (auto flushed = writer.flush(); !flushed) {
      if (status) status = flushed;
      result.file_complete = false;
    }
    result.stopped = status ? reason : StopReason::kFailed;
    result.status = std::move(status);
    result.elapsed = Clock::now() - start;
    return result;
  };
  auto writing_failed = [&](netns::Status status) {
    result.file_complete = false;
    return finish(StopReason::kFailed, std::move(status));
  };
  if (auto status = writer.write_header(); !status) return writing_failed(status);
  while (true) {
    if (interrupted && interrupted->load()) return finish(StopReason::kInterrupted, {});
    if (limits.max_packets && result.packets >= limits.max_packets)
      return finish(StopReason::kCount, {});
    auto wait = kPollSlice;
    if (limits.duration) {
      auto now = Clock::now();
      if (now >= start + *limits.duration) return finish(StopReason::kDuration, {});
      wait = std::min(wait,
                      std::chrono::ceil<std::chrono::milliseconds>(start + *limits.duration - now));
    }
    netns::Status status;
    auto frame = source.next(wait, status);
    if (!status) return finish(StopReason::kFailed, status);
    if (!frame) {
      // Quiet for a moment: hand what is gathered to the reader.
      if (auto flushed = writer.flush(); !flushed) return writing_failed(flushed);
      continue;
    }
    if (auto written = writer.write(*frame); !written) return writing_failed(written);
    ++result.packets;
  }
}

}  // namespace blastlab::capture
