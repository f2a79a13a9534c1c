// report.txt: the summary `blastlab run` prints when it ends, and keeps beside the other
// report files. It answers, in about a screen, what changed when, how far the damage
// spread (sites, prefixes, clients) and how it compares with what the timers predict,
// and whether the expectations held. Verdicts are words (PASS/FAIL/INCOMPLETE) as well as marks, so
// it reads the same without colour, in a CI log or a pasted ticket.
#include <fmt/format.h>

#include <algorithm>

#include "controller/report/format.hpp"
#include "controller/report/report.hpp"

namespace blastlab::report {

namespace {

// ANSI colours, only when asked for: the text must be identical apart from them.
class Paint {
 public:
  explicit Paint(bool on) : on_(on) {}
  std::string bold(const std::string& s) const { return wrap("1", s); }
  std::string dim(const std::string& s) const { return wrap("2", s); }
  std::string red(const std::string& s) const { return wrap("1;31", s); }
  std::string green(const std::string& s) const { return wrap("1;32", s); }
  std::string yellow(const std::string& s) const { return wrap("33", s); }
  std::string verdict(Verdict verdict) const {
    switch (verdict) {
      case Verdict::kPass:
        return green("PASS \u2714");
      case Verdict::kFail:
        return red("FAIL \u2718");
      case Verdict::kIncomplete:
        break;
    }
    return red("INCOMPLETE ?");
  }

