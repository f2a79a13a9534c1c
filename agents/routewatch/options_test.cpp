// Validation of the command line: every rule rejects with a message naming the flag, the
// value and what is allowed; good flags come out as typed values.
#include "agents/routewatch/options.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace blastlab::routewatch {
namespace {

Flags good() {
  return {.node = "peer1",
          .events = "/tmp/events/routewatch-peer1.jsonl",
          .prefixes = {"198.51.100.0/26", "203.0.113.0/24"}};
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
  flags.duration = "90s";
  flags.receive_buffer = "8192";
  Options o = make_options(flags);
  EXPECT_EQ(o.node, "peer1");
  EXPECT_EQ(o.events, "/tmp/events/routewatch-peer1.jsonl");
  ASSERT_EQ(o.prefixes.size(), 2u);
  EXPECT_EQ(o.prefixes[0].str(), "198.51.100.0/26");
  EXPECT_EQ(o.prefixes[1].str(), "203.0.113.0/24");
  EXPECT_EQ(o.duration, std::chrono::seconds(90));
  EXPECT_EQ(o.receive_buffer, 8192);
}

TEST(OptionsTest, DefaultsToADayAndTheDefaultBuffer) {
  Options o = make_options(good());
  EXPECT_EQ(o.duration, std::chrono::hours(24));
  EXPECT_EQ(o.receive_buffer, 0);
}

TEST(OptionsTest, RejectsBadPrefixes) {
  Flags flags = good();
  flags.prefixes = {"198.51.100.0"};
  EXPECT_EQ(rejection(flags),
            "--prefix 198.51.100.0: not an IPv4 prefix; give a network and length, e.g. "
            "198.51.100.0/26");
  flags.prefixes = {"198.51.100.0/33"};
  EXPECT_NE(rejection(flags).find("not an IPv4 prefix"), std::string::npos);
  flags.prefixes = {"2001:db8::/32"};
  EXPECT_NE(rejection(flags).find("not an IPv4 prefix"), std::string::npos);
  flags.prefixes = {"198.51.100.1/26"};
  EXPECT_EQ(rejection(flags),
            "--prefix 198.51.100.1/26: host bits are set; give the network address "
            "198.51.100.0/26");
  flags.prefixes = {"198.51.100.0/26", "198.51.100.0/26"};
  EXPECT_EQ(rejection(flags), "--prefix 198.51.100.0/26: given more than once");
  flags.prefixes = {};
  EXPECT_EQ(rejection(flags), "--prefix: give at least one prefix to watch");
}

TEST(OptionsTest, RejectsEmptyNodeAndEvents) {
  Flags flags = good();
  flags.node = "";
  EXPECT_EQ(rejection(flags), "--node: must not be empty");
  flags = good();
  flags.events = "";
  EXPECT_EQ(rejection(flags), "--events: must not be empty");
}

TEST(OptionsTest, RejectsBadDurationAndBuffer) {
  Flags flags = good();
  for (const char* bad : {"0s", "999us", "10", "1h", "-5s", "", "86401s"}) {
    flags.duration = bad;
    EXPECT_EQ(rejection(flags),
              std::string("--duration ") + bad +
                  ": give a time from 1ms to 86400s with a unit us, ms or s, e.g. 600s");
  }
  flags = good();
  for (const char* bad : {"1k", "100", "999999999999"}) {
    flags.receive_buffer = bad;
    EXPECT_NE(rejection(flags).find(std::string("--receive-buffer ") + bad + ": give a whole"),
              std::string::npos)
        << bad;
  }
}

// The whole command line, as main is given it: CLI11's flags, then make_options' rules (the
// contract tests feed it the controller's command lines).
TEST(OptionsTest, ParsesTheCommandLineMainIsGiven) {
  std::ostringstream out;
  std::vector<const char*> argv = {
      "blastlab-routewatch", "--node",     "transit1", "--events", "e.jsonl", "--prefix",
      "198.51.100.0/26",     "--duration", "600s",     "-v"};
  auto options = parse_command_line(int(argv.size()), argv.data(), out);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->node, "transit1");
  EXPECT_EQ(options->duration, std::chrono::seconds(600));
  EXPECT_TRUE(options->verbose);
  std::vector<const char*> help = {"blastlab-routewatch", "--help"};
  EXPECT_FALSE(parse_command_line(int(help.size()), help.data(), out));
  EXPECT_NE(out.str().find("--duration"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace blastlab::routewatch
