// What one reachprobe run does, as given on its command line: which addresses to probe, by
// ICMP echo or by TCP connect, how often, how long each probe waits, for how long, and where
// the events go. parse_flags() turns the command line into a Config and rejects anything it
// cannot run, naming the flag, before a single probe is sent.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace blastlab::reachprobe {

// A bad command line; main prints what() and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Proto { kIcmp, kTcp };
const char* to_string(Proto proto);  // "icmp", "tcp"

// One destination, under the name its events carry (a node name, or the address itself).
struct Target {
  std::string name;
  Proto proto = Proto::kIcmp;
  std::string address;  // dotted IPv4, inside the lab's ranges
  uint16_t port = 0;    // tcp only

  // "icmp:h2=198.18.0.2", "tcp:web=203.0.113.7:80": the form --target took.
  std::string text() const;
};

struct Config {
  std::string node;
  std::string events;  // JSON-lines file the events are appended to
  std::vector<Target> targets;
  double rate = 5;  // probes per second to each target
  std::chrono::microseconds timeout{500'000};
  std::chrono::microseconds duration{3'600'000'000};
  bool verbose = false;  // log every probe to stderr
};

// The command line as a Config. With --help, writes the help text to `out` and returns
// nullopt. Throws UsageError naming the flag, what is wrong and what is allowed. The limits
// of --rate, --timeout, --duration and the number of targets are the controller's too
// (contracts/limits.hpp).
std::optional<Config> parse_flags(int argc, const char* const* argv, std::ostream& out);

}  // namespace blastlab::reachprobe
