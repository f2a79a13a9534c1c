// Validation of the command line: every rule rejects with a message naming the flag, the
// value and what is allowed; good flags come out as typed values.
#include "agents/querywatch/options.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace blastlab::querywatch {
namespace {

Flags good() {
  return {.node = "client1",
          .events = "/tmp/events/querywatch-client1.jsonl",
          .targets = {"198.51.100.12", "198.51.100.13"},
          .duration = "600s"};
}

std::string rejection(const Flags& flags) {
  try {
    make_options(flags);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(OptionsTest, GoodFlags) {
  Flags flags = good();
  flags.interval = "250ms";
  Options o = make_options(flags);
  EXPECT_EQ(o.node, "client1");
  EXPECT_EQ(o.events, "/tmp/events/querywatch-client1.jsonl");
  ASSERT_EQ(o.targets.size(), 2u);
  EXPECT_EQ(o.targets[0].str(), "198.51.100.12");
  EXPECT_EQ(o.targets[1].str(), "198.51.100.13");
  EXPECT_EQ(o.interval, std::chrono::milliseconds(250));
  EXPECT_EQ(o.duration, std::chrono::seconds(600));
}

TEST(OptionsTest, IntervalDefaultsToOneSecond) {
  EXPECT_EQ(make_options(good()).interval, std::chrono::seconds(1));
}

TEST(OptionsTest, TargetsMustBeLabOrLoopbackAddresses) {
  Flags flags = good();
  for (const char* ok :
       {"198.18.0.1", "198.19.255.254", "192.0.2.53", "203.0.113.1", "127.0.0.1", "127.5.5.5"}) {
    flags.targets = {ok};
    EXPECT_EQ(rejection(flags), "accepted") << ok;
  }
  flags.targets = {"8.8.8.8"};
  EXPECT_EQ(rejection(flags),
            "--target 8.8.8.8: outside the lab; give an address in 198.18.0.0/15, 192.0.2.0/24, "
            "198.51.100.0/24, 203.0.113.0/24 or 127.0.0.0/8");
  for (const char* outside : {"198.20.0.1", "10.0.0.53", "192.0.3.1", "0.0.0.0"}) {
    flags.targets = {outside};
    EXPECT_NE(rejection(flags).find("outside the lab"), std::string::npos) << outside;
  }
  flags.targets = {"198.51.100.12/32"};
  EXPECT_EQ(rejection(flags),
            "--target 198.51.100.12/32: not an IPv4 address; give a name server's address, e.g. "
            "198.51.100.12");
  flags.targets = {"ns1.example.net"};
  EXPECT_NE(rejection(flags).find("not an IPv4 address"), std::string::npos);
  flags.targets = {"198.51.100.12", "198.51.100.12"};
  EXPECT_EQ(rejection(flags), "--target 198.51.100.12: given more than once");
  flags.targets = {};
  EXPECT_EQ(rejection(flags),
            "--target: give at least one name-server address to count queries to");
}

TEST(OptionsTest, RejectsEmptyNodeAndEvents) {
  Flags flags = good();
  flags.node = "";
  EXPECT_EQ(rejection(flags), "--node: must not be empty");
  flags = good();
  flags.events = "";
  EXPECT_EQ(rejection(flags), "--events: must not be empty");
}

TEST(OptionsTest, IntervalFrom100msTo60sInWholeMilliseconds) {
  Flags flags = good();
  for (const char* ok : {"100ms", "1s", "1.5s", "60s", "60000ms"}) {
    flags.interval = ok;
    EXPECT_EQ(rejection(flags), "accepted") << ok;
  }
  for (const char* bad : {"99ms", "61s", "0s", "1", "1m", "", "100500us", "fast"}) {
    flags.interval = bad;
    EXPECT_EQ(rejection(flags),
              std::string("--interval ") + bad +
                  ": give a time from 100ms to 60s in whole milliseconds, e.g. 1s")
        << bad;
  }
}

TEST(OptionsTest, DurationIsRequiredAndBounded) {
  Flags flags = good();
  flags.duration = "";
  EXPECT_EQ(rejection(flags), "--duration: give how long to run (us, ms or s), e.g. 600s");
  for (const char* bad : {"0s", "999us", "10", "1h", "-5s", "86401s"}) {
    flags.duration = bad;
    EXPECT_EQ(rejection(flags),
              std::string("--duration ") + bad +
                  ": give a time from 1ms to 86400s with a unit us, ms or s, e.g. 600s")
        << bad;
  }
  flags.duration = "86400s";
  EXPECT_EQ(make_options(flags).duration, std::chrono::hours(24));
}

// The whole command line, as main is given it: CLI11's flags, then make_options' rules (the
// contract tests feed it the controller's command lines).
TEST(OptionsTest, ParsesTheCommandLineMainIsGiven) {
  std::ostringstream out;
  std::vector<const char*> argv = {
      "blastlab-querywatch", "--node",   "client1",       "--events",   "e.jsonl", "--target",
      "198.51.100.12",       "--target", "198.51.100.13", "--duration", "600s",    "-v"};
  auto options = parse_command_line(int(argv.size()), argv.data(), out);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->node, "client1");
  EXPECT_EQ(options->duration, std::chrono::seconds(600));
  EXPECT_TRUE(options->verbose);
  std::vector<const char*> help = {"blastlab-querywatch", "--help"};
  EXPECT_FALSE(parse_command_line(int(help.size()), help.data(), out));
  EXPECT_NE(out.str().find("--duration"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace blastlab::querywatch
