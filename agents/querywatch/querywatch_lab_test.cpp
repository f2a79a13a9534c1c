// blastlab-querywatch against the real kernel (root): two network namespaces (qwtest-PID-a,
// qwtest-PID-b) joined by a veth pair with 198.18.0.0/29 addresses, the real binary in the
// first. The test sends a fixed number of datagrams and connection attempts from sockets it
// opens inside the namespaces and checks the agent's counts exactly: only queries to a
// target, to port 53, leaving by a non-loopback interface count. Waits poll the events file
// with a deadline and say what they saw; TearDown kills the agent by pid and deletes both
// namespaces whatever happened.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "agents/common/test_support.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::querywatch {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

constexpr const char* kTarget = "198.18.0.2";     // b's first address: counted
constexpr const char* kNonTarget = "198.18.0.3";  // b's second address: not a target
constexpr const char* kAgentSide = "198.18.0.1";  // a's address

class QuerywatchLabTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) {
      if (in_ci()) FAIL() << "lab tests need root; under CI=true a skipped lab test is a failure";
      GTEST_SKIP() << "querywatch lab tests need root (network namespaces, packet sockets)";
    }
    runner_ = proc::make_process_runner();
    std::string prefix = "qwtest-" + std::to_string(::getpid());
    ns_a_ = prefix + "-a";
    ns_b_ = prefix + "-b";
    events_ = dir_.file("events/querywatch-client1.jsonl");
    for (std::string* ns : {&ns_a_, &ns_b_}) {
      ASSERT_EQ(run({"ip", "netns", "add", *ns}).exit_code, 0) << "could not create " << *ns;
      created_.push_back(*ns);
    }
    ip(ns_a_, {"link", "set", "lo", "up"});
    ip(ns_a_, {"link", "add", "qa", "type", "veth", "peer", "name", "qb", "netns", ns_b_});
    ip(ns_a_, {"addr", "add", std::string(kAgentSide) + "/29", "dev", "qa"});
    ip(ns_b_, {"addr", "add", std::string(kTarget) + "/29", "dev", "qb"});
    ip(ns_b_, {"addr", "add", std::string(kNonTarget) + "/29", "dev", "qb"});
    ip(ns_a_, {"link", "set", "qa", "up"});
    ip(ns_b_, {"link", "set", "qb", "up"});
  }

  void TearDown() override {
    if (agent_ && agent_->running()) {
      ::kill(agent_->pid(), SIGKILL);
      agent_->wait_for(5s);
    }
    agent_.reset();
    for (const std::string& ns : created_) {
      auto r = run({"ip", "netns", "del", ns});
      EXPECT_EQ(r.exit_code, 0) << "could not delete namespace " << ns << ": " << r.err;
    }
  }

  proc::RunResult run(const std::vector<std::string>& argv) {
    return runner_->run({.argv = argv}, 10s);
  }

  // `ip -n NS ARGS...`, which must succeed.
  void ip(const std::string& ns, std::vector<std::string> args) {
    args.insert(args.begin(), {"ip", "-n", ns});
    auto r = run(args);
    ASSERT_EQ(r.exit_code, 0) << proc::describe({.argv = args}) << ": " << r.err;
  }

  // A socket of `type` that lives in namespace `ns`: made by a thread that entered it (a
  // socket stays in the namespace it was made in), so the test process itself stays put.
  static int socket_in(const std::string& ns, int type) {
    int fd = -1;
    std::string error;
    std::thread maker([&] {
      int ns_fd = ::open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
      if (ns_fd < 0 || ::setns(ns_fd, CLONE_NEWNET) != 0) {
        error = "enter " + ns + ": " + std::strerror(errno);
      } else {
        fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
        if (fd < 0) error = std::string("socket: ") + std::strerror(errno);
      }
      if (ns_fd >= 0) ::close(ns_fd);
    });
    maker.join();
    EXPECT_GE(fd, 0) << error;
    return fd;
  }

  static sockaddr_in address(const char* ip, uint16_t port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    ::inet_pton(AF_INET, ip, &sa.sin_addr);
    return sa;
  }

  // Sends `count` one-byte UDP datagrams from namespace `ns` to ip:port, from one
  // unconnected socket (so ICMP errors coming back cannot fail a later send).
  static void send_udp(const std::string& ns, const char* ip, uint16_t port, int count) {
    int fd = socket_in(ns, SOCK_DGRAM);
    ASSERT_GE(fd, 0);
    sockaddr_in to = address(ip, port);
    for (int i = 0; i < count; ++i) {
      ssize_t n = ::sendto(fd, "q", 1, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
      EXPECT_EQ(n, 1) << "send to " << ip << ":" << port << ": " << std::strerror(errno);
    }
    ::close(fd);
  }

  // One TCP connection attempt from namespace `ns` to ip:53; nothing listens there, so it
  // is one SYN answered by a reset.
  static void connect_tcp(const std::string& ns, const char* ip) {
    int fd = socket_in(ns, SOCK_STREAM);
    ASSERT_GE(fd, 0);
    sockaddr_in to = address(ip, 53);
    int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    EXPECT_TRUE(rc != 0 && errno == ECONNREFUSED)
        << "connect to " << ip << ":53 should be refused, got rc " << rc << ": "
        << std::strerror(errno);
    ::close(fd);
  }

  void start_agent() {
    agent_ = runner_->start(
        {.argv = {QUERYWATCH_BINARY, "--node", "client1", "--events", events_, "--target", kTarget,
                  "--target", "127.0.0.1", "--interval", "200ms", "--duration", "60s", "--verbose"},
         .netns = ns_a_,
         .stderr_path = dir_.file("stderr")});
  }

  std::vector<json> events() {
    std::vector<json> out;
    std::ifstream in(events_);
    for (std::string line; std::getline(in, line);) {
      // A line being written may be incomplete; the next poll sees it whole.
      if (!line.empty() && line.back() == '}') out.push_back(json::parse(line));
    }
    return out;
  }

  // Polls the events file until `done` holds for what it holds; fails naming `what` and
  // showing the events and the agent's stderr when 10 s pass first.
  bool wait_until(const std::string& what,
                  const std::function<bool(const std::vector<json>&)>& done) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    std::vector<json> seen;
    while (std::chrono::steady_clock::now() < deadline) {
      seen = events();
      if (done(seen)) return true;
      std::this_thread::sleep_for(20ms);
    }
    std::ifstream err(dir_.file("stderr"));
    std::string stderr_text((std::istreambuf_iterator<char>(err)), {});
    ADD_FAILURE() << "waited 10 s for " << what << "; events seen:\n"
                  << json(seen).dump(1) << "\nagent stderr:\n"
                  << stderr_text;
    return false;
  }

  static int64_t sum(const std::vector<json>& events, const char* field) {
    int64_t total = 0;
    for (const json& e : events) {
      if (e.value("event", "") == "queries") total += e.value(field, int64_t{0});
    }
    return total;
  }

  agent::testing::TempDir dir_;
  std::unique_ptr<proc::ProcessRunner> runner_;
  std::unique_ptr<proc::Process> agent_;
  std::string ns_a_;
  std::string ns_b_;
  std::vector<std::string> created_;
  std::string events_;
};

