#include "controller/frr/user_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "controller/frr/vtysh.hpp"

namespace blastlab::frr {
namespace {

namespace fs = std::filesystem;

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    if (end == text.size()) break;
    start = end + 1;
  }
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Whether `line` is `word` or starts with `word` and a space.
bool starts_with_words(std::string_view line, std::string_view words) {
  return line == words || (line.size() > words.size() && line.substr(0, words.size()) == words &&
                           (line[words.size()] == ' ' || line[words.size()] == '\t'));
}

void sort_in_start_order(std::vector<Daemon>& daemons) {
  const auto& order = all_daemons();
  std::sort(daemons.begin(), daemons.end(), [&](Daemon a, Daemon b) {
    return std::find(order.begin(), order.end(), a) < std::find(order.begin(), order.end(), b);
  });
  daemons.erase(std::unique(daemons.begin(), daemons.end()), daemons.end());
}

int first_text_column(std::string_view line) {
  size_t b = line.find_first_not_of(" \t");
  return b == std::string_view::npos ? 1 : static_cast<int>(b) + 1;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

DaemonsFile parse_daemons_file(std::string_view text, const std::string& file_name) {
  DaemonsFile result;
  result.daemons = {Daemon::kZebra, Daemon::kStaticd};
  auto lines = lines_of(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = trim(lines[i]);
    if (line.empty() || line[0] == '#') continue;
    int line_number = static_cast<int>(i) + 1;
    int column = first_text_column(lines[i]);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      result.errors.push_back({file_name,
                               {line_number, column},
                               "",
                               fmt::format("'{}' is not a daemons line; write DAEMON=yes|no, as "
                                           "FRR's daemons file does",
                                           line)});
      continue;
    }
    std::string_view key = trim(line.substr(0, eq));
    std::string_view value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    // FRR's start script's own settings: options, the vtysh switch, watchfrr, limits.
    bool setting = key.find("_options") != std::string_view::npos ||
                   key.substr(0, 8) == "watchfrr" || key == "vtysh_enable" || key == "MAX_FDS" ||
                   key == "frr_profile" || key == "FRR_NO_ROOT";
    if (setting) continue;
    auto daemon = daemon_from_string(key);
    if (!daemon) {
      if (key == "pim6d" || key == "sharpd" || key == "mgmtd") {
        if (value == "yes") {
          result.errors.push_back(
              {file_name,
               {line_number, column},
               "",
               fmt::format("{}=yes: Debian's FRR 8.4 has no {} (it is not built)", key, key)});
        }
        continue;
      }
      result.errors.push_back(
          {file_name, {line_number, column}, "", fmt::format("unknown FRR daemon '{}'", key)});
      continue;
    }
    if (value == "yes") {
      result.daemons.push_back(*daemon);
    } else if (value != "no") {
      result.errors.push_back({file_name,
                               {line_number, column + static_cast<int>(eq) + 1},
                               "",
                               fmt::format("{}={}: a daemon is `yes` or `no`", key, value)});
    }
  }
  sort_in_start_order(result.daemons);
  return result;
}

std::vector<Daemon> daemons_for_config(std::string_view config) {
  std::vector<Daemon> daemons = {Daemon::kZebra, Daemon::kStaticd};
  // A block or an interface line, and the daemon that reads it.
  static const std::vector<std::pair<std::string_view, Daemon>> kStarts = {
      {"router bgp", Daemon::kBgpd},
      {"router ospf6", Daemon::kOspf6d},
      {"ipv6 ospf6", Daemon::kOspf6d},
      {"router ospf", Daemon::kOspfd},
      {"ip ospf", Daemon::kOspfd},
      {"router isis", Daemon::kIsisd},
      {"ip router isis", Daemon::kIsisd},
      {"ipv6 router isis", Daemon::kIsisd},
      {"router ripng", Daemon::kRipngd},
      {"router rip", Daemon::kRipd},
      {"router eigrp", Daemon::kEigrpd},
      {"router babel", Daemon::kBabeld},
      {"router openfabric", Daemon::kFabricd},
      {"ip router openfabric", Daemon::kFabricd},
      {"mpls ldp", Daemon::kLdpd},
      {"bfd", Daemon::kBfdd},
      {"pbr-map", Daemon::kPbrd},
      {"pbr-policy", Daemon::kPbrd},
      {"router pim", Daemon::kPimd},
      {"ip pim", Daemon::kPimd},
      {"vrrp", Daemon::kVrrpd},
      {"ip nhrp", Daemon::kNhrpd},
  };
  for (std::string_view raw : lines_of(config)) {
    std::string_view line = trim(raw);
    for (const auto& [start, daemon] : kStarts) {
      // `router ospf6` must not also count as `router ospf`, nor `router ripng` as `rip`:
      // the longer forms come first and a line takes the first match.
      if (starts_with_words(line, start)) {
        daemons.push_back(daemon);
        break;
      }
    }
    // `neighbor X bfd` in a BGP block, `ip ospf bfd` on an interface: bfdd runs the sessions.
    if (line.size() > 4 && line.substr(0, 9) == "neighbor " &&
        line.find(" bfd") != std::string_view::npos) {
      daemons.push_back(Daemon::kBfdd);
    }
  }
  sort_in_start_order(daemons);
  return daemons;
}

std::string lab_config(std::string_view user_config, std::vector<std::string>* dropped) {
  static const std::vector<std::string_view> kLogDestinations = {
      "log file", "log syslog", "log stdout", "log timestamp precision"};
  std::string out;
  auto lines = lines_of(user_config);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = trim(lines[i]);
    bool drop = std::any_of(kLogDestinations.begin(), kLogDestinations.end(),
                            [&](std::string_view d) { return starts_with_words(line, d); });
    if (drop) {
      if (dropped) dropped->push_back(fmt::format("line {}: {}", i + 1, line));
      // A comment in its place keeps every line where it was, so FRR's messages about the
      // applied text name the user's own line numbers.
      out += "! (left out by blastlab: the lab sets where daemons log)\n";
      continue;
    }
    out += std::string(lines[i]) + "\n";
  }
  return out;
}

