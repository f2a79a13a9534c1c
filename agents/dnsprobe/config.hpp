// What one dnsprobe run does, as given on its command line: which servers to ask, how often,
// what to ask, for how long, and where the events go. parse_flags() turns the command line
// into a Config and rejects anything it cannot run, naming the flag, before a single query
// is sent.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace blastlab::dnsprobe {

// A bad command line; main prints what() and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One server to ask, under the name its events carry ("resolver", "anycast").
struct Target {
  std::string name;
  std::string address;  // dotted IPv4
  uint16_t port = 53;

  // "198.51.100.12", or "127.0.0.1:5353" when the port is not 53: the form --target took.
  std::string server() const;
};

struct Config {
  std::string node;
  std::string events;  // JSON-lines file the events are appended to
  std::vector<Target> targets;
  double rate = 10;  // queries per second to each target
  std::chrono::microseconds timeout{1'000'000};
  std::string zone = "example.net";  // without a trailing dot
  // "unique": every query asks a new name under probe.<zone>, so no cache can answer it;
  // otherwise the name to ask, relative to the zone ("www"), or absolute with a trailing dot.
  std::string qname = "unique";
  std::string qtype = "A";
  uint16_t qtype_code = 1;
  bool nsid = false;   // ask for the server's NSID (RFC 5001) through EDNS
  std::string source;  // dotted IPv4 to send from; empty: the kernel chooses
  std::chrono::microseconds duration{3'600'000'000};
  std::optional<uint64_t> count;  // queries per target; the run also ends after `duration`
  bool verbose = false;           // log every query to stderr

  bool unique_names() const { return qname == "unique"; }
  // The fixed name asked when not unique_names(), absolute, without the trailing dot.
  std::string fixed_name() const;
};

// The limits of --rate, --timeout, --duration and --zone are the controller's too
// (contracts/limits.hpp); --count, which it never passes, is dnsprobe's alone.
constexpr uint64_t kMaxCount = 100'000'000;

// The command line as a Config. With --help, writes the help text to `out` and returns
// nullopt. Throws UsageError naming the flag, what is wrong and what is allowed.
std::optional<Config> parse_flags(int argc, const char* const* argv, std::ostream& out);

}  // namespace blastlab::dnsprobe