TEST_F(QuerywatchLabTest, CountsExactlyTheQueriesThatLeaveForATarget) {
  start_agent();
  ASSERT_TRUE(wait_until("the start event", [](const std::vector<json>& seen) {
    return !seen.empty() && seen.front().value("event", "") == "start";
  }));
  // What must not count first: the socket's queue is in order, so once the counted ones are
  // seen, these have been looked at too.
  send_udp(ns_a_, kNonTarget, 53, 5);   // not a target
  send_udp(ns_a_, kTarget, 5353, 5);    // a target, another port
  send_udp(ns_a_, "127.0.0.1", 53, 5);  // a target, but over loopback
  send_udp(ns_b_, kAgentSide, 53, 5);   // arriving at the agent's namespace, not leaving it
  send_udp(ns_a_, kTarget, 53, 20);
  for (int i = 0; i < 3; ++i) connect_tcp(ns_a_, kTarget);
  ASSERT_TRUE(wait_until("20 udp and 3 tcp queries counted", [](const std::vector<json>& seen) {
    return sum(seen, "udp") >= 20 && sum(seen, "tcp") >= 3;
  }));

  ASSERT_EQ(::kill(agent_->pid(), SIGTERM), 0);
  EXPECT_EQ(agent_->wait_for(5s), 0) << "querywatch did not exit 0 within 5 s of SIGTERM";
  std::vector<json> all = events();
  ASSERT_GE(all.size(), 3u);
  EXPECT_EQ(all.front()["targets"], json({kTarget, "127.0.0.1"}));
  EXPECT_EQ(all.front()["interval_ms"], 200);
  const json& stop = all.back();
  EXPECT_EQ(stop["event"], "stop");
  EXPECT_EQ(stop["signal"], "SIGTERM");
  EXPECT_EQ(stop["udp_total"], 20) << stop;
  EXPECT_EQ(stop["tcp_total"], 3) << stop;
  EXPECT_EQ(stop["drops"], 0) << stop;
  int64_t to_target = 0, over_loopback = 0;
  for (const json& e : all) {
    EXPECT_EQ(e["agent"], "querywatch");
    EXPECT_EQ(e["node"], "client1");
    if (e["event"] != "queries") continue;
    EXPECT_EQ(e["by_target"].size(), 2u) << e;
    to_target += e["by_target"].value(kTarget, int64_t{0});
    over_loopback += e["by_target"].value("127.0.0.1", int64_t{0});
    // 200 ms apart on the schedule, the last one cut short by the signal.
    EXPECT_LE(e["interval_ms"].get<int64_t>(), 400) << e;
  }
  EXPECT_EQ(to_target, 23);
  EXPECT_EQ(over_loopback, 0);
  EXPECT_EQ(sum(all, "udp"), 20);
  EXPECT_EQ(sum(all, "tcp"), 3);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LE(all[i - 1]["ts"], all[i]["ts"]) << all[i];
}

}  // namespace
}  // namespace blastlab::querywatch