std::string describe_lab_changes(std::string_view user_config, const std::string& source,
                                 const std::string& node, const std::string& node_dir,
                                 const std::string& pathspace, const std::vector<Daemon>& daemons) {
  std::string names;
  for (Daemon d : daemons) {
    if (!names.empty()) names += ' ';
    names += to_string(d);
  }
  std::string out = fmt::format(
      "! {}: the user's own configuration, {}\n"
      "! blastlab runs it as written: vtysh -N {} -f {}/{} once these daemons listen:\n"
      "!   {}\n"
      "! Each daemon starts with only these lines of the lab's own:\n"
      "!   hostname {}\n"
      "!   log file {}/DAEMON.log\n"
      "!   log timestamp precision 6\n",
      node, source, pathspace, node_dir, kLabConfigFile, names,
      config_hostname(user_config).value_or(node), node_dir);
  std::vector<std::string> dropped;
  lab_config(user_config, &dropped);
  if (!dropped.empty()) {
    out += "! Left out, so that no daemon logs outside the lab:\n";
    for (const auto& line : dropped) out += "!   " + line + "\n";
  }
  return out + "!\n";
}

std::optional<std::string> config_hostname(std::string_view config) {
  for (std::string_view raw : lines_of(config)) {
    std::string_view line = trim(raw);
    if (!starts_with_words(line, "hostname")) continue;
    std::string_view name = trim(line.substr(8));
    if (!name.empty()) return std::string(name);
  }
  return std::nullopt;
}

std::vector<model::Diagnostic> check_config(proc::ProcessRunner& runner, std::string_view text,
                                            const std::string& file_name, int first_line,
                                            const std::string& scratch_dir) {
  std::error_code ec;
  fs::create_directories(scratch_dir, ec);
  std::string config_path = scratch_dir + "/frr.conf";
  {
    std::ofstream(scratch_dir + "/vtysh.conf");  // vtysh complains without one
    std::ofstream out(config_path, std::ios::trunc);
    out << text;
    if (!out) {
      return {{file_name, {}, "", "cannot write FRR's dry run's copy to " + config_path}};
    }
  }
  auto result = runner.run(
      {.argv = {kVtyshBinary, "--dryrun", "--config_dir", scratch_dir, "-f", config_path}},
      std::chrono::seconds(30));
  fs::remove(config_path, ec);
  if (result.exit_code == 0) return {};
  auto lines = lines_of(text);
  std::vector<model::Diagnostic> errors;
  // "line 12: % Unknown command[25]:  neighbr 10.0.0.3 remote-as 65003": the number in
  // brackets is vtysh's node, not a column.
  static const std::regex kLine(R"(line (\d+): %? ?([^\[:]*)(?:\[\d+\])?:?\s*(.*))");
  std::string all = result.err + "\n" + result.out;
  std::istringstream stream(all);
  for (std::string raw; std::getline(stream, raw);) {
    std::smatch m;
    if (!std::regex_search(raw, m, kLine)) continue;
    int line = std::stoi(m[1]);
    int column = line >= 1 && line <= static_cast<int>(lines.size())
                     ? first_text_column(lines[static_cast<size_t>(line - 1)])
                     : 1;
    std::string what = std::string(trim(m[2].str()));
    std::string detail = std::string(trim(m[3].str()));
    errors.push_back({file_name,
                      {line + first_line - 1, column},
                      "",
                      fmt::format("FRR refuses this line ({}{}{})", what.empty() ? "error" : what,
                                  detail.empty() ? "" : ": ", detail)});
  }
  if (errors.empty()) {
    std::string said = std::string(trim(all));
    errors.push_back({file_name,
                      {},
                      "",
                      fmt::format("FRR's dry run (vtysh --dryrun) refused the configuration "
                                  "(exit {}){}{}",
                                  result.exit_code, said.empty() ? "" : ": ", said)});
  }
  return errors;
}

std::vector<model::Diagnostic> load_user_configs(RoutingPlan& plan, proc::ProcessRunner& runner,
                                                 const std::string& scratch_dir, bool dry_run) {
  std::vector<model::Diagnostic> errors;
  for (auto& router : plan.routers) {
    if (!router.user) continue;
    model::UserFrr& user = *router.user;
    if (!user.config_text) {
      auto text = read_file(user.config);
      if (!text) {
        errors.push_back({user.config, {}, "", "cannot read the node's FRR configuration"});
        continue;
      }
      user.config_text = *text;
      user.text_first_line = 1;
    }
    if (!user.daemons.empty()) {
      auto text = read_file(user.daemons);
      if (!text) {
        errors.push_back({user.daemons, {}, "", "cannot read the node's FRR daemons file"});
        continue;
      }
      auto daemons = parse_daemons_file(*text, user.daemons);
      errors.insert(errors.end(), daemons.errors.begin(), daemons.errors.end());
      router.daemons = daemons.daemons;
    } else {
      router.daemons = daemons_for_config(*user.config_text);
    }
    if (!dry_run) continue;
    auto refused = check_config(runner, *user.config_text, user.config, user.text_first_line,
                                scratch_dir + "/" + router.node);
    errors.insert(errors.end(), refused.begin(), refused.end());
  }
  return errors;
}

}  // namespace blastlab::frr
