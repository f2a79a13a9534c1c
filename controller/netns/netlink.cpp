#include "controller/netns/netlink.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include "controller/netns/log.hpp"

namespace blastlab::netns {

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = [] {
    auto existing = spdlog::get("netns");
    return existing ? existing : spdlog::stderr_color_mt("netns");
  }();
  return instance;
}

Status Netlink::create_namespaces(const std::vector<std::string>& names) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (auto status = create_namespace(names[i]); !status) {
      for (std::size_t j = 0; j < i; ++j) (void)delete_namespace(names[j]);
      return status;
    }
  }
  return Status::ok();
}

}  // namespace blastlab::netns
