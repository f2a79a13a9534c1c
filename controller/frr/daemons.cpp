#include "controller/frr/daemons.hpp"

#include <fmt/format.h>

namespace blastlab::frr {

std::string config_file(const std::string& node_dir, Daemon daemon) {
  return fmt::format("{}/{}.conf", node_dir, to_string(daemon));
}

std::string log_file(const std::string& node_dir, Daemon daemon) {
  return fmt::format("{}/{}.log", node_dir, to_string(daemon));
}

std::vector<std::string> daemon_argv(Daemon daemon, const std::string& space,
                                     const std::string& node_dir) {
  std::string name(to_string(daemon));
  return {std::string(kDaemonDirectory) + "/" + name,
          "-N",
          space,
          "-f",
          config_file(node_dir, daemon),
          "-i",
          fmt::format("{}/{}.pid", node_dir, name),
          "-P",
          "0"};
}

}  // namespace blastlab::frr
