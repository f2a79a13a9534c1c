// report.html: the run for people, in one file that opens anywhere (a CI artifact, a mail
// attachment, a laptop offline): inline CSS and SVG, no script, no fonts or images fetched.
// The markup is XHTML-compatible (every element closed, only XML's own entities) so tests
// and tools can parse it as XML; every piece of text from the run is escaped.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "controller/report/format.hpp"
#include "controller/report/report.hpp"
#include "controller/report/svg_timeline.hpp"

namespace blastlab::report {

namespace {

constexpr const char* kStyle = R"(
body { font-family: system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1f2328;
       background: #fff; margin: 20px 24px; font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 4px 0; }
h2 { font-size: 16px; margin: 22px 0 8px 0; padding-bottom: 4px;
     border-bottom: 1px solid #d0d7de; }
.sub { color: #57606a; margin-bottom: 12px; }
.badge { display: inline-block; padding: 2px 12px; border-radius: 12px; font-weight: 700;
         font-size: 14px; vertical-align: middle; margin-left: 8px; }
.badge.pass { background: #1a7f37; color: #fff; }
.badge.fail { background: #cf222e; color: #fff; }
.badge.incomplete { background: #9a6700; color: #fff; }
.banner { background: #fff8c5; border: 1px solid #d4a72c; padding: 6px 10px; margin: 8px 0; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #eaeef2; text-align: left;
         vertical-align: top; }
thead th { background: #f6f8fa; border-bottom: 1px solid #d0d7de; }
table.summary th { background: none; color: #57606a; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pass { color: #1a7f37; font-weight: 700; } .fail { color: #cf222e; font-weight: 700; }
.muted { color: #57606a; } .warn { color: #9a6700; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; }
svg.timeline { max-width: 100%; height: auto; display: block; }
svg.lab-graph { max-width: 100%; height: auto; display: block; }
details { margin-top: 8px; } summary { cursor: pointer; color: #57606a; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: 8px 10px; overflow-x: auto; }
footer { margin-top: 28px; color: #57606a; font-size: 12px; }
)";

std::string esc(const std::string& s) {
  return xml_escape(s);
}

std::string opt_seconds(const std::optional<double>& s) {
  return s ? seconds(*s) : "\u2014";
}

std::string delay_cell(const measure::Delay& delay) {
  std::string text = delay.measured_s ? seconds(*delay.measured_s) : "\u2014";
  if (std::string predicted = prediction_text(delay); !predicted.empty())
    text += " <span class=\"muted\">(" + esc(predicted) + ")</span>";
  return text;
}

// One table cell's markup (already escaped); numeric cells are right-aligned. Implicit
// from text so that a row reads as a list of its cells.
struct Cell {
  Cell(std::string markup) : html(std::move(markup)) {}
  Cell(const char* markup) : html(markup) {}
  std::string html;
  bool numeric = false;
};

Cell num(std::string markup) {
  Cell cell(std::move(markup));
  cell.numeric = true;
  return cell;
}

std::string table(const std::vector<std::string>& head,
                  const std::vector<std::vector<Cell>>& rows) {
  std::string out = "<table><thead><tr>";
  for (const auto& h : head) out += "<th>" + esc(h) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const auto& cell : row) {
      out += (cell.numeric ? "<td class=\"num\">" : "<td>") + cell.html + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string verdict(bool passed) {
  return passed ? "<span class=\"pass\">\u2714 PASS</span>"
                : "<span class=\"fail\">\u2718 FAIL</span>";
}

std::string verdict_badge(Verdict v) {
  std::string word(to_string(v));
  std::string upper = word;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "<span class=\"badge " + word + "\">" + upper + "</span>";
}

// The holes in the measurement, where the reader looks first: every figure below is partial.
std::string gaps_banner(const measure::Metrics& m) {
  if (m.gaps.empty()) return "";
  std::string out =
      "<div class=\"banner\" id=\"gaps\"><b>Incomplete: these agents did not measure the whole "
      "run</b><ul>\n";
  for (const auto& gap : m.gaps) {
    std::string when = !gap.from_s ? "" : " at " + seconds(*gap.from_s);
    if (gap.from_s) when += gap.to_s ? " until " + seconds(*gap.to_s) : " until the end";
    out += "<li>" +
           esc(gap.agent + " on " + gap.node + " " + gap.what + when +
               (gap.detail.empty() ? "" : ": " + gap.detail)) +
           "</li>\n";
  }
  return out + "</ul></div>\n";
}

std::string summary(const Report& report) {
  const auto& m = report.metrics;
  const auto& b = m.blast_radius;
  const auto& r = m.recovery;
  std::string recovery = "\u2014";
  if (m.rollback_s) {
    // The parts the lab has: a lab without DNS sites has no site to recover.
    bool any = !m.sites.empty() || !m.routes.empty() || !m.clients.empty() || !m.reach.empty();
    std::vector<std::string> parts;
    if (!m.sites.empty() || !any) parts.push_back("sites " + opt_seconds(r.sites_s));
    if (!m.routes.empty() || !any) parts.push_back("prefixes " + opt_seconds(r.prefixes_s));
    if (!m.clients.empty() || !any) parts.push_back("DNS " + opt_seconds(r.dns_s));
    if (!m.reach.empty()) parts.push_back("reachability " + opt_seconds(r.reachability_s));
    recovery = "all " + opt_seconds(r.all_s) + " (" + fmt::format("{}", fmt::join(parts, ", ")) +
               ")" + (r.complete ? "" : ", incomplete");
  }
  auto pair = [](const std::string& k1, const std::string& v1, const std::string& k2,
                 const std::string& v2) {
    return "<tr><th>" + esc(k1) + "</th><td>" + v1 + "</td><th>" + esc(k2) + "</th><td>" + v2 +
           "</td></tr>\n";
  };
  std::string out = "<table class=\"summary\"><tbody>\n";
  out += pair("lab", esc(m.lab), "result",
              verdict_badge(report.verdict()) +
                  (m.cut_short ? " <span class=\"warn\">(cut short)</span>" : ""));
  out += pair("topology", "<code>" + esc(m.topology) + "</code>", "script",
              "<code>" + esc(m.script) + "</code>");
  out += pair("started", esc(utc_time(m.start_ts)), "duration", esc(seconds(m.duration_s)));
  out += pair("change at", esc(opt_seconds(m.change_s)), "rollback at",
              esc(opt_seconds(m.rollback_s)));
  out += pair("sites withdrawn", esc(count_of(b.sites_withdrawn, b.sites_total)), "prefixes lost",
              esc(count_of(b.prefixes_lost, b.prefixes_total) + "; at " +
                  count_of(b.vantage_prefixes_lost, b.vantage_prefixes_total) +
                  " vantage point \u00d7 prefix pairs"));
  out +=
      pair("clients affected", esc(count_of(b.clients_affected, b.clients_total)), "DNS success",
           esc(percent(m.dns_success_ratio)) + " <span class=\"muted\">(resolver queries)</span>");
  if (!m.reach.empty()) {
    const auto& reach = m.reach_summary;
    std::string lost = count_of(reach.pairs_lost, reach.pairs);
    if (reach.never_answered > 0) lost += fmt::format(", {} never answered", reach.never_answered);
    std::optional<double> ratio;
    if (reach.probes > 0) ratio = static_cast<double>(reach.ok) / static_cast<double>(reach.probes);
    out += pair("pairs unreachable",
                (reach.pairs_lost > 0 ? "<span class=\"fail\">" : "<span>") + esc(lost) + "</span>",
                "reachability",
                esc(percent(ratio)) + " <span class=\"muted\">(probes answered)</span>");
  }
  out +=
      pair("recovery after rollback", esc(recovery), "events",
           esc(fmt::format("{}", m.events)) +
               (report.events_path.empty() ? "" : " <code>" + esc(report.events_path) + "</code>"));
  return out + "</tbody></table>\n";
}

std::string expectations(const Report& report) {
  if (report.expectations.empty())
    return "<p class=\"muted\">The script has no expectations.</p>\n";
  std::vector<std::vector<Cell>> rows;
  for (const auto& e : report.expectations) {
    rows.push_back(
        {verdict(e.passed), "<code>" + esc(e.text) + "</code>",
         num(e.value ? esc(number(*e.value))
                     : "<span class=\"muted\">" + esc("no value: " + e.missing) + "</span>"),
         "<span class=\"muted\">" + esc(e.where) + "</span>"});
  }
  return table({"", "expectation", "value", "where"}, rows);
}

std::string steps_table(const Report& report) {
  const auto& steps = report.metrics.steps;
  Anchors anchors = find_anchors(steps);
  std::vector<std::vector<Cell>> rows;
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& s = steps[i];
    std::string role = anchors.change_step == i     ? " <b>(change)</b>"
                       : anchors.rollback_step == i ? " <b>(rollback)</b>"
                                                    : "";
    std::string state =
        s.state == measure::StepState::kFailed    ? "<span class=\"fail\">failed</span>"
        : s.state == measure::StepState::kDone    ? "done"
        : s.state == measure::StepState::kSkipped ? "<span class=\"warn\">skipped</span>"
        : s.state == measure::StepState::kRefused ? "<span class=\"warn\">refused</span>"
        : s.state == measure::StepState::kHalted  ? "<span class=\"warn\">halted</span>"
                                                 : "<span class=\"warn\">running at the end</span>";
    std::string what = esc(s.detail);
    if (!s.error.empty())
      what += (what.empty() ? "" : "<br/>") + ("<span class=\"fail\">" + esc(s.error) + "</span>");
    rows.push_back({num(std::to_string(s.index)), esc(s.name) + role, esc(s.kind),
                    num(esc(seconds(s.start_s))), num(esc(opt_seconds(s.end_s))), state, what});
  }
  return table({"#", "step", "kind", "start", "end", "state", "what it did"}, rows);
}

std::string sites_table(const Report& report) {
  std::vector<std::vector<Cell>> rows;
  for (const auto& s : report.metrics.sites) {
    std::string outcome = s.no_events     ? "<span class=\"warn\">no events from healthd</span>"
                          : s.withdrawn   ? "<span class=\"fail\">withdrawn</span>"
                          : s.degraded    ? "<span class=\"warn\">degraded</span>"
                          : s.fail_static ? "fail-static, kept announcing"
                          : s.guarded     ? "guarded, kept announcing"
                                          : "kept announcing";
    std::string windows;
    for (const auto& w : s.withdrawn_windows)
      windows += (windows.empty() ? "" : "<br/>") + esc(window_text(w));
    rows.push_back({esc(s.node), esc(s.pop), outcome, delay_cell(s.health_failed),
                    delay_cell(s.withdrawn_after), delay_cell(s.reannounced_after), windows});
  }
  return table({"site", "PoP", "outcome", "health failed (from change)", "withdrawn (from change)",
                "re-announced (from rollback)", "withdrawn windows (from start)"},
               rows);
}

std::string routes_table(const Report& report) {
  std::vector<std::vector<Cell>> rows;
  for (const auto& r : report.metrics.routes) {
    std::string state = r.no_events ? "<span class=\"warn\">no events from routewatch</span>"
                        : r.lost    ? "<span class=\"fail\">lost</span>"
                                    : "kept";
    // A time from a re-dump is the dump's, later than the change: say so where it is shown.
    if (r.approximate)
      state +=
          " <span class=\"warn\" title=\"found by a re-dump after lost route messages: "
          "the times are the dump's\">(approximate)</span>";
    std::string went;
    for (const auto& h : r.next_hops) {
      std::string via = h.action == "remove" ? std::string("removed")
                        : h.gateway.empty()  ? std::string("direct")
                                             : "via " + h.gateway;
      if (!h.dev.empty() && h.action != "remove") via += " (" + h.dev + ")";
      if (!h.protocol.empty() && h.action != "remove") via += " " + h.protocol;
      went += (went.empty() ? "" : "<br/>") +
              esc(h.action == "present" ? "at start " + via : seconds(h.at_s) + " " + via);
    }
    rows.push_back({esc(r.vantage), "<code>" + esc(r.prefix) + "</code>", esc(r.kind),
                    r.present_at_start ? "yes" : "<span class=\"warn\">no</span>", state,
                    delay_cell(r.lost_after), delay_cell(r.regained_after),
                    num(esc(seconds(r.absent_s))), went});
  }
  return table({"node", "prefix", "kind", "present at start", "state", "lost (from change)",
                "regained (from rollback)", "absent", "route (next hop, from start)"},
               rows);
}

std::string clients_table(const Report& report) {
  std::vector<std::vector<Cell>> rows;
  auto ms = [](const std::optional<double>& v) {
    return num(v ? esc(milliseconds(*v)) : "\u2014");
  };
  for (const auto& c : report.metrics.clients) {
    std::string outages;
    for (const auto& w : c.outages)
      outages += (outages.empty() ? "" : "<br/>") + esc(window_text(w));
    const auto& f = c.failures;
    rows.push_back({esc(c.client), esc(c.target), num(std::to_string(c.queries)),
                    num(esc(percent(c.success_ratio))), ms(c.latency_p50_ms), ms(c.latency_p95_ms),
                    ms(c.latency_p99_ms),
                    esc(fmt::format("servfail {}, timeout {}, unreachable {}, other {}", f.servfail,
                                    f.timeout, f.unreachable, f.other)),
                    outages.empty() ? "none" : outages,
                    num(esc(opt_seconds(c.recovered_after_rollback_s)))});
  }
  return table({"client", "target", "queries", "success", "p50", "p95", "p99", "failures",
                "outages (from start)", "recovered (from rollback)"},
               rows);
}

std::string reach_table(const Report& report) {
  std::vector<std::vector<Cell>> rows;
  auto ms = [](const std::optional<double>& v) {
    return num(v ? esc(milliseconds(*v)) : "\u2014");
  };
  for (const auto& p : report.metrics.reach) {
    std::string proto = p.proto == "tcp" ? fmt::format("tcp {}", p.port) : p.proto;
    if (p.no_events) {
      rows.push_back({esc(p.from), esc(p.target), esc(proto),
                      "<span class=\"warn\">no events from reachprobe</span>", "", "", "", "", "",
                      "", ""});
      continue;
    }
    std::string outages;
    for (const auto& w : p.outages)
      outages += (outages.empty() ? "" : "<br/>") + esc(window_text(w));
    std::string state = p.never_answered ? "<span class=\"fail\">never answered</span>"
                        : p.lost         ? "<span class=\"fail\">lost</span>"
                                         : "kept";
    const auto& f = p.failures;
    rows.push_back({esc(p.from),
                    esc(p.target) + " <span class=\"muted\">" + esc(p.address) + "</span>",
                    esc(proto), state, num(std::to_string(p.probes)),
                    num(esc(percent(p.success_ratio))), ms(p.rtt_p50_ms), ms(p.rtt_p95_ms),
                    esc(fmt::format("timeout {}, unreachable {}, refused {}, other {}", f.timeout,
                                    f.unreachable, f.refused, f.other)),
                    num(esc(opt_seconds(p.lost_after_change_s))),
                    num(esc(opt_seconds(p.regained_after_rollback_s)))});
    if (!outages.empty()) rows.back()[3] = rows.back()[3].html + "<br/>" + outages;
  }
  return table({"from", "to", "proto", "state (outages from start)", "probes", "answered",
                "rtt p50", "rtt p95", "failures", "lost (from change)", "regained (from rollback)"},
               rows);
}

// Queries per second, with a precision that suits their size: "0.35", "12.5", "480".
std::string rate_text(const std::optional<double>& qps) {
  if (!qps) return "\u2014";
  if (*qps < 10) return fmt::format("{:.2f} q/s", *qps);
  if (*qps < 100) return fmt::format("{:.1f} q/s", *qps);
  return fmt::format("{:.0f} q/s", *qps);
}

std::string ratio_cell(const std::optional<double>& ratio) {
  if (!ratio) return "\u2014";
  std::string text = esc(fmt::format("{:.1f}\u00d7", *ratio));
  return *ratio >= 2 ? "<span class=\"fail\">" + text + "</span>" : text;
}

std::string resolver_load_table(const Report& report) {
  const auto& m = report.metrics;
  if (m.resolver_load_total.clients == 0) {
    return "<p class=\"muted\">No querywatch events: the resolvers' upstream load was not "
           "measured.</p>\n";
  }
  std::vector<std::vector<Cell>> rows;
  for (const auto& load : m.resolver_load) {
    if (load.no_events) {
      rows.push_back({esc(load.client), "<span class=\"warn\">no events from querywatch</span>", "",
                      "", "", "", "", ""});
      continue;
    }
    std::string peak =
        load.peak_qps ? esc(rate_text(load.peak_qps) + " at " + seconds(load.peak_at_s.value_or(0)))
                      : "\u2014";
    rows.push_back(
        {esc(load.client), num(esc(rate_text(load.baseline_qps))),
         num(esc(rate_text(load.outage_qps))), num(ratio_cell(load.ratio)), num(peak),
         esc(load.basis), num(std::to_string(load.probe_queries_excluded)),
         num(load.drops > 0 ? "<span class=\"warn\">" + std::to_string(load.drops) + "</span>"
                            : "0")});
  }
  const auto& total = m.resolver_load_total;
  rows.push_back({"<b>total</b>", num(esc(rate_text(total.baseline_qps))),
                  num(esc(rate_text(total.outage_qps))), num(ratio_cell(total.ratio)), "",
                  "<span class=\"muted\">sum of the clients' rates</span>", "", ""});
  return table({"client", "baseline (before the change)", "outage", "ratio", "peak (from start)",
                "outage window", "dnsprobe queries left out", "drops"},
               rows) +
         "<p class=\"muted\">Upstream queries per second from each client's resolver to the "
         "anycast name servers (UDP queries and TCP connections, counted on the wire by "
         "querywatch, less dnsprobe's own queries sent straight to them).</p>\n";
}

std::string bgp_table(const Report& report) {
  if (report.metrics.bgp.empty()) return "<p class=\"muted\">No BGP session changed state.</p>\n";
  std::vector<std::vector<Cell>> rows;
  for (const auto& c : report.metrics.bgp) {
    rows.push_back({num(esc(seconds(c.at_s))), esc(c.node), esc(c.peer),
                    c.state == "down" ? "<span class=\"fail\">down</span>" : esc(c.state)});
  }
  return table({"at (from start)", "router", "peer", "state"}, rows);
}

// The lab drawn, and its Mermaid text folded under it for a user to paste elsewhere.
std::string lab_graph(const LabGraph& graph) {
  return "<section id=\"lab-graph\"><h2>Lab</h2>\n" + graph.svg +
         "<details><summary>Mermaid text of this graph (for Markdown, mermaid.live)</summary>"
         "<pre><code>" +
         esc(graph.mermaid) + "</code></pre></details>\n</section>\n";
}

}  // namespace

std::string report_html(const Report& report) {
  const auto& m = report.metrics;
  std::string title = "blastlab: " + script_name(m.script) + " on " + m.lab;
  std::string out =
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n";
  out +=
      "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\"/>\n";
  out += "<title>" + esc(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += "<h1>" + esc(title) + verdict_badge(report.verdict()) + "</h1>\n";
  out +=
      "<div class=\"sub\">" +
      esc(fmt::format("lab {} \u00b7 topology {} \u00b7 script {}", m.lab, m.topology, m.script)) +
      "</div>\n";
  if (m.cut_short) {
    out += "<div class=\"banner\"><b>The run was cut short:</b> " +
           esc(m.cut_short_reason.empty() ? "it ended early" : m.cut_short_reason) + "</div>\n";
  }
  out += gaps_banner(m);
  out += "<section id=\"summary\">\n" + summary(report) + "</section>\n";
  out += "<section id=\"expectations\"><h2>Expectations</h2>\n" + expectations(report) +
         "</section>\n";
  out += "<section id=\"timeline-section\"><h2>Timeline</h2>\n" + svg_timeline(report) +
         "</section>\n";
  if (report.graph) out += lab_graph(*report.graph);
  out += "<section id=\"steps\"><h2>Steps</h2>\n" + steps_table(report) + "</section>\n";
  out += "<section id=\"sites\"><h2>Sites</h2>\n" + sites_table(report) + "</section>\n";
  if (!report.metrics.reach.empty())
    out += "<section id=\"reachability\"><h2>Reachability</h2>\n" + reach_table(report) +
           "</section>\n";
  out += "<section id=\"routes\"><h2>Routes watched</h2>\n" + routes_table(report) + "</section>\n";
  out +=
      "<section id=\"clients\"><h2>Clients (DNS)</h2>\n" + clients_table(report) + "</section>\n";
  out += "<section id=\"resolver-load\"><h2>Resolver load</h2>\n" + resolver_load_table(report) +
         "</section>\n";
  out += "<section id=\"bgp\"><h2>BGP session changes</h2>\n" + bgp_table(report) + "</section>\n";
  if (!m.warnings.empty()) {
    out += "<section id=\"warnings\"><h2>Warnings</h2>\n<ul>\n";
    for (const auto& w : m.warnings) out += "<li class=\"warn\">" + esc(w) + "</li>\n";
    out += "</ul></section>\n";
  }
  out += "<footer>" +
         esc(fmt::format("report schema blastlab.report v{} \u00b7 {} events from {} \u00b7 "
                         "times in seconds: steps and windows from the run's start, delays from "
                         "the change or the rollback",
                         m.schema_version, m.events,
                         report.events_path.empty() ? "-" : report.events_path)) +
         "</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace blastlab::report
