// drill-report.html: the drill in one file that opens anywhere, inline CSS and SVG and no
// script, XHTML-compatible like report.html. The timeline is report.html's (lanes of sites,
// routes and clients from the drill's metrics), with the drill's markers in place of a
// script's steps: the fault, the hints, the trainee's changes and the checks.
#include <fmt/format.h>

#include "controller/drill/drill_report.hpp"
#include "controller/report/format.hpp"
#include "controller/report/report.hpp"
#include "controller/report/svg_timeline.hpp"

namespace blastlab::drill {
namespace {

constexpr const char* kStyle = R"(
body { font-family: system-ui, "DejaVu Sans", Arial, sans-serif; color: #1f2328; margin: 20px 24px;
       font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 4px 0; }
h2 { font-size: 16px; margin: 22px 0 8px 0; border-bottom: 1px solid #d0d7de; }
.sub { color: #57606a; }
.score { font-size: 32px; font-weight: 700; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #eaeef2; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #1a7f37; font-weight: 700; } .fail { color: #cf222e; font-weight: 700; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
svg.timeline { max-width: 100%; height: auto; display: block; }
)";

std::string esc(const std::string& s) {
  return report::xml_escape(s);
}

// The metrics with the markers as steps, so that the run's timeline draws them.
report::Report timeline_report(const DrillResult& r) {
  report::Report rep;
  rep.metrics = r.metrics;
  rep.metrics.steps.clear();
  int index = 1;
  for (const auto& m : r.markers) {
    measure::StepRecord step;
    step.index = index++;
    step.kind = std::string(to_string(m.kind));
    step.name =
        m.kind == Marker::Kind::kCheck ? (m.passed ? "check pass" : "check fail") : step.kind;
    step.detail = m.text;
    step.state = m.kind == Marker::Kind::kCheck && !m.passed ? measure::StepState::kFailed
                                                             : measure::StepState::kDone;
    step.start_s = r.fault_s + m.at_s;
    rep.metrics.steps.push_back(step);
  }
  return rep;
}

std::string score_table(const Score& score) {
  std::string out = "<table><tbody>\n";
  for (const auto& c : score.components) {
    out += fmt::format("<tr><th>{}</th><td class=\"num\">{}</td><td>{}</td></tr>\n", esc(c.name),
                       c.points, esc(c.detail));
  }
  return out + "</tbody></table>\n";
}

std::string markers_table(const DrillResult& r) {
  std::string out =
      "<table><thead><tr><th>from the fault</th><th>what</th><th></th></tr></thead><tbody>\n";
  for (const auto& m : r.markers) {
    std::string what(to_string(m.kind));
    if (m.kind == Marker::Kind::kCheck)
      what = m.passed ? "<span class=\"pass\">check: pass</span>"
                      : "<span class=\"fail\">check: fail</span>";
    out += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>\n",
                       esc(report::seconds(m.at_s)), what, esc(m.text));
  }
  return out + "</tbody></table>\n";
}

}  // namespace

std::string drill_report_html(const DrillResult& r) {
  std::string title = fmt::format("blastlab drill: {} on {}", r.drill, r.lab);
  std::string out =
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
      "<meta charset=\"utf-8\"/>\n<title>" +
      esc(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out +=
      "<h1>" + esc(title) + "</h1>\n<div class=\"sub\">" +
      esc(fmt::format("{} \u00b7 fault {} (seed {}) \u00b7 {}", r.title, r.fault, r.seed, r.file)) +
      "</div>\n";
  std::string result =
      r.restored_s ? fmt::format("restored after {} (limit {})", report::seconds(*r.restored_s),
                                 report::seconds(r.time_limit_s))
                   : fmt::format("not restored (limit {})", report::seconds(r.time_limit_s));
  out += fmt::format("<section id=\"score\"><h2>Score</h2>\n<div class=\"score {}\">{}/100</div>\n",
                     r.score.restored ? "pass" : "fail", r.score.total);
  out += "<p>" + esc(result) + "</p>\n" + score_table(r.score) + "</section>\n";
  out += "<section id=\"timeline-section\"><h2>Timeline</h2>\n" +
         report::svg_timeline(timeline_report(r)) + markers_table(r) + "</section>\n";
  out += fmt::format("<section id=\"collateral\"><h2>Collateral ({} line(s))</h2>\n<ul>\n",
                     r.collateral.size());
  for (const auto& c : r.collateral)
    out += "<li><code>" + esc(c.router + ": " + c.text()) + "</code></li>\n";
  out += "</ul></section>\n";
  if (!r.reveal.empty())
    out += "<section id=\"cause\"><h2>Cause</h2>\n<p>" + esc(r.reveal) + "</p></section>\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace blastlab::drill
