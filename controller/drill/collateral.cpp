#include "controller/drill/collateral.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "controller/frr/config_diff.hpp"

namespace blastlab::drill {
namespace {

// A line with the headers above it: its identity in the configuration.
using LinePath = std::vector<std::string>;

void flatten(const std::vector<frr::ConfigLine>& lines, LinePath& context,
             std::vector<LinePath>& out) {
  for (const auto& line : lines) {
    context.push_back(line.text);
    out.push_back(context);
    flatten(line.children, context, out);
    context.pop_back();
  }
}

std::vector<LinePath> lines_of(const std::string& config) {
  std::vector<LinePath> out;
  LinePath context;
  flatten(frr::parse_running_config(config), context, out);
  return out;
}

// The lines of `a` that `b` lacks, in `a`'s order.
std::vector<LinePath> missing_from(const std::vector<LinePath>& a, const std::vector<LinePath>& b) {
  std::set<LinePath> in_b(b.begin(), b.end());
  std::vector<LinePath> out;
  for (const auto& line : a)
    if (!in_b.count(line)) out.push_back(line);
  return out;
}

ConfigChange change_of(const LinePath& path, bool added) {
  ConfigChange change;
  change.context.assign(path.begin(), path.end() - 1);
  change.line = path.back();
  change.added = added;
  return change;
}

}  // namespace

std::string without_healthd_lines(const std::string& config,
                                  const std::vector<std::string>& anycast_prefixes) {
  std::string out;
  std::istringstream in(config);
  for (std::string line; std::getline(in, line);) {
    auto first = line.find_first_not_of(' ');
    bool owned = false;
    if (first != std::string::npos) {
      std::string text = line.substr(first);
      for (const auto& prefix : anycast_prefixes) {
        std::string network = "network " + prefix;
        if (text == network || text.rfind(network + " route-map ", 0) == 0) owned = true;
      }
    }
    if (!owned) out += line + "\n";
  }
  return out;
}

std::string ConfigChange::text() const {
  std::string out = added ? "+ " : "- ";
  for (const auto& header : context) out += header + " > ";
  return out + line;
}

std::vector<ConfigChange> collateral_lines(const std::string& pre, const std::string& faulted,
                                           const std::string& final_config) {
  auto before = lines_of(pre);
  auto during = lines_of(faulted);
  auto after = lines_of(final_config);
  std::set<LinePath> fault_touched;
  for (const auto& line : missing_from(before, during)) fault_touched.insert(line);
  for (const auto& line : missing_from(during, before)) fault_touched.insert(line);
  std::vector<ConfigChange> out;
  for (const auto& line : missing_from(before, after))
    if (!fault_touched.count(line)) out.push_back(change_of(line, false));
  for (const auto& line : missing_from(after, before))
    if (!fault_touched.count(line)) out.push_back(change_of(line, true));
  return out;
}

std::vector<ConfigChange> collateral_lines(const std::vector<RouterConfigs>& routers) {
  std::vector<ConfigChange> out;
  for (const auto& r : routers) {
    for (auto& change : collateral_lines(r.pre, r.faulted, r.final_config)) {
      change.router = r.router;
      out.push_back(std::move(change));
    }
  }
  return out;
}

}  // namespace blastlab::drill
