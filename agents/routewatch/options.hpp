// What blastlab-routewatch is told on its command line, validated completely before the
// agent opens anything: the node it reports for, the events file, the prefixes to watch and
// how long it may run. parse_command_line reads the flags with CLI11 and hands the texts to
// make_options, so every rule (and its message) is tested without running the binary, and
// the controller's command lines are tested against the very parser main uses.
#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "controller/model/ip.hpp"

namespace blastlab::routewatch {

// Bad input on the command line: main prints it and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Options {
  std::string node;
  std::string events;
  std::vector<model::Ipv4Prefix> prefixes;  // in the order given, no duplicates
  std::chrono::microseconds duration{};     // the agent stops by itself after this long
  int receive_buffer = 0;                   // bytes for the netlink socket; 0: the default
  bool verbose = false;                     // log every reported change to stderr
};

// The flags as given; duration and receive_buffer as text so their errors read like the
// others.
struct Flags {
  std::string node;
  std::string events;
  std::vector<std::string> prefixes;
  std::string duration = "86400s";
  std::string receive_buffer;
  bool verbose = false;
};

// Throws UsageError naming the flag, the value and what is allowed.
Options make_options(const Flags& flags);
// The whole command line, argv[0] first. With --help, writes the help to `out` and returns
// nullopt. Throws UsageError for a flag CLI11 does not take or make_options refuses.
std::optional<Options> parse_command_line(int argc, const char* const* argv, std::ostream& out);

}  // namespace blastlab::routewatch
