// compute_metrics() on the DNS probes' queries: ordered by send time whatever order
// dnsprobe wrote them in, nearest-rank latency percentiles, failures split by kind.
#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "controller/measure/metrics.hpp"
#include "controller/measure/metrics_test_support.hpp"

namespace blastlab::measure {
namespace {

using namespace testing;

TEST(MetricsTest, DnsprobeWrittenInAnswerOrderIsMeasuredBySendTime) {
  // dnsprobe writes a query's line when its answer or timeout arrives: a query that timed
  // out after 1 s is written after the ten answered queries sent behind it.
  Timeline t;
  t.run(0, "start").step(1, 0, "vtysh", "start");
  std::vector<std::pair<int64_t, int64_t>> sent_and_written;  // ms
  for (int64_t ms = 0; ms < 6000; ms += 100) {
    bool fails = ms >= 2000 && ms < 3000;
    sent_and_written.push_back({ms, ms + (fails ? 1000 : 2)});
  }
  std::stable_sort(sent_and_written.begin(), sent_and_written.end(),
                   [](auto a, auto b) { return a.second < b.second; });
  for (auto [sent, written] : sent_and_written) {
    t.query("client1", "resolver", sent, sent >= 2000 && sent < 3000 ? "timeout" : "ok");
  }
  t.run(6, "end", {{"cut_short", false}});
  ASSERT_FALSE(std::is_sorted(t.events.begin(), t.events.end(),
                              [](const Event& a, const Event& b) { return a.ts < b.ts; }));
  RunContext context = two_site_context();
  context.clients = {"client1"};
  Metrics m = compute_metrics(context, t.events);
  const ClientTargetMetrics& c = client(m, "client1", "resolver");
  ASSERT_EQ(c.outages.size(), 1u) << "answer order would split the outage";
  expect_window(c.outages[0], 2, 3, 1);
  expect_seconds(c.outage_start_after_change_s, 1, "outage start");
}

TEST(MetricsTest, LatencyPercentilesAreNearestRankOfAnsweredQueries) {
  Timeline t;
  t.run(0, "start");
  // 100 answers with latencies 1..100 ms, and failures that carry no latency.
  for (int64_t i = 1; i <= 100; ++i) t.query("client1", "resolver", i * 10, "ok", i * 1000);
  for (int64_t i = 1; i <= 20; ++i) t.query("client1", "resolver", 2000 + i * 10, "timeout");
  // 10 answers, 1..10 ms: p50 is the 5th, p95 and p99 the 10th.
  for (int64_t i = 1; i <= 10; ++i) t.query("client2", "resolver", i * 10, "ok", (11 - i) * 1000);
  t.run(3, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(two_site_context(), t.events);
  const ClientTargetMetrics& c1 = client(m, "client1", "resolver");
  expect_seconds(c1.latency_p50_ms, 50, "p50");
  expect_seconds(c1.latency_p95_ms, 95, "p95");
  expect_seconds(c1.latency_p99_ms, 99, "p99");
  EXPECT_EQ(c1.failures.timeout, 20);
  const ClientTargetMetrics& c2 = client(m, "client2", "resolver");
  expect_seconds(c2.latency_p50_ms, 5, "p50 of 10");
  expect_seconds(c2.latency_p95_ms, 10, "p95 of 10");
  expect_seconds(c2.latency_p99_ms, 10, "p99 of 10");
  EXPECT_FALSE(client(m, "client1", "anycast").latency_p50_ms) << "no answer, no latency";
  EXPECT_NEAR(scalar_metrics(m).values.at("dns.latency_p95_ms"), 95, kEps)
      << "the worst client's p95";
}

TEST(MetricsTest, FailuresAreSplitByKind) {
  Timeline t;
  t.run(0, "start");
  int64_t ms = 0;
  for (const char* result : {"servfail", "timeout", "timeout", "unreachable", "nxdomain", "refused",
                             "rcode", "error", "ok"}) {
    t.query("client1", "resolver", ms += 100, result);
  }
  t.run(1, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(two_site_context(), t.events);
  const ClientTargetMetrics& c = client(m, "client1", "resolver");
  EXPECT_EQ(c.failures.servfail, 1);
  EXPECT_EQ(c.failures.timeout, 2);
  EXPECT_EQ(c.failures.unreachable, 1);
  EXPECT_EQ(c.failures.other, 4);
  EXPECT_EQ(c.ok, 1);
  ASSERT_EQ(c.outages.size(), 1u);
  expect_window(c.outages[0], 0.1, 0.9, 0.8);
}

}  // namespace
}  // namespace blastlab::measure
