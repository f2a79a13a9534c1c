// Unit tests of what the agents share: the event writer's line format (field order, one line
// per event, appending, failing loudly on a path it cannot create), the fixed-rate schedule
// at steady_clock's nanosecond resolution, the socket helpers and the stop request.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "agents/common/clock.hpp"
#include "agents/common/event_log.hpp"
#include "agents/common/socket_util.hpp"
#include "agents/common/stop_signal.hpp"
#include "agents/common/test_support.hpp"

namespace blastlab::agent {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(EventLogTest, WritesTsAgentNodeEventFirstThenFieldsInOrder) {
  testing::TempDir dir;
  std::string path = dir.file("events/sub/probe-c1.jsonl");  // parents do not exist yet
  {
    EventLog log(path, "dnsprobe", "c1");
    EXPECT_EQ(log.path(), path);
    nlohmann::ordered_json fields;
    fields["target"] = "resolver";
    fields["result"] = "ok";
    fields["latency_us"] = 1234;
    log.emit(1'700'000'000'000'000, "query", fields);
    log.emit(1'700'000'000'000'001, "stop", nlohmann::ordered_json::object());
  }
  EXPECT_EQ(read_lines(path),
            (std::vector<std::string>{
                R"({"ts":1700000000000000,"agent":"dnsprobe","node":"c1","event":"query",)"
                R"("target":"resolver","result":"ok","latency_us":1234})",
                R"({"ts":1700000000000001,"agent":"dnsprobe","node":"c1","event":"stop"})"}));
}

TEST(EventLogTest, AppendsToAnExistingFile) {
  testing::TempDir dir;
  std::string path = dir.file("e.jsonl");
  {
    EventLog first(path, "routewatch", "p1");
    first.emit(1, "start", {{"prefixes", {"198.51.100.0/26"}}});
  }
  {
    EventLog second(path, "routewatch", "p1");
    second.emit(2, "stop", nlohmann::ordered_json::object());
  }
  auto events = testing::read_events(path);
  ASSERT_EQ(events.size(), 2u) << "a reopened log must append, not truncate";
  EXPECT_EQ(events[0]["event"], "start");
  EXPECT_EQ(events[1]["event"], "stop");
}

TEST(EventLogTest, ReplacesInvalidUtf8InsteadOfThrowing) {
  testing::TempDir dir;
  std::string path = dir.file("e.jsonl");
  EventLog log(path, "healthd", "dns1");
  log.emit(5, "check", {{"error", std::string("bad \xff byte")}});
  auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"error\":\"bad \xEF\xBF\xBD byte\""), std::string::npos)
      << "the bad byte becomes U+FFFD, written as UTF-8: " << lines[0];
}

TEST(EventLogTest, ThreadsNeverInterleaveLines) {
  testing::TempDir dir;
  std::string path = dir.file("e.jsonl");
  constexpr int kThreads = 4;
  constexpr int kLinesEach = 200;
  {
    EventLog log(path, "healthd", "dns1");
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&log, t] {
        for (int i = 0; i < kLinesEach; ++i)
          log.emit(i, "check", {{"thread", t}, {"padding", std::string(512, 'x')}});
      });
    }
    for (auto& thread : threads) thread.join();
  }
  auto events = testing::read_events(path);  // throws on a torn line
  EXPECT_EQ(events.size(), size_t{kThreads * kLinesEach});
}

TEST(EventLogTest, NamesThePathItCannotCreate) {
  try {
    EventLog log("/proc/agent-common-test/e.jsonl", "healthd", "dns1");
    FAIL() << "opening an event file under /proc should fail";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/agent-common-test"), std::string::npos) << e.what();
  }
}

TEST(FixedRateScheduleTest, SlotsDoNotDriftAndMissedOnesAreSkipped) {
  Clock::TimePoint start{1h};
  FixedRateSchedule schedule(start, 100ms);
  EXPECT_EQ(schedule.slot_time(), start);
  EXPECT_EQ(schedule.advance(start + 30ms), 0);  // on time: the next slot
  EXPECT_EQ(schedule.slot_time(), start + 100ms);
  EXPECT_EQ(schedule.advance(start + 100ms), 0) << "a slot exactly at now has not passed";
  EXPECT_EQ(schedule.slot_time(), start + 200ms);
  EXPECT_EQ(schedule.advance(start + 450ms), 2) << "slots 300 and 400 ms were missed";
  EXPECT_EQ(schedule.slot(), 5);
  EXPECT_EQ(schedule.slot_time(), start + 500ms);
}

