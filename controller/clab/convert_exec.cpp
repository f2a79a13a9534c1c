// A node's exec lines. containerlab runs each with the container's shell; blastlab runs
// none of them with a shell unless the user trusts the file: an `ip address|link|route`
// line becomes a netlink operation (execline/), a sysctl line asking for what every lab
// node already has (ip_forward=1, the usual line in an FRR lab) is already true, and any
// other line is refused at the column of the word blastlab could not read.
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "contracts/node_sysctls.hpp"
#include "controller/clab/convert_parts.hpp"

namespace blastlab::clab {

namespace {

std::vector<std::string> words_of(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// `[sudo] sysctl [-w] [-q] KEY=VALUE...` where every assignment is one the lab makes.
bool is_lab_sysctl_line(const std::string& line) {
  auto words = words_of(line);
  auto word = words.begin();
  if (word != words.end() && *word == "sudo") ++word;
  if (word == words.end() ||
      (*word != "sysctl" && *word != "/sbin/sysctl" && *word != "/usr/sbin/sysctl")) {
    return false;
  }
  ++word;
  while (word != words.end() && (*word == "-w" || *word == "-q")) ++word;
  if (word == words.end()) return false;
  for (; word != words.end(); ++word) {
    size_t equals = word->find('=');
    if (equals == std::string::npos) return false;
    if (!is_lab_sysctl(word->substr(0, equals), word->substr(equals + 1))) return false;
  }
  return true;
}

}  // namespace

bool is_lab_sysctl(std::string key, std::string_view value) {
  std::replace(key.begin(), key.end(), '.', '/');
  return std::any_of(
      contracts::kNodeSysctls.begin(), contracts::kNodeSysctls.end(),
      [&](const auto& sysctl) { return sysctl.first == key && sysctl.second == value; });
}

std::vector<model::ExecCommand> convert_exec(const Node& node, const ConvertOptions& options,
                                             Findings& findings) {
  std::vector<model::ExecCommand> commands;
  for (const auto& line : node.exec) {
    if (is_lab_sysctl_line(line.value)) continue;
    int first_column = line.mark.column + (line.quoted ? 1 : 0);
    auto parsed = execline::parse_exec_line(line.value, first_column);
    if (auto* operation = std::get_if<execline::IpOperation>(&parsed)) {
      commands.push_back({line.value, *operation, line.mark});
    } else if (options.trust_exec) {
      commands.push_back({line.value, std::nullopt, line.mark});
    } else {
      const auto& error = std::get<execline::ExecLineError>(parsed);
      findings.error({line.mark.line, error.column}, line.field,
                     error.message +
                         "; or pass --trust-exec to run the file's other exec lines with "
                         "/bin/sh -c in the node's namespace");
    }
  }
  for (const auto& [key, value] : node.sysctls) {
    if (is_lab_sysctl(key, value.value)) continue;
    findings.warn(value, fmt::format("sysctl {}={} is not set: every blastlab node has "
                                     "ip_forward=1, rp_filter=0 and icmp_ratelimit=0, and the "
                                     "kernel's defaults otherwise",
                                     key, value.value));
  }
  return commands;
}

}  // namespace blastlab::clab
