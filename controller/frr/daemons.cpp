#include "controller/frr/daemons.hpp"

#include <fmt/format.h>

#include <algorithm>

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

unsigned long max_open_files(Daemon daemon, size_t bgp_neighbors) {
  constexpr unsigned long kFrrDefault = 1024;
  if (daemon != Daemon::kBgpd) return kFrrDefault;
  return std::max<unsigned long>(kFrrDefault, 4 * bgp_neighbors + 64);
}

}  // namespace blastlab::frr
