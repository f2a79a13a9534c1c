#include "controller/gate/candidate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "controller/frr/config_diff.hpp"
#include "controller/frr/render.hpp"
#include "controller/frr/user_config.hpp"
#include "controller/model/yaml_reader.hpp"

namespace blastlab::gate {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::string trimmed(const std::string& line) {
  size_t first = line.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  size_t last = line.find_last_not_of(" \t");
  return line.substr(first, last - first + 1);
}

std::string first_word(const std::string& line) {
  std::string t = trimmed(line);
  return t.substr(0, t.find(' '));
}

// Commands of vtysh's exec mode: not configuration, and some touch the host's files.
bool exec_mode(const std::string& line) {
  std::string word = first_word(line);
  return word == "do" || word == "write" || word == "copy" || word == "wr";
}

std::string router_names(const frr::RoutingPlan& plan) {
  std::vector<std::string> names;
  for (const auto& router : plan.routers) names.push_back(router.node);
  return model::join_alternatives(names);
}

// Whether `node` may take a candidate; else the diagnostic's message.
std::optional<std::string> not_a_router(const std::string& node, const model::Topology& topology,
                                        const frr::RoutingPlan& plan) {
  if (plan.find(node)) return std::nullopt;
  if (topology.find_node(node))
    return fmt::format("{} runs no FRR in this lab; a candidate changes routers ({})", node,
                       router_names(plan));
  std::vector<std::string> names;
  for (const auto& router : plan.routers) names.push_back(router.node);
  return fmt::format("no router {} in {}{}", node, topology.file, model::did_you_mean(node, names));
}

// Exec-mode lines of a text, each a diagnostic at its line.
void refuse_exec_mode(const std::vector<std::string>& lines, const std::vector<int>& numbers,
                      const std::string& file, const std::string& field,
                      std::vector<model::Diagnostic>& errors) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!exec_mode(lines[i])) continue;
    int column = int(lines[i].find_first_not_of(" \t")) + 1;
    model::Diagnostic d{.file = file,
                        .mark = {numbers[i], column},
                        .field = field,
                        .message = fmt::format("'{}' is an exec-mode command, not configuration; "
                                               "a candidate holds configuration only",
                                               trimmed(lines[i]))};
    errors.push_back(d);
  }
}

void load_directory(const std::string& path, const model::Topology& topology,
                    const frr::RoutingPlan& plan, Candidate& candidate,
                    std::vector<model::Diagnostic>& errors) {
  std::map<std::string, RouterCandidate> found;
  std::vector<fs::directory_entry> entries;
  for (const auto& entry : fs::directory_iterator(path)) entries.push_back(entry);
  std::sort(entries.begin(), entries.end());
  for (const auto& entry : entries) {
    std::string name = entry.path().filename().string();
    std::string node;
    std::string file;
    if (entry.is_regular_file() && entry.path().extension() == ".conf") {
      node = entry.path().stem().string();
      file = entry.path().string();
    } else if (entry.is_directory() && fs::is_regular_file(entry.path() / "frr.conf")) {
      node = name;
      file = (entry.path() / "frr.conf").string();
    } else {
      continue;
    }
    if (auto why = not_a_router(node, topology, plan)) {
      errors.push_back({.file = file, .mark = {}, .field = "", .message = *why});
      continue;
    }
    if (auto it = found.find(node); it != found.end()) {
      errors.push_back({.file = file,
                        .mark = {},
                        .field = "",
                        .message = fmt::format("a second candidate for {}; the first is {}", node,
                                               it->second.file)});
      continue;
    }
    std::vector<model::Diagnostic> read_errors;
    auto text = model::read_input_file(file, read_errors);
    if (!text) {
      errors.insert(errors.end(), read_errors.begin(), read_errors.end());
      continue;
    }
    auto lines = split_lines(*text);
    std::vector<int> numbers(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) numbers[i] = int(i) + 1;
    refuse_exec_mode(lines, numbers, file, "", errors);
    found[node] =
        RouterCandidate{.node = node, .file = file, .whole_config = true, .config = *text};
  }
  if (found.empty() && errors.empty()) {
    errors.push_back({.file = path,
                      .mark = {},
                      .field = "",
                      .message = fmt::format("no router config in it: expected NODE.conf or "
                                             "NODE/frr.conf for routers of the topology ({})",
                                             router_names(plan))});
  }
  for (const auto& router : plan.routers) {
    if (auto it = found.find(router.node); it != found.end())
      candidate.routers.push_back(std::move(it->second));
  }
}

