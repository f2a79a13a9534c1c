// The command line: defaults, every flag's accepted forms, and the message for each kind of
// bad value.
#include "agents/dnsprobe/config.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace blastlab::dnsprobe {
namespace {

using namespace std::chrono_literals;

std::optional<Config> parse(std::vector<std::string> args, std::ostream* out = nullptr) {
  args.insert(args.begin(), "blastlab-dnsprobe");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream sink;
  return parse_flags(static_cast<int>(argv.size()), argv.data(), out ? *out : sink);
}

std::vector<std::string> minimal(std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"--node",       "c1",       "--events",
                                   "/tmp/e.jsonl", "--target", "resolver=127.0.0.1"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string error_for(std::vector<std::string> args) {
  try {
    parse(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(DnsprobeConfigTest, Defaults) {
  Config c = *parse(minimal());
  EXPECT_EQ(c.node, "c1");
  EXPECT_EQ(c.events, "/tmp/e.jsonl");
  ASSERT_EQ(c.targets.size(), 1u);
  EXPECT_EQ(c.targets[0].name, "resolver");
  EXPECT_EQ(c.targets[0].address, "127.0.0.1");
  EXPECT_EQ(c.targets[0].port, 53);
  EXPECT_EQ(c.targets[0].server(), "127.0.0.1");
  EXPECT_EQ(c.rate, 10);
  EXPECT_EQ(c.timeout, 1s);
  EXPECT_EQ(c.zone, "example.net");
  EXPECT_TRUE(c.unique_names());
  EXPECT_EQ(c.qtype_code, 1);
  EXPECT_FALSE(c.nsid);
  EXPECT_EQ(c.source, "");
  EXPECT_EQ(c.duration, 3600s);
  EXPECT_FALSE(c.count);
}

TEST(DnsprobeConfigTest, EveryFlag) {
  Config c =
      *parse(minimal({"--target", "anycast=198.51.100.12:5353", "--rate", "0.5", "--timeout",
                      "500ms", "--zone", "lab.example.", "--qname", "www", "--qtype", "aaaa",
                      "--nsid", "--source", "203.0.113.9", "--duration", "2h", "--count", "100"}));
  ASSERT_EQ(c.targets.size(), 2u);
  EXPECT_EQ(c.targets[1].name, "anycast");
  EXPECT_EQ(c.targets[1].port, 5353);
  EXPECT_EQ(c.targets[1].server(), "198.51.100.12:5353");
  EXPECT_EQ(c.rate, 0.5);
  EXPECT_EQ(c.timeout, 500ms);
  EXPECT_EQ(c.zone, "lab.example");
  EXPECT_EQ(c.fixed_name(), "www.lab.example");
  EXPECT_EQ(c.qtype, "AAAA");
  EXPECT_EQ(c.qtype_code, 28);
  EXPECT_TRUE(c.nsid);
  EXPECT_EQ(c.source, "203.0.113.9");
  EXPECT_EQ(c.duration, 2h);
  EXPECT_EQ(c.count, 100u);
}

TEST(DnsprobeConfigTest, DurationForms) {
  EXPECT_EQ(parse(minimal({"--duration", "90s"}))->duration, 90s);
  EXPECT_EQ(parse(minimal({"--duration", "30m"}))->duration, 30min);
  EXPECT_EQ(parse(minimal({"--duration", "1.5h"}))->duration, 90min);
  EXPECT_EQ(parse(minimal({"--duration", "24h"}))->duration, 24h);
  EXPECT_EQ(parse(minimal({"--timeout", "2s"}))->timeout, 2s);
}

TEST(DnsprobeConfigTest, AbsoluteQname) {
  EXPECT_EQ(parse(minimal({"--qname", "ns1.other.example."}))->fixed_name(), "ns1.other.example");
}

TEST(DnsprobeConfigTest, HelpReturnsNothing) {
  std::ostringstream out;
  EXPECT_FALSE(parse({"--help"}, &out));
  EXPECT_NE(out.str().find("--target"), std::string::npos);
}

TEST(DnsprobeConfigTest, BadValuesNameTheFlagAndWhatIsAllowed) {
  EXPECT_EQ(error_for({"--events", "e", "--target", "r=127.0.0.1"}), "--node is required");
  EXPECT_EQ(error_for({"--node", "c1", "--events", "e"}), "--target is required");
  EXPECT_EQ(error_for(minimal({"--target", "anycast"})),
            "--target: 'anycast' has no '='; give NAME=ADDRESS[:PORT], e.g. anycast=198.51.100.12");
  EXPECT_EQ(error_for(minimal({"--target", "any cast=192.0.2.1"})),
            "--target: 'any cast=192.0.2.1': the name must be lower-case letters, digits, '-' or "
            "'_'; give NAME=ADDRESS[:PORT], e.g. anycast=198.51.100.12");
  EXPECT_EQ(error_for(minimal({"--target", "a=example.net"})),
            "--target: 'example.net' is not an IPv4 address; give a dotted quad");
  EXPECT_EQ(error_for(minimal({"--target", "a=8.8.8.8"})),
            "--target: 8.8.8.8 is outside the lab; give an address in 127.0.0.0/8, "
            "198.18.0.0/15, 192.0.2.0/24, 198.51.100.0/24 or 203.0.113.0/24");
  EXPECT_EQ(error_for(minimal({"--target", "a=192.0.2.1:0"})),
            "--target: 'a=192.0.2.1:0': the port must be a number from 1 to 65535");
  EXPECT_EQ(error_for(minimal({"--target", "resolver=192.0.2.1"})),
            "--target: 'resolver' is given twice; every target needs its own name");
  EXPECT_EQ(error_for(minimal({"--rate", "fast"})),
            "--rate: 'fast' is not a number; give queries per second per target, from 0.01 to "
            "1000");
  EXPECT_EQ(error_for(minimal({"--rate", "1001"})),
            "--rate: 1001 is out of range; give queries per second per target, from 0.01 to 1000");
  EXPECT_EQ(error_for(minimal({"--rate", "0"})),
            "--rate: 0 is out of range; give queries per second per target, from 0.01 to 1000");
  EXPECT_EQ(error_for(minimal({"--timeout", "1"})),
            "--timeout: '1' is not a duration; give a number and a unit (us, ms, s, m, h), from "
            "1ms to 60s");
  EXPECT_EQ(error_for(minimal({"--timeout", "2m"})),
            "--timeout: 2m is out of range; give 1ms to 60s");
  EXPECT_EQ(error_for(minimal({"--duration", "25h"})),
            "--duration: 25h is out of range; give 1ms to 86400s");
  EXPECT_EQ(error_for(minimal({"--count", "0"})),
            "--count: '0' is not a whole number from 1 to 100000000");
  EXPECT_EQ(error_for(minimal({"--count", "-3"})),
            "--count: '-3' is not a whole number from 1 to 100000000");
  EXPECT_EQ(error_for(minimal({"--zone", "a..b"})),
            "--zone: 'a..b' is not a domain name of at most 200 characters");
  EXPECT_EQ(error_for(minimal({"--qname", std::string(70, 'w')})),
            "--qname: '" + std::string(70, 'w') +
                "' does not make a domain name with zone example.net; give 'unique' or a name "
                "like www");
  EXPECT_EQ(error_for(minimal({"--qtype", "BOGUS"})),
            "--qtype: unknown record type 'BOGUS'; give A, AAAA, TXT, SOA, ...");
  EXPECT_EQ(error_for(minimal({"--source", "10.0.0.1"})),
            "--source: 10.0.0.1 is outside the lab; give an address in 127.0.0.0/8, "
            "198.18.0.0/15, 192.0.2.0/24, 198.51.100.0/24 or 203.0.113.0/24");
  EXPECT_EQ(error_for(minimal({"--bogus"})), "The following argument was not expected: --bogus");
}

}  // namespace
}  // namespace blastlab::dnsprobe