 private:
  std::string wrap(const char* code, const std::string& s) const {
    return on_ ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
  }
  bool on_;
};

// Rows of cells printed with aligned columns (by display width), two spaces apart, the
// last column left ragged. Colour is applied after padding, per cell, through `paint`.
class Table {
 public:
  void add(std::vector<std::string> row, std::vector<std::string> painted = {}) {
    rows_.push_back(std::move(row));
    painted_.push_back(std::move(painted));
  }
  void render(std::string& out, const std::string& indent = "  ") const {
    std::vector<size_t> widths;
    for (const auto& row : rows_) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (widths.size() <= i) widths.push_back(0);
        if (i + 1 < row.size()) widths[i] = std::max(widths[i], display_width(row[i]));
      }
    }
    for (size_t r = 0; r < rows_.size(); ++r) {
      const auto& row = rows_[r];
      std::string line = indent;
      for (size_t i = 0; i < row.size(); ++i) {
        bool has_paint = i < painted_[r].size() && !painted_[r][i].empty();
        line += has_paint ? painted_[r][i] : row[i];
        if (i + 1 < row.size()) line += std::string(widths[i] - display_width(row[i]) + 2, ' ');
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
  }
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::vector<std::string>> painted_;
};

std::string with_prediction(const std::string& what, const measure::Delay& delay) {
  return what + " " + delay_text(delay);
}

void header(std::string& out, const Report& report, const Paint& paint) {
  const auto& m = report.metrics;
  out += paint.bold("blastlab run") + "  lab " + m.lab + "  script " + m.script + "  topology " +
         m.topology + "\n";
  std::string line =
      fmt::format("  {} from {}, {} events", seconds(m.duration_s), utc_time(m.start_ts), m.events);
  if (m.change_s) line += "  change at " + seconds(*m.change_s);
  if (m.rollback_s) line += "  rollback at " + seconds(*m.rollback_s);
  out += line + "  " + paint.verdict(report.verdict()) + "\n";
  if (m.cut_short) {
    out += "  " + paint.red("CUT SHORT") + ": " +
           (m.cut_short_reason.empty() ? "the run ended early" : m.cut_short_reason) + "\n";
  }
}

// When a gap was: "12.5 s – 14.0 s", "12.5 s – end", or "whole run" for an agent that
// wrote nothing.
std::string gap_span(const measure::MeasurementGap& gap) {
  if (!gap.from_s) return "whole run";
  return seconds(*gap.from_s) + " \u2013 " + (gap.to_s ? seconds(*gap.to_s) : "end");
}

// Holes in the measurement, first after the header: they make every figure below partial.
void gaps(std::string& out, const Report& report, const Paint& paint) {
  const auto& list = report.metrics.gaps;
  if (list.empty()) return;
  out += paint.bold("measurement gaps") + "  the run is incomplete: these agents did not measure\n";
  Table table;
  for (const auto& gap : list) {
    table.add({gap.agent + " on " + gap.node, gap.what, gap_span(gap), gap.detail},
              {"", paint.red(gap.what), "", ""});
  }
  table.render(out);
}

// A row measured by an agent that died or fell silent during the run gets a line under it:
// what it shows was seen only outside that stretch. Empty when the agent measured
// throughout (an agent that wrote nothing has its row say so instead).
std::string partial_note(const Report& report, std::string_view agent, std::string_view node) {
  std::string note;
  for (const auto& gap : report.metrics.gaps) {
    if (gap.agent != agent || gap.node != node || !gap.from_s) continue;
    note += note.empty() ? "partial: " : "; ";
    note += fmt::format("{} {} {}", gap.agent, gap.what, gap_span(gap));
  }
  return note;
}

void add_partial_note(Table& table, size_t column, const std::string& note, const Paint& paint) {
  if (note.empty()) return;
  std::vector<std::string> cells(column + 1), painted(column + 1);
  cells[column] = note;
  painted[column] = paint.yellow(note);
  table.add(cells, painted);
}

void steps(std::string& out, const Report& report, const Paint& paint) {
  const auto& list = report.metrics.steps;
  if (list.empty()) return;
  out += paint.bold("steps") + "\n";
  Anchors anchors = find_anchors(list);
  Table table;
  for (size_t i = 0; i < list.size(); ++i) {
    const auto& s = list[i];
    std::string role = anchors.change_step == i     ? "change"
                       : anchors.rollback_step == i ? "rollback"
                                                    : "";
    std::string note = s.error.empty() ? s.detail : "error: " + s.error;
    std::string state = s.state == measure::StepState::kDone      ? "done"
                        : s.state == measure::StepState::kFailed  ? "FAILED"
                        : s.state == measure::StepState::kSkipped ? "skipped"
                        : s.state == measure::StepState::kRefused ? "REFUSED"
                        : s.state == measure::StepState::kHalted  ? "HALTED"
                                                                  : "running";
    table.add({std::to_string(s.index), s.name, s.kind, seconds(s.start_s),
               s.end_s ? seconds(*s.end_s) : "\u2014", state, role, note},
              {"", role.empty() ? "" : paint.bold(s.name), "", "", "",
               s.state == measure::StepState::kFailed ? paint.red(state) : "",
               role.empty() ? "" : paint.bold(role), ""});
  }
  table.render(out);
}

void blast_radius(std::string& out, const Report& report, const Paint& paint) {
  const auto& b = report.metrics.blast_radius;
  out += paint.bold("blast radius") + "\n";
  const auto& m = report.metrics;
  Table table;
  // A lab without DNS sites or DNS probes has no line for them: 0/0 would read as a finding.
  if (b.sites_total > 0) table.add({"sites withdrawn", count_of(b.sites_withdrawn, b.sites_total)});
  if (b.prefixes_total > 0 || b.sites_total > 0)
    table.add({"prefixes lost", count_of(b.prefixes_lost, b.prefixes_total) + ", at " +
                                    count_of(b.vantage_prefixes_lost, b.vantage_prefixes_total) +
                                    " of vantage point \u00d7 prefix pairs"});
  if (b.clients_total > 0 || b.sites_total > 0)
    table.add({"clients affected", count_of(b.clients_affected, b.clients_total)});
  if (!m.reach.empty()) {
    std::string lost = count_of(m.reach_summary.pairs_lost, m.reach_summary.pairs);
    if (m.reach_summary.never_answered > 0)
      lost += fmt::format(", {} never answered", m.reach_summary.never_answered);
    table.add({"pairs unreachable", lost},
              {"", m.reach_summary.pairs_lost > 0 ? paint.red(lost) : ""});
  }
  table.render(out);
}

void sites(std::string& out, const Report& report, const Paint& paint) {
  const auto& list = report.metrics.sites;
  if (list.empty()) return;
  out +=
      paint.bold("sites") + paint.dim("  (from the change; re-announced from the rollback)") + "\n";
  Table table;
  for (const auto& s : list) {
    std::string name = s.node + (s.pop.empty() ? "" : " @" + s.pop);
    if (s.no_events) {
      table.add({name, "no events from its healthd"},
                {"", paint.yellow("no events from its healthd")});
      continue;
    }
    std::string health = s.health_failed.measured_s
                             ? with_prediction("health failed", s.health_failed)
                             : "health did not fail";
    std::string outcome;
    if (s.withdrawn || s.degraded) {
      outcome = with_prediction(s.degraded ? "degraded" : "withdrawn", s.withdrawn_after);
    } else if (s.fail_static) {
      outcome = "fail-static, kept announcing";
    } else if (s.guarded) {
      outcome = "guarded (too few other sites seen announcing), kept announcing";
    } else {
      outcome = "kept announcing";
    }
    std::string back;
    if (s.reannounced_after.measured_s) {
      back = "re-announced " + seconds(*s.reannounced_after.measured_s) + " after rollback";
    } else if (s.withdrawn || s.degraded) {
      back = "not re-announced by the end";
    }
    table.add({name, health, outcome, back}, {"", "",
                                              s.withdrawn  ? paint.red(outcome)
                                              : s.degraded ? paint.yellow(outcome)
                                                           : "",
                                              ""});
    add_partial_note(table, 1, partial_note(report, "healthd", s.node), paint);
  }
  table.render(out);
}

// Where a prefix went, when its route changed during the run: "via 198.19.0.1 (pop1),
// 5.21 s via 198.19.0.7 (transit2), 9.80 s removed". Empty when the route never changed.
std::string next_hop_text(const std::vector<measure::NextHopChange>& hops) {
  constexpr size_t kShown = 4;  // the rest are in report.json
  size_t changes = 0;
  for (const auto& h : hops) changes += h.action == "present" ? 0 : 1;
  if (changes == 0) return "";
  auto via = [](const measure::NextHopChange& h) {
    if (h.action == "remove") return std::string("removed");
    std::string text = h.gateway.empty() ? std::string("direct") : "via " + h.gateway;
    if (!h.dev.empty()) text += " (" + h.dev + ")";
    return text;
  };
  std::string text;
  size_t shown = 0;
  for (const auto& h : hops) {
    if (shown == kShown) {
      text += fmt::format(", and {} more", hops.size() - shown);
      break;
    }
    if (!text.empty()) text += ", ";
    text += h.action == "present" ? via(h) : seconds(h.at_s) + " " + via(h);
    ++shown;
  }
  return "route: " + text;
}

void routes(std::string& out, const Report& report, const Paint& paint) {
  const auto& list = report.metrics.routes;
  if (list.empty()) return;
  out += paint.bold("routes at vantage points") +
         paint.dim("  (lost from the change; regained from the rollback)") + "\n";
  Table table;
  for (const auto& r : list) {
    std::string state;
    std::string back;
    if (r.no_events) {
      state = "no events from its routewatch";
    } else if (r.lost) {
      state = with_prediction("lost", r.lost_after) + ", absent " + seconds(r.absent_s);
      if (r.regained_after.measured_s) {
        back = "regained " + seconds(*r.regained_after.measured_s) + " after rollback";
      } else if (!r.absent_windows.empty() && r.absent_windows.back().end_s) {
        back = "back by itself";  // before the rollback, or in a run without one
      } else {
        back = "not regained by the end";
      }
    } else {
      state = "kept";
    }
    if (!r.present_at_start && !r.no_events) state = "absent at start; " + state;
    if (r.approximate) back += " (approximate: found by a re-dump after lost messages)";
    table.add({r.vantage, r.prefix, r.kind, state, back}, {"", "", "",
                                                           r.lost        ? paint.red(state)
                                                           : r.no_events ? paint.yellow(state)
                                                                         : "",
                                                           ""});
    if (std::string went = next_hop_text(r.next_hops); !went.empty()) table.add({"", "", "", went});
    add_partial_note(table, 3, partial_note(report, "routewatch", r.vantage), paint);
  }
  table.render(out);
}

std::string outage_list(const std::vector<measure::Window>& outages) {
  constexpr size_t kShown = 3;  // the rest are in report.html and report.json
  std::string text;
  for (size_t i = 0; i < outages.size() && i < kShown; ++i) {
    if (i > 0) text += ", ";
    text += window_text(outages[i]);
  }
  if (outages.size() > kShown) text += fmt::format(" and {} more", outages.size() - kShown);
  return text;
}

std::string failure_list(const measure::FailureCounts& f) {
  std::vector<std::string> parts;
  if (f.servfail > 0) parts.push_back(fmt::format("servfail {}", f.servfail));
  if (f.timeout > 0) parts.push_back(fmt::format("timeout {}", f.timeout));
  if (f.unreachable > 0) parts.push_back(fmt::format("unreachable {}", f.unreachable));
  if (f.other > 0) parts.push_back(fmt::format("other {}", f.other));
  return parts.empty() ? "none" : fmt::format("{}", fmt::join(parts, ", "));
}

void clients(std::string& out, const Report& report, const Paint& paint) {
  const auto& list = report.metrics.clients;
  if (list.empty()) return;
  out += paint.bold("clients") + paint.dim("  (DNS; outages from run start)") + "\n";
  Table table;
  auto latency = [](const char* name, const std::optional<double>& ms) {
    return fmt::format("{} {}", name, ms ? milliseconds(*ms) : "\u2014");
  };
  for (const auto& c : list) {
    std::string ratio = fmt::format("{} ok ({}/{})", percent(c.success_ratio), c.ok, c.queries);
    std::string recovered =
        c.recovered_after_rollback_s
            ? "recovered " + seconds(*c.recovered_after_rollback_s) + " after rollback"
            : "";
    table.add({c.client, c.target, ratio,
               latency("p50", c.latency_p50_ms) + "  " + latency("p95", c.latency_p95_ms) + "  " +
                   latency("p99", c.latency_p99_ms),
               recovered},
              {"", "", c.ok < c.queries ? paint.red(ratio) : paint.green(ratio), "", ""});
    if (!c.outages.empty() || c.ok < c.queries) {
      std::string outages = c.outages.empty() ? "no outage" : "outages " + outage_list(c.outages);
      table.add({"", "", "", "failures " + failure_list(c.failures), outages});
    }
    add_partial_note(table, 2, partial_note(report, "dnsprobe", c.client), paint);
  }
  table.render(out);
}

std::string reach_failure_list(const measure::ReachFailures& f) {
  std::vector<std::string> parts;
  if (f.timeout > 0) parts.push_back(fmt::format("timeout {}", f.timeout));
  if (f.unreachable > 0) parts.push_back(fmt::format("unreachable {}", f.unreachable));
  if (f.refused > 0) parts.push_back(fmt::format("refused {}", f.refused));
  if (f.other > 0) parts.push_back(fmt::format("other {}", f.other));
  return parts.empty() ? "none" : fmt::format("{}", fmt::join(parts, ", "));
}

void reachability(std::string& out, const Report& report, const Paint& paint) {
  const auto& list = report.metrics.reach;
  if (list.empty()) return;
  out += paint.bold("reachability") +
         paint.dim("  (lost from the change; regained from the rollback; outages from run start)") +
         "\n";
  Table table;
  for (const auto& p : list) {
    std::string pair = p.from + " \u2192 " + p.target;
    std::string proto = p.proto == "tcp" ? fmt::format("tcp {}", p.port) : p.proto;
    if (p.no_events) {
      table.add({pair, proto, "no events from its reachprobe"},
                {"", "", paint.yellow("no events from its reachprobe")});
      continue;
    }
    std::string ratio = fmt::format("{} ok ({}/{})", percent(p.success_ratio), p.ok, p.probes);
    std::string state;
    if (p.never_answered) {
      state = "NEVER ANSWERED";
    } else if (p.lost) {
      state = (p.lost_after_change_s ? "lost " + seconds(*p.lost_after_change_s) + " after change"
                                     : std::string("lost"));
      state += ", for " + seconds(p.outage_s);
    } else {
      state = "kept";
    }
    std::string back;
    if (p.regained_after_rollback_s) {
      back = "regained " + seconds(*p.regained_after_rollback_s) + " after rollback";
    } else if (p.lost && !p.outages.empty() && !p.outages.back().end_s) {
      back = "not regained by the end";
    }
    std::string rtt =
        fmt::format("rtt p50 {}  p95 {}", p.rtt_p50_ms ? milliseconds(*p.rtt_p50_ms) : "\u2014",
                    p.rtt_p95_ms ? milliseconds(*p.rtt_p95_ms) : "\u2014");
    table.add({pair, proto, ratio, rtt, state, back},
              {"", "", p.ok < p.probes ? paint.red(ratio) : paint.green(ratio), "",
               p.lost || p.never_answered ? paint.red(state) : "", ""});
    if (!p.outages.empty() || p.ok < p.probes) {
      std::string outages = p.outages.empty() ? "no outage" : "outages " + outage_list(p.outages);
      table.add({"", "", "", "failures " + reach_failure_list(p.failures), outages});
    }
    add_partial_note(table, 2, partial_note(report, "reachprobe", p.from), paint);
  }
  table.render(out);
}

// Queries per second, with a precision that suits their size: "0.35", "12.5", "480".
std::string rate_text(const std::optional<double>& qps) {
  if (!qps) return "\u2014";
  if (*qps < 10) return fmt::format("{:.2f} q/s", *qps);
  if (*qps < 100) return fmt::format("{:.1f} q/s", *qps);
  return fmt::format("{:.0f} q/s", *qps);
}

std::string ratio_text(const std::optional<double>& ratio) {
  return ratio ? fmt::format("{:.1f}\u00d7", *ratio) : "\u2014";
}

// A resolver sending many times its baseline upstream is the 2021 outage's signature.
constexpr double kLoadRatioAlarm = 2;

void resolver_load(std::string& out, const Report& report, const Paint& paint) {
  const auto& m = report.metrics;
  // Without querywatch there is nothing to say; the JSON still lists the clients.
  if (m.resolver_load_total.clients == 0) return;
  out += paint.bold("resolver load") +
         paint.dim("  (upstream queries to the name servers: baseline before the change)") + "\n";
  Table table;
  auto ratio_paint = [&](const std::optional<double>& ratio) {
    std::string text = ratio_text(ratio);
    return ratio && *ratio >= kLoadRatioAlarm ? paint.red(text) : std::string();
  };
  for (const auto& load : m.resolver_load) {
    if (load.no_events) {
      table.add({load.client, "no events from its querywatch"},
                {"", paint.yellow("no events from its querywatch")});
      continue;
    }
    std::string peak = load.peak_qps ? "peak " + rate_text(load.peak_qps) + " at " +
                                           seconds(load.peak_at_s.value_or(0))
                                     : "peak \u2014";
    table.add({load.client, "baseline " + rate_text(load.baseline_qps),
               "outage " + rate_text(load.outage_qps), ratio_text(load.ratio), peak, load.basis},
              {"", "", "", ratio_paint(load.ratio), "", paint.dim(load.basis)});
    add_partial_note(table, 1, partial_note(report, "querywatch", load.client), paint);
  }
  const auto& total = m.resolver_load_total;
  if (total.clients > 1) {
    table.add({"total", "baseline " + rate_text(total.baseline_qps),
               "outage " + rate_text(total.outage_qps), ratio_text(total.ratio)},
              {paint.bold("total"), "", "", ratio_paint(total.ratio)});
  }
  table.render(out);
}

void recovery(std::string& out, const Report& report, const Paint& paint) {
  const auto& m = report.metrics;
  if (!m.rollback_s) return;
  const auto& r = m.recovery;
  auto part = [](const char* name, const std::optional<double>& s) {
    return fmt::format("{} {}", name, s ? seconds(*s) : "\u2014");
  };
  // The parts the lab has: a lab without DNS sites has no site to recover, not one in 0 s.
  bool any_part = !m.sites.empty() || !m.routes.empty() || !m.clients.empty() || !m.reach.empty();
  std::string line;
  if (!m.sites.empty() || !any_part) line += part("sites", r.sites_s) + "  ";
  if (!m.routes.empty() || !any_part) line += part("prefixes", r.prefixes_s) + "  ";
  if (!m.clients.empty() || !any_part) line += part("DNS", r.dns_s) + "  ";
  if (!m.reach.empty()) line += part("reachability", r.reachability_s) + "  ";
  line += part("all", r.all_s);
  out += paint.bold("recovery after rollback") + "  " + line + "  " +
         (r.complete ? paint.green("complete") : paint.red("incomplete")) + "\n";
}

void bgp(std::string& out, const Report& report, const Paint& paint) {
  const auto& list = report.metrics.bgp;
  if (list.empty()) return;
  auto downs =
      std::count_if(list.begin(), list.end(), [](const auto& c) { return c.state == "down"; });
  out += paint.bold("bgp sessions") +
         fmt::format("  {} went down, {} came up (listed in report.html)\n", downs,
                     static_cast<long>(list.size()) - downs);
}

void expectations(std::string& out, const Report& report, const Paint& paint) {
  const auto& list = report.expectations;
  auto failed = std::count_if(list.begin(), list.end(), [](const auto& e) { return !e.passed; });
  if (list.empty()) {
    out += paint.bold("expectations") + "  none\n";
    return;
  }
  out += paint.bold("expectations") +
         fmt::format("  {} passed, {} failed\n", static_cast<long>(list.size()) - failed, failed);
  Table table;
  for (const auto& e : list) {
    std::string mark = e.passed ? "\u2714 PASS" : "\u2718 FAIL";
    std::string value = e.value ? "value " + number(*e.value) : "no value: " + e.missing;
    table.add({mark, e.text, value, e.where},
              {e.passed ? paint.green(mark) : paint.red(mark), "", "", paint.dim(e.where)});
  }
  table.render(out);
}

void warnings(std::string& out, const Report& report, const Paint& paint) {
  const auto& list = report.metrics.warnings;
  if (list.empty()) return;
  out += paint.bold("warnings") + "\n";
  for (const auto& w : list) out += "  " + paint.yellow("!") + " " + w + "\n";
}

}  // namespace

std::string report_text(const Report& report, bool color) {
  Paint paint(color);
  std::string out;
  header(out, report, paint);
  gaps(out, report, paint);
  steps(out, report, paint);
  blast_radius(out, report, paint);
  sites(out, report, paint);
  routes(out, report, paint);
  clients(out, report, paint);
  reachability(out, report, paint);
  resolver_load(out, report, paint);
  recovery(out, report, paint);
  bgp(out, report, paint);
  expectations(out, report, paint);
  warnings(out, report, paint);
  return out;
}

}  // namespace blastlab::report
