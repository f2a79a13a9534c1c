// What the CLI's command files share: the lab manager over the real fabric, the run
// directory, the root check and the default report directory.
#pragma once

#include <memory>
#include <string>

#include "controller/lab/lab.hpp"
#include "controller/netns/netlink.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::cli {

// LabError(3) naming the command when not run as root.
void require_root(const char* what);

// BLASTLAB_RUN_DIR moves the labs' records elsewhere: tests use it so that `down --all`
// sees only their own labs. It is trusted as the command line is: it is the invoking root
// user's own environment (README, "Environment").
std::string run_dir();

// runs/NAME-YYYYMMDD-HHMMSS, in local time.
std::string default_out(const std::string& name);

// The real fabric and the lab manager over it, as every lab command needs them.
struct Labs {
  std::unique_ptr<netns::Netlink> netlink = netns::make_libnl_netlink();
  std::unique_ptr<proc::ProcessRunner> runner = proc::make_process_runner();
  lab::LabManager manager{*netlink, *runner, run_dir()};
};

}  // namespace blastlab::cli
