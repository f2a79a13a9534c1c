#include "agents/reachprobe/config.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace blastlab::reachprobe {
namespace {

std::optional<Config> parse(std::vector<std::string> args) {
  std::vector<std::string> argv = {"blastlab-reachprobe", "--node", "h1", "--events", "/tmp/e"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<const char*> raw;
  for (const auto& a : argv) raw.push_back(a.c_str());
  std::ostringstream out;
  return parse_flags(int(raw.size()), raw.data(), out);
}

std::string refusal(std::vector<std::string> args) {
  try {
    parse(std::move(args));
  } catch (const UsageError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(ReachprobeConfigTest, ReadsIcmpAndTcpTargetsWithRateTimeoutAndDuration) {
  auto config = parse({"--target", "icmp:h2=198.18.0.2", "--target", "tcp:web=203.0.113.7:80",
                       "--rate", "2.5", "--timeout", "250ms", "--duration", "90s"});
  ASSERT_TRUE(config);
  ASSERT_EQ(config->targets.size(), 2u);
  EXPECT_EQ(config->targets[0].proto, Proto::kIcmp);
  EXPECT_EQ(config->targets[0].name, "h2");
  EXPECT_EQ(config->targets[0].address, "198.18.0.2");
  EXPECT_EQ(config->targets[1].proto, Proto::kTcp);
  EXPECT_EQ(config->targets[1].port, 80);
  EXPECT_EQ(config->targets[1].text(), "tcp:web=203.0.113.7:80");
  EXPECT_EQ(config->rate, 2.5);
  EXPECT_EQ(config->timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(config->duration, std::chrono::seconds(90));
}

TEST(ReachprobeConfigTest, RefusesWhatItCannotRunNamingTheFlag) {
  const std::string t = "icmp:h2=198.18.0.2";
  EXPECT_NE(refusal({"--target", "h2=198.18.0.2"}).find("names no protocol"), std::string::npos);
  EXPECT_NE(refusal({"--target", "icmp:h2=8.8.8.8"}).find("outside the lab"), std::string::npos);
  EXPECT_NE(refusal({"--target", "tcp:w=203.0.113.7"}).find("needs a port"), std::string::npos);
  EXPECT_NE(refusal({"--target", "tcp:w=203.0.113.7:0"}).find("from 1 to 65535"),
            std::string::npos);
  EXPECT_NE(refusal({"--target", "icmp:h2=198.18.0.2:80"}).find("has no port"), std::string::npos);
  EXPECT_NE(refusal({"--target", "icmp:H2=198.18.0.2"}).find("lower-case"), std::string::npos);
  EXPECT_NE(refusal({"--target", t, "--target", t}).find("given twice"), std::string::npos);
  EXPECT_NE(refusal({"--target", t, "--rate", "100.5"}).find("--rate: 100.5 is out of range"),
            std::string::npos);
  EXPECT_NE(refusal({"--target", t, "--rate", "0.009"}).find("out of range"), std::string::npos);
  EXPECT_NE(refusal({"--target", t, "--timeout", "10001ms"}).find("--timeout"), std::string::npos);
  EXPECT_NE(refusal({"--target", t, "--duration", "86401s"}).find("--duration"), std::string::npos);
  std::vector<std::string> many;
  for (int i = 0; i < 65; ++i)
    many.insert(many.end(), {"--target", "icmp:n" + std::to_string(i) + "=198.18.0.2"});
  EXPECT_NE(refusal(many).find("at most 64"), std::string::npos);
  // The same name by two protocols is two pairs.
  EXPECT_EQ(refusal({"--target", t, "--target", "tcp:h2=198.18.0.2:22"}), "accepted");
}

}  // namespace
}  // namespace blastlab::reachprobe
