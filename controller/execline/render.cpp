#include <fmt/format.h>

#include "controller/execline/exec_line.hpp"

namespace blastlab::execline {

namespace {

std::string render(const AddAddress& operation) {
  return fmt::format("ip address {} {} dev {}", operation.replace ? "replace" : "add",
                     operation.prefix.str(), operation.ifname);
}

std::string render(const SetLink& operation) {
  std::string text = fmt::format("ip link set dev {}", operation.ifname);
  if (operation.mtu) text += fmt::format(" mtu {}", *operation.mtu);
  if (operation.up) text += *operation.up ? " up" : " down";
  return text;
}

std::string render(const AddRoute& operation) {
  std::string text = fmt::format("ip route {} {}", operation.replace ? "replace" : "add",
                                 operation.is_default() ? "default" : operation.destination.str());
  if (operation.via) text += fmt::format(" via {}", operation.via->str());
  if (operation.dev) text += fmt::format(" dev {}", *operation.dev);
  if (operation.metric) text += fmt::format(" metric {}", *operation.metric);
  return text;
}

}  // namespace

std::string render_ip_command(const IpOperation& operation) {
  return std::visit([](const auto& op) { return render(op); }, operation);
}

}  // namespace blastlab::execline