void load_snippets(const std::string& path, const model::Topology& topology,
                   const frr::RoutingPlan& plan, Candidate& candidate,
                   std::vector<model::Diagnostic>& errors) {
  auto text = model::read_input_file(path, errors);
  if (!text) return;
  model::Diagnostics diagnostics(path);
  auto root = model::parse_document(
      *text, "a candidate file maps each router to its configuration lines", diagnostics);
  std::map<std::string, RouterCandidate> found;
  if (root) {
    model::Value value{.node = *root, .mark = model::mark_of(*root), .field = ""};
    model::MapReader map(value, {}, diagnostics, "router");
    if (!map.is_map()) {
      diagnostics.error(
          value.mark, "",
          "expected a map of routers to configuration lines, got " + model::describe(*root));
    }
    auto file_lines = split_lines(*text);
    for (const auto& entry : map.entries()) {
      if (auto why = not_a_router(entry.key, topology, plan)) {
        diagnostics.error(entry.key_mark, entry.key, *why);
        continue;
      }
      auto config = model::read_string(entry.value, diagnostics);
      if (!config) continue;
      RouterCandidate router{.node = entry.key, .file = path, .whole_config = false};
      // A block scalar (`|`) starts on the line after its indicator; a one-line string is on
      // its key's line.
      int first = entry.value.mark.line;
      bool block = false;
      if (first > 0 && first <= int(file_lines.size())) {
        std::string at = trimmed(file_lines[first - 1].substr(
            std::min<size_t>(file_lines[first - 1].size(), entry.value.mark.column - 1)));
        block = at.starts_with("|") || at.starts_with(">");
      }
      if (block) ++first;
      auto lines = split_lines(*config);
      for (size_t i = 0; i < lines.size(); ++i) {
        if (trimmed(lines[i]).empty()) continue;
        router.lines.push_back(lines[i]);
        router.line_numbers.push_back(first + int(i));
      }
      if (router.lines.empty()) {
        diagnostics.error(entry.value.mark, entry.key, "no configuration lines");
        continue;
      }
      // Columns as the file has them: a block's indentation is not in the string, a
      // one-line string starts at its value.
      std::vector<std::string> as_in_file;
      for (size_t i = 0; i < router.lines.size(); ++i) {
        as_in_file.push_back(block
                                 ? file_lines[router.line_numbers[i] - 1]
                                 : std::string(entry.value.mark.column - 1, ' ') + router.lines[i]);
      }
      refuse_exec_mode(as_in_file, router.line_numbers, path, entry.key, errors);
      found[entry.key] = std::move(router);
    }
  }
  auto sorted = diagnostics.take_sorted();
  errors.insert(errors.end(), sorted.begin(), sorted.end());
  for (const auto& router : plan.routers) {
    if (auto it = found.find(router.node); it != found.end())
      candidate.routers.push_back(std::move(it->second));
  }
}

// The text FRR's dry run checks for a candidate: a whole config as the lab would apply it,
// a snippet's lines at their own line numbers (blank lines fill the gaps).
std::string checked_text(const RouterCandidate& router) {
  if (router.whole_config) return frr::lab_config(router.config, nullptr);
  std::string text;
  int at = 1;
  for (size_t i = 0; i < router.lines.size(); ++i) {
    for (; at < router.line_numbers[i]; ++at) text += "\n";
    text += router.lines[i] + "\n";
    ++at;
  }
  return text;
}

// vtysh's own settings, which no daemon holds and `show running-config` does not list.
bool vtysh_own(const std::string& line) {
  return line == "service integrated-vtysh-config" || line == "no service integrated-vtysh-config";
}

bool is_terminator_line(const std::string& text) {
  return text == "exit" || text.starts_with("exit-") || text == "end";
}

bool has_static_route(const std::string& config) {
  for (const auto& line : split_lines(config)) {
    if (line.starts_with("ip route ") || line.starts_with("ipv6 route ")) return true;
  }
  return false;
}

void collect_headers(const std::vector<frr::ConfigLine>& lines, std::set<std::string>& headers) {
  for (const auto& line : lines) {
    if (!line.block()) continue;
    headers.insert(line.text);
    collect_headers(line.children, headers);
  }
}

}  // namespace