TEST(FixedRateScheduleTest, KeepsNanosecondIntervals) {
  // 3 kHz does not divide a millisecond or a microsecond evenly: 333'333 ns per slot.
  Clock::TimePoint start{};
  FixedRateSchedule schedule(start, 333'333ns);
  for (int i = 0; i < 3000; ++i) schedule.advance(schedule.slot_time());
  EXPECT_EQ(schedule.slot(), 3000);
  EXPECT_EQ(schedule.slot_time() - start, 3000 * 333'333ns);
}

TEST(ClockTest, SystemClockRealtimeIsMicrosecondsOfTheEpoch) {
  SystemClock clock;
  auto before = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  int64_t us = clock.realtime_us();
  auto after = std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  EXPECT_LE(before, us);
  EXPECT_LE(us, after);
}

TEST(FakeClockTest, RealtimeRunsInStepWithSimulatedSteadyTime) {
  testing::FakeClockOf<Clock> clock;
  EXPECT_EQ(clock.now(), clock.start);
  EXPECT_EQ(clock.realtime_us(), testing::FakeClockOf<Clock>::kRealtimeStartUs);
  clock.set(clock.start + 1500ms);
  EXPECT_EQ(clock.realtime_us(), testing::FakeClockOf<Clock>::kRealtimeStartUs + 1'500'000);
  clock.set(clock.start);  // never backwards
  EXPECT_EQ(clock.now(), clock.start + 1500ms);
}

TEST(SocketUtilTest, ErrorTextIsLowerCase) {
  EXPECT_EQ(error_text(ECONNREFUSED), "connection refused");
}

TEST(SocketUtilTest, ParsesDottedIpv4Only) {
  auto sa = ipv4_socket_address("198.51.100.12", 53);
  ASSERT_TRUE(sa.has_value());
  EXPECT_EQ(sa->sin_family, AF_INET);
  EXPECT_EQ(ntohs(sa->sin_port), 53);
  EXPECT_EQ(ntohl(sa->sin_addr.s_addr), 0xC633640Cu);
  EXPECT_FALSE(ipv4_socket_address("2001:db8::1", 53).has_value());
  EXPECT_FALSE(ipv4_socket_address("dns1", 53).has_value());
}

TEST(SocketUtilTest, FdClosesOnceAndMovesOwnership) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    Fd read_end(fds[0]);
    Fd moved = std::move(read_end);
    EXPECT_FALSE(read_end);
    EXPECT_EQ(moved.get(), fds[0]);
  }
  // The read end is closed: writing to the pipe now fails with EPIPE (SIGPIPE ignored here).
  struct sigaction ignore {};
  struct sigaction old {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &old);
  char byte = 1;
  EXPECT_EQ(::write(fds[1], &byte, 1), -1);
  EXPECT_EQ(errno, EPIPE);
  sigaction(SIGPIPE, &old, nullptr);
  ::close(fds[1]);
}

TEST(StopSignalTest, RecordsTheSignalAndWakesThePipe) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  Fd read_end(fds[0]);
  Fd write_end(fds[1]);
  static StopRequest stop;  // the handlers keep pointing at it after the test
  install_stop_handlers(stop, write_end.get());
  ASSERT_EQ(::raise(SIGTERM), 0);  // delivered to this thread before raise() returns
  EXPECT_EQ(stop.signal.load(), SIGTERM);
  EXPECT_EQ(stop.count.load(), 1);
  ASSERT_EQ(::raise(SIGINT), 0);
  EXPECT_EQ(stop.signal.load(), SIGINT);
  EXPECT_EQ(stop.count.load(), 2);
  char bytes[4];
  EXPECT_EQ(::read(read_end.get(), bytes, sizeof bytes), 2) << "one wake-up byte per signal";
  // Leave the process as it was, so a later SIGTERM ends the test binary as usual.
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
}

}  // namespace
}  // namespace blastlab::agent
