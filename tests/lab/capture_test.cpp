// `blastlab capture` on minimal.yaml's client: a capture of its link to transit1 holds the
// DNS query it sends while the capture runs, and tcpdump reads the file; one of every
// interface, ended by Ctrl-C, is a complete file of Linux cooked packets. Names the lab does
// not have exit 2 and write nothing.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/lab/lab_fixture.hpp"

namespace blastlab::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// The anycast name server, as dig is pointed at it and as tcpdump prints its port 53.
constexpr const char* kNameServer = "198.51.100.12";
constexpr const char* kAskServer = "@198.51.100.12";
constexpr const char* kToServer = "> 198.51.100.12.53:";
constexpr const char* kFromServer = "198.51.100.12.53 >";

class CaptureTest : public LabTest {
 protected:
  void up_lab() {
    lab_ = lab_name("capture");
    auto result = blastlab(
        {"up", source_path("topologies/minimal.yaml"), "--name", lab_, "--timeout", "60s"}, 90s);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  }

  // Waits for the capture to say it has begun (its socket is open); false when it ended or
  // the deadline passed first.
  bool wait_until_capturing(proc::Process& capture, const std::string& log) {
    auto end = std::chrono::steady_clock::now() + 10s;
    while (read_text(log).find("capturing on") == std::string::npos) {
      if (std::chrono::steady_clock::now() >= end || !capture.running()) return false;
      std::this_thread::sleep_for(50ms);
    }
    return true;
  }

  // Asks the anycast name server straight from client1 until it answers, whatever the
  // answer (NXDOMAIN for a name the zone lacks); true when it did before the deadline.
  bool query_until_answered(const std::string& name) {
    auto end = std::chrono::steady_clock::now() + 4s;
    do {
      auto r = in_node(lab_, "client1", {"dig", "+tries=1", "+time=1", kAskServer, name, "A"});
      if (r.exit_code == 0 && r.out.find("status: ") != std::string::npos) return true;
    } while (std::chrono::steady_clock::now() < end);
    return false;
  }

  proc::RunResult tcpdump(const std::string& file) {
    return runner_->run({.argv = {"tcpdump", "-n", "-r", file}}, 10s);
  }

  std::string lab_;
};

TEST_F(CaptureTest, AnInterfaceCaptureHoldsTheClientsQueryAndBadNamesWriteNothing) {
  ASSERT_NO_FATAL_FAILURE(up_lab());
  std::string file = run_dir_ + "/transit1.pcap";
  std::string log = run_dir_ + "/capture.log";
  auto capture =
      start_blastlab({"capture", lab_, "client1:transit1", "-w", file, "--duration", "5s"}, log);
  ASSERT_TRUE(wait_until_capturing(*capture, log)) << read_text(log);
  EXPECT_TRUE(query_until_answered("www.example.net")) << "no answer from " << kNameServer;
  auto code = capture->wait_for(15s);
  ASSERT_TRUE(code) << "the capture ran past its 5s: " << read_text(log);
  EXPECT_EQ(*code, 0) << read_text(log);
  EXPECT_NE(read_text(log).find("Ethernet"), std::string::npos) << read_text(log);

  auto read = tcpdump(file);
  ASSERT_EQ(read.exit_code, 0) << read.out << read.err;
  EXPECT_NE(read.err.find("link-type EN10MB"), std::string::npos) << read.err;
  EXPECT_NE(read.out.find(kToServer), std::string::npos) << read.out;
  EXPECT_NE(read.out.find("A? www.example.net."), std::string::npos) << read.out;

  // Bad names: exit 2, a message naming what is wrong, no file.
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::string bad = run_dir_ + "/bad.pcap";
  const std::vector<Case> cases = {
      {{"capture", lab_, "nosuch", "-w", bad}, "has no node 'nosuch'"},
      {{"capture", lab_, "client1:eth9", "-w", bad}, "no interface eth9 there (it has lo"},
      {{"capture", lab_, "client1:", "-w", bad}, "name an interface after ':'"},
      {{"capture", lab_, "client1", "-w", bad, "--duration", "soon"}, "--duration 'soon'"},
      {{"capture", "nolab", "client1", "-w", bad}, "no lab named 'nolab'"},
      {{"capture", lab_, "client1"}, "-w"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args[2]);
    auto result = blastlab(c.args);
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find(c.message), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(bad));
  }
  for (const auto& entry : fs::directory_iterator(run_dir_))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

TEST_F(CaptureTest, CtrlCEndsACaptureOfEveryInterfaceWithACompleteFile) {
  ASSERT_NO_FATAL_FAILURE(up_lab());
  std::string file = run_dir_ + "/client1.pcap";
  std::string log = run_dir_ + "/capture.log";
  // No bound given: the default 10s, which Ctrl-C cuts short.
  auto capture = start_blastlab({"capture", lab_, "client1", "-w", file}, log);
  ASSERT_TRUE(wait_until_capturing(*capture, log)) << read_text(log);
  EXPECT_NE(read_text(log).find("every interface of client1"), std::string::npos) << read_text(log);
  EXPECT_TRUE(query_until_answered("ctrl-c.example.net"));
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(capture->pid(), SIGINT), 0);
  auto code = capture->wait_for(5s);
  ASSERT_TRUE(code) << "Ctrl-C did not stop the capture: " << read_text(log);
  EXPECT_EQ(*code, 0) << read_text(log);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);

  auto read = tcpdump(file);
  ASSERT_EQ(read.exit_code, 0) << read.out << read.err;
  EXPECT_NE(read.err.find("link-type LINUX_SLL"), std::string::npos) << read.err;
  EXPECT_NE(read.out.find("A? ctrl-c.example.net."), std::string::npos) << read.out;
  // The answer came back in on the same node: both directions are there.
  EXPECT_NE(read.out.find(kFromServer), std::string::npos) << read.out;
}

}  // namespace
}  // namespace blastlab::testing