CandidateLoadResult load_candidate(const std::string& path, const model::Topology& topology,
                                   const frr::RoutingPlan& plan) {
  CandidateLoadResult result;
  Candidate candidate{.path = path};
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    load_directory(path, topology, plan, candidate, result.errors);
  } else if (fs::exists(path, ec)) {
    load_snippets(path, topology, plan, candidate, result.errors);
  } else {
    result.errors.push_back({.file = path,
                             .mark = {},
                             .field = "",
                             .message = "no such file or directory (a candidate is a directory "
                                        "of router configs or a YAML file of snippets)"});
  }
  if (result.errors.empty()) result.candidate = std::move(candidate);
  return result;
}

std::map<std::string, std::string> current_configs(const model::Topology& topology,
                                                   const frr::RoutingPlan& plan) {
  std::map<std::string, std::string> configs;
  for (const auto& router : plan.routers) {
    if (router.user) {
      configs[router.node] = frr::lab_config(router.user->config_text.value_or(""), nullptr);
    } else {
      // The same lines left out as from a candidate, so that they are no difference.
      configs[router.node] =
          frr::lab_config(frr::render_router(topology, router).integrated, nullptr);
    }
  }
  return configs;
}

std::vector<RouterChange> router_changes(const Candidate& candidate,
                                         const std::map<std::string, std::string>& current) {
  std::vector<RouterChange> changes;
  for (const auto& router : candidate.routers) {
    RouterChange change{.node = router.node};
    if (router.whole_config) {
      auto it = current.find(router.node);
      std::string from = it == current.end() ? "" : it->second;
      for (auto& command :
           frr::traced_config_transition(from, frr::lab_config(router.config, nullptr))) {
        change.commands.push_back(std::move(command.text));
        change.sources.push_back({router.file, command.line});
      }
    } else {
      for (size_t i = 0; i < router.lines.size(); ++i) {
        change.commands.push_back(router.lines[i]);
        change.sources.push_back({router.file, router.line_numbers[i]});
      }
    }
    if (!change.commands.empty()) changes.push_back(std::move(change));
  }
  return changes;
}

std::vector<model::Diagnostic> check_candidate(const Candidate& candidate,
                                               const frr::RoutingPlan& plan,
                                               proc::ProcessRunner& runner,
                                               const std::string& scratch_dir) {
  std::vector<model::Diagnostic> errors;
  for (const auto& router : candidate.routers) {
    auto refused = frr::check_config(runner, checked_text(router), router.file, 1, scratch_dir);
    errors.insert(errors.end(), refused.begin(), refused.end());
    if (!router.whole_config) continue;
    const frr::RouterPlan* plan_router = plan.find(router.node);
    if (!plan_router) continue;
    for (frr::Daemon daemon : frr::daemons_for_config(router.config)) {
      if (plan_router->runs(daemon)) continue;
      // Every config "needs" staticd; only a static route does.
      if (daemon == frr::Daemon::kStaticd && !has_static_route(router.config)) continue;
      errors.push_back(
          {.file = router.file,
           .mark = {},
           .field = "",
           .message = fmt::format("the candidate needs {}, which {} does not run in the lab; the "
                                  "gate applies a change, it does not start daemons",
                                  frr::to_string(daemon), router.node)});
    }
  }
  return errors;
}

std::vector<NotRunning> lines_not_running(const RouterCandidate& router,
                                          const std::map<std::string, std::string>& current,
                                          const std::string& running_after) {
  std::vector<NotRunning> missing;
  if (!router.whole_config) return missing;
  auto it = current.find(router.node);
  const std::string before = it == current.end() ? "" : it->second;
  const std::string wanted = frr::lab_config(router.config, nullptr);
  // Only what the change adds: a line the current config has already is no news, even when
  // FRR does not show it (a default).
  std::set<std::pair<std::string, int>> added;
  for (const auto& command : frr::traced_config_transition(before, wanted))
    if (command.line > 0) added.insert({command.text, command.line});
  std::set<std::string> headers;
  collect_headers(frr::parse_running_config(running_after), headers);
  for (const auto& command : frr::traced_config_transition(running_after, wanted)) {
    if (!added.contains({command.text, command.line})) continue;
    if (headers.contains(command.text) || vtysh_own(command.text)) continue;
    if (is_terminator_line(command.text)) continue;
    missing.push_back({{router.file, command.line}, command.text});
  }
  return missing;
}

}  // namespace blastlab::gate
