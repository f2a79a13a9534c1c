#include "controller/frr/vty_socket.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

namespace blastlab::frr {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A daemon's vty socket, played by a thread: it reads NUL-terminated commands and answers
// each through `answer` (the bytes to send back, terminator included, as FRR sends them).
class FakeDaemon {
 public:
  explicit FakeDaemon(std::function<std::string(const std::string&)> answer)
      : answer_(std::move(answer)) {
    char dir_template[] = "/tmp/vty-socket-test-XXXXXX";
    dir_ = ::mkdtemp(dir_template);
    path_ = dir_ + "/bgpd.vty";
    listener_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, path_.c_str());
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    EXPECT_EQ(::listen(listener_, 1), 0);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeDaemon() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
    fs::remove_all(dir_);
  }
  const std::string& path() const { return path_; }

 private:
  void serve() {
    int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    std::string pending;
    char buffer[256];
    for (;;) {
      size_t end = pending.find('\0');
      if (end != std::string::npos) {
        std::string reply = answer_(pending.substr(0, end));
        pending.erase(0, end + 1);
        if (reply == "close") break;
        if (!reply.empty() && ::write(fd, reply.data(), reply.size()) < 0) break;
        continue;
      }
      ssize_t n = ::read(fd, buffer, sizeof(buffer));
      if (n <= 0) break;
      pending.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
  }

  std::function<std::string(const std::string&)> answer_;
  std::string dir_, path_;
  int listener_ = -1;
  std::thread thread_;
};

std::string terminated(const std::string& output, char code) {
  return output + std::string(3, '\0') + std::string(1, code);
}

TEST(VtySocket, SendsEachCommandAndReadsItsAnswerOverOneConnection) {
  FakeDaemon daemon([](const std::string& command) {
    // A long answer, as `show ip route json` of a big table is, comes in many reads.
    if (command == "show big") return terminated(std::string(200000, 'x'), 0);
    return terminated("{\"said\": \"" + command + "\"}\n", 0);
  });
  std::string error;
  auto answers = vty_socket_run(daemon.path(), {"show bgp summary json", "show big"}, 5s, &error);
  ASSERT_TRUE(answers) << error;
  ASSERT_EQ(answers->size(), 2u);
  EXPECT_EQ((*answers)[0].output, "{\"said\": \"show bgp summary json\"}\n");
  EXPECT_EQ((*answers)[0].code, 0);
  EXPECT_EQ((*answers)[1].output.size(), 200000u);
}

TEST(VtySocket, ReturnsTheCommandsCodeWithItsWords) {
  FakeDaemon daemon(
      [](const std::string&) { return terminated("% Unknown command: show x\n", 2); });
  std::string error;
  auto answers = vty_socket_run(daemon.path(), {"show x"}, 5s, &error);
  ASSERT_TRUE(answers) << error;
  EXPECT_EQ((*answers)[0].code, 2);
  EXPECT_EQ((*answers)[0].output, "% Unknown command: show x\n");
}

TEST(VtySocket, ADaemonThatHangsUpOrNeverAnswersIsAnErrorNamingTheSocket) {
  {
    FakeDaemon daemon([](const std::string&) { return std::string("close"); });
    std::string error;
    EXPECT_FALSE(vty_socket_run(daemon.path(), {"show version"}, 5s, &error));
    EXPECT_NE(error.find(daemon.path()), std::string::npos) << error;
    EXPECT_NE(error.find("closed the connection"), std::string::npos) << error;
  }
  {
    FakeDaemon daemon([](const std::string&) { return std::string("no terminator"); });
    std::string error;
    auto started = std::chrono::steady_clock::now();
    EXPECT_FALSE(vty_socket_run(daemon.path(), {"show version"}, 200ms, &error));
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    EXPECT_NE(error.find("timed out"), std::string::npos) << error;
  }
}

TEST(VtySocket, NoDaemonListeningIsAnErrorNamingTheSocket) {
  std::string error;
  EXPECT_FALSE(vty_socket_run("/nonexistent/bgpd.vty", {"show version"}, 1s, &error));
  EXPECT_NE(error.find("/nonexistent/bgpd.vty: connect: No such file"), std::string::npos) << error;
}

}  // namespace
}  // namespace blastlab::frr
