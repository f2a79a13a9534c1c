// Show commands sent straight to one FRR daemon's vty socket, the way vtysh itself talks to
// it: each command one NUL-terminated line, each answer the command's output followed by
// three NUL bytes and the command's return code (0 for success). A vtysh run costs a fork,
// an exec and vtysh's own start, which builds the command tree of every daemon (about 60 ms
// of CPU, the same again as the daemon's answer many times over); the socket costs a connect.
// The lab polls every router while it converges, so that difference is most of a ring's
// bring-up CPU outside the daemons. Only show commands go this way: a configuration goes
// through vtysh, which knows which daemons each line is for.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace blastlab::frr {

struct VtyAnswer {
  std::string output;
  int code = 0;  // FRR's CMD_SUCCESS (0), CMD_WARNING (1), CMD_ERR_NO_MATCH (2), ...
};

// Sends the commands one after the other over one connection to the daemon listening at
// socket_path (/var/run/frr/PATHSPACE/DAEMON.vty) and returns their answers in order. On
// a connect, write or read failure, or when the whole exchange outlasts timeout, returns
// nullopt and sets *error (naming the socket).
std::optional<std::vector<VtyAnswer>> vty_socket_run(const std::string& socket_path,
                                                     const std::vector<std::string>& commands,
                                                     std::chrono::milliseconds timeout,
                                                     std::string* error);

}  // namespace blastlab::frr
