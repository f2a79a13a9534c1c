#include "agents/common/probe_loop.hpp"

#include <signal.h>

#include <algorithm>

namespace blastlab::agent {

std::string signal_name(int sig) {
  switch (sig) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    default:
      return "signal " + std::to_string(sig);
  }
}

ProbeLoopEnd run_probe_loop(ProbeSet& probes, Clock& clock, const StopRequest& stop,
                            const Pacing& pacing, spdlog::logger& log) {
  ProbeLoopEnd result;
  auto interval =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / pacing.rate));
  Clock::TimePoint start = clock.now();
  Clock::TimePoint end = start + pacing.duration;
  FixedRateSchedule schedule(start, std::max(interval, Clock::duration(1)));
  uint64_t slots = 0;
  bool sending = true;
  std::optional<Clock::TimePoint> last_skip_log;
  for (;;) {
    Clock::TimePoint now = clock.now();
    int requests = stop.count.load();
    if (requests > 0 && sending) {
      sending = false;
      result.reason = signal_name(stop.signal.load());
      log.info("{}: no more probes; waiting for {} in flight", result.reason, probes.in_flight());
    }
    if (requests > 1 && probes.in_flight() > 0) {
      result.abandoned = probes.in_flight();
      log.info("second stop request: abandoning {} probes in flight", probes.in_flight());
      probes.abandon();
      break;
    }
    if (sending && now >= end) {
      sending = false;
      result.reason = "duration";
    }
    if (sending && now >= schedule.slot_time()) {
      probes.send_slot();
      ++slots;
      if (pacing.count && slots >= *pacing.count) {
        sending = false;
        result.reason = "count";
      } else {
        Clock::TimePoint after = clock.now();
        if (int64_t skipped = schedule.advance(after); skipped > 0) {
          result.skipped += static_cast<uint64_t>(skipped);
          // At most one line per 10 s: a busy host at 1000/s would otherwise flood stderr.
          if (!last_skip_log || after - *last_skip_log >= std::chrono::seconds(10)) {
            log.warn("fell behind: {} send slot(s) skipped so far", result.skipped);
            last_skip_log = after;
          }
        }
        if (schedule.slot_time() >= end) {
          sending = false;
          result.reason = "duration";
        }
      }
      now = clock.now();
    }
    probes.expire(now);
    if (!sending && probes.in_flight() == 0) break;
    probes.wait(sending ? schedule.slot_time() : Clock::TimePoint::max());
  }
  return result;
}

void write_stop(EventLog& events, Clock& clock, spdlog::logger& log, uint64_t sent,
                uint64_t answered, const ProbeLoopEnd& end) {
  events.emit(
      clock.realtime_us(), "stop",
      {{"sent", sent}, {"answered", answered}, {"skipped", end.skipped}, {"reason", end.reason}});
  log.info("stopped ({}): {} sent, {} answered", end.reason, sent, answered);
}

}  // namespace blastlab::agent
