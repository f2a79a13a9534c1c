// drill-report.txt: the drill on a terminal, every line at most 80 columns (longer texts
// are cut with "...", the reveal is wrapped).
#include <fmt/format.h>

#include <sstream>

#include "controller/drill/drill_report.hpp"
#include "controller/report/format.hpp"

namespace blastlab::drill {
namespace {

constexpr size_t kWidth = 80;

std::string fit(const std::string& line) {
  return report::fit_line(line, kWidth);
}

}  // namespace

std::string drill_report_text(const DrillResult& r) {
  std::string out;
  auto add = [&](const std::string& line) { out += fit(line) + "\n"; };
  add(fmt::format("drill {}: {}", r.drill, r.title));
  add(fmt::format("fault {} (seed {}), lab {}", r.fault, r.seed, r.lab));
  add(r.restored_s ? fmt::format("restored after {} (limit {})", report::seconds(*r.restored_s),
                                 report::seconds(r.time_limit_s))
                   : fmt::format("not restored (limit {})", report::seconds(r.time_limit_s)));
  out += "\n";
  for (const auto& line : [&] {
         std::vector<std::string> lines;
         std::istringstream in(r.score.breakdown());
         for (std::string l; std::getline(in, l);) lines.push_back(l);
         return lines;
       }())
    add(line);
  out += "\n";
  add("timeline (from the fault)");
  for (const auto& m : r.markers) {
    std::string what = m.kind == Marker::Kind::kCheck
                           ? fmt::format("{}: {}", m.passed ? "pass" : "fail", m.text)
                           : m.text;
    add(fmt::format("  {:>9}  {:<6}  {}", report::seconds(m.at_s), to_string(m.kind), what));
  }
  out += "\n";
  add(fmt::format("collateral: {} line(s)", r.collateral.size()));
  for (const auto& c : r.collateral) add(fmt::format("  {}: {}", c.router, c.text()));
  if (!r.reveal.empty()) {
    out += "\ncause\n";
    out += report::wrap_text(r.reveal, kWidth, "  ");
  }
  return out;
}

}  // namespace blastlab::drill
