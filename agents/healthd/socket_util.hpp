// The BSD socket plumbing healthd's probes share: waiting on a socket against a deadline and
// a non-blocking connect, over the agents' shared Fd, error text and IPv4 address helpers.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "agents/common/socket_util.hpp"

namespace blastlab::healthd {

using SteadyTime = std::chrono::steady_clock::time_point;

using agent::error_text;
using agent::Fd;
using agent::ipv4_socket_address;

// Waits until `fd` has one of `events` or the deadline passes; returns the revents seen, 0 on
// timeout. Interrupted waits are resumed with the time that is left.
short wait_for(int fd, short events, SteadyTime deadline);

// Connects a non-blocking TCP socket to `to` before `deadline`; returns the error text on
// failure ("timeout" when the deadline passed first).
std::optional<std::string> connect_before(int fd, const sockaddr_in& to, SteadyTime deadline);

std::chrono::microseconds since(SteadyTime start);

}  // namespace blastlab::healthd
