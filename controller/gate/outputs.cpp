// What CI reads from a gate. Every output speaks of the same invariant results: those judged
// in the lab when it ran, otherwise those judged on the prediction (the gate stopped before
// the lab, so the prediction is all there is).
//
// junit.xml, suite `blastlab.gate`, its cases in this order:
// - "run": failed when the run is incomplete (each reason listed); skipped when the lab did
//   not run (the gate stopped before it); passed otherwise.
// - "audit": failed when the audit refused the change, skipped when the policy turns it off.
// - "prediction": never failed, because the prediction disagreeing with the lab is a finding
//   about the model, not a reason to block a change. Skipped when there was nothing to
//   compare (no prediction was made, or the lab did not run); passed otherwise, with
//   <system-out> listing the disagreements (or saying there are none). The suite's
//   `prediction_differences` property counts them for a CI that tracks the model.
// - one per invariant, named by its text: failed with the measured (or predicted) value, the
//   limit, the baseline of a relative one, the prediction, where the policy says it, and the
//   candidate lines blamed. On the prediction, an invariant it cannot judge (a metric it does
//   not predict, a limit relative to the baseline) is skipped.
//
// gate.json, keys in this order: verdict, exit_code, reason, topology, candidate, policy,
// lab, changes [{node, commands [{command, file, line}]}], audit {ran, passed, detail,
// on_prediction [invariant]}, prediction {made, basis, links_down, sessions_down,
// sites_lost, routes_lost, clients_lost, reach_lost, not_modelled, elapsed_ms},
// predict_only, stopped_before_lab, lab_ran, invariants [invariant], incomplete,
// prediction_differences, not_running [{file, line, text}], predicted {metric: value}, measured
// {values, missing}, phases
// [{name, seconds}], report_dir. An invariant is {text, file, line, column, metric, op,
// relative, factor, value, measured, missing, baseline, limit, predicted, passed, blame
// [{file, line}]}, absent numbers null.
#include "controller/gate/outputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "controller/files/safe_write.hpp"
#include "controller/report/format.hpp"
#include "controller/report/junit.hpp"

namespace blastlab::gate {
namespace {

using Json = nlohmann::ordered_json;
// A figure for people: six significant digits (0.617886, not 0.6178861788617886); gate.json
// keeps the full value.
std::string figure(double value) {
  return fmt::format("{:.6g}", value);
}

// The invariant results the verdict rests on.
const std::vector<InvariantResult>& judged(const GateResult& result) {
  return result.lab_ran ? result.invariants : result.audit.on_prediction;
}

size_t failed_count(const std::vector<InvariantResult>& results) {
  return static_cast<size_t>(std::count_if(results.begin(), results.end(),
                                           [](const InvariantResult& r) { return !r.passed; }));
}

// "Blocked: ..." from "blocked: ...", for a sentence of its own.
std::string capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

std::string upper(std::string_view word) {
  std::string out(word);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// What a relative invariant compares with before the baseline gives it a number:
// "baseline", "baseline - 0.01", "baseline * 0.9".
std::string operand_text(const Invariant& invariant) {
  if (!invariant.relative) return figure(invariant.value);
  std::string out = "baseline";
  if (invariant.factor != 1) out += " * " + figure(invariant.factor);
  if (invariant.value < 0) out += " - " + figure(-invariant.value);
  if (invariant.value > 0) out += " + " + figure(invariant.value);
  return out;
}

// "<= 0", ">= 0.98 (baseline 0.99)", or ">= baseline - 0.01" while there is no number.
std::string limit_text(const InvariantResult& r) {
  const Invariant& i = r.invariant;
  if (!r.limit) return i.op + " " + operand_text(i);
  std::string out = i.op + " " + figure(*r.limit);
  if (r.baseline) out += fmt::format(" (baseline {})", figure(*r.baseline));
  return out;
}

// An invariant the prediction could not judge, when the lab never did either.
bool not_judged(const InvariantResult& r, bool on_prediction) {
  return on_prediction && r.passed && !r.limit;
}

// Why an invariant failed, in one line.
std::string failure_message(const InvariantResult& r, bool on_prediction) {
  const Invariant& i = r.invariant;
  std::string predicted = r.predicted ? "; predicted " + figure(*r.predicted) : "";
  if (on_prediction) {
    return fmt::format("{} predicted {}, limit {}", i.metric,
                       r.predicted ? figure(*r.predicted) : "nothing", limit_text(r));
  }
  if (r.measured && r.limit) {
    return fmt::format("{} = {}, limit {}{}", i.metric, figure(*r.measured), limit_text(r),
                       predicted);
  }
  std::string value = r.measured ? " = " + figure(*r.measured) : "";
  return fmt::format("{}{}: {}; limit {}{}", i.metric, value, r.missing, limit_text(r), predicted);
}

std::string line_text(const SourceLine& line) {
  return line.line > 0 ? fmt::format("{}:{}", line.file, line.line) : line.file;
}

std::string reasons_text(const std::vector<std::string>& reasons) {
  return fmt::format("{}", fmt::join(reasons, "; "));
}

// --- junit.xml -----------------------------------------------------------------------------

report::JunitCase run_case(const GateResult& result, const std::string& time) {
  report::JunitCase c{.name = "run", .time = time};
  if (!result.incomplete.empty()) {
    c.failure_type = "incomplete";
    c.message =
        "incomplete: " + result.incomplete.front() +
        (result.incomplete.size() > 1 ? fmt::format(" (and {} more)", result.incomplete.size() - 1)
                                      : "");
    c.text = "The run's measurement cannot be trusted:";
    for (const auto& reason : result.incomplete) c.text += "\n- " + reason;
  } else if (!result.lab_ran) {
    c.skipped = true;
    c.message = "the gate stopped before the lab" +
                (result.stopped_before_lab.empty() ? "" : ": " + result.stopped_before_lab);
  }
  return c;
}

report::JunitCase audit_case(const GateResult& result) {
  const AuditOutcome& audit = result.audit;
  report::JunitCase c{.name = "audit"};
  if (!audit.ran) {
    c.skipped = true;
    c.message = "the audit is off in the policy";
  } else if (!audit.passed) {
    c.failure_type = "audit";
    c.message = "the audit refused the change: " + audit.detail;
    c.text = c.message;
    for (const auto& r : audit.on_prediction) {
      if (r.passed) continue;
      c.text += "\n- " + r.invariant.text + ": " + failure_message(r, true);
    }
  } else if (!audit.detail.empty()) {
    c.system_out = audit.detail;
  }
  return c;
}

report::JunitCase prediction_case(const GateResult& result) {
  report::JunitCase c{.name = "prediction"};
  if (!result.prediction.made) {
    c.skipped = true;
    c.message = "no prediction was made" + (result.prediction.basis.empty()
                                                ? std::string()
                                                : ": " + reasons_text(result.prediction.basis));
  } else if (!result.lab_ran) {
    c.skipped = true;
    c.message = "the lab did not run, so there is nothing to compare the prediction with";
  } else if (result.prediction_differences.empty()) {
    c.system_out = "The prediction agrees with the lab.";
  } else {
    c.system_out = fmt::format("The prediction disagrees with the lab in {} place(s):",
                               result.prediction_differences.size());
    for (const auto& d : result.prediction_differences) c.system_out += "\n- " + d;
  }
  return c;
}

report::JunitCase invariant_case(const InvariantResult& r, bool on_prediction) {
  report::JunitCase c{.name = r.invariant.text};
  if (not_judged(r, on_prediction)) {
    c.skipped = true;
    c.message =
        "not judged: the gate stopped before the lab, and the prediction cannot judge it (" +
        r.missing + ")";
  } else if (!r.passed) {
    c.failure_type = "invariant";
    c.message = failure_message(r, on_prediction);
    c.text = c.message;
    if (!r.invariant.file.empty()) {
      c.text += fmt::format("\npolicy: {}:{}:{}", r.invariant.file, r.invariant.mark.line,
                            r.invariant.mark.column);
    }
    for (const auto& line : r.blame) c.text += "\ncandidate: " + line_text(line);
  }
  return c;
}

double total_seconds(const GateResult& result) {
  double total = 0;
  for (const auto& phase : result.phases) total += phase.seconds;
  return total;
}

// --- summary.md -----------------------------------------------------------------------------

// A table cell: `|` escaped, line breaks as spaces.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string optional_number(const std::optional<double>& value) {
  return value ? figure(*value) : "—";
}

std::string result_word(const InvariantResult& r, bool on_prediction) {
  if (not_judged(r, on_prediction)) return "not judged";
  return r.passed ? "pass" : "**FAIL**";
}

std::string measured_cell(const InvariantResult& r, bool on_prediction) {
  if (on_prediction) return "—";
  if (r.measured) return figure(*r.measured);
  return "— (" + r.missing + ")";
}

void summary_changes(const GateResult& result, std::string& out) {
  out += "\n### What changed\n\n";
  if (result.changes.empty()) {
    out += "No router's configuration changes.\n";
    return;
  }
  for (const auto& change : result.changes) {
    std::vector<std::string> files;
    for (const auto& source : change.sources)
      if (!source.file.empty() && std::find(files.begin(), files.end(), source.file) == files.end())
        files.push_back(source.file);
    out += fmt::format("- **{}**: {} command(s)", change.node, change.commands.size());
    if (!files.empty()) out += fmt::format(" from `{}`", fmt::join(files, "`, `"));
    out += "\n";
  }
}

void summary_audit(const GateResult& result, std::string& out) {
  const AuditOutcome& audit = result.audit;
  out += "\n### Audit\n\n";
  if (!audit.ran) {
    out += "Off in the policy.\n";
  } else {
    out += audit.passed ? "Passed" : "**Refused**";
    out += audit.detail.empty() ? ".\n" : ": " + audit.detail + "\n";
  }
}

void summary_invariants(const GateResult& result, std::string& out) {
  bool on_prediction = !result.lab_ran;
  const auto& results = judged(result);
  out += "\n### Invariants\n\n";
  if (results.empty()) {
    out += "None were judged.\n";
    return;
  }
  if (!on_prediction) {
    out += "Judged in the lab.\n\n";
  } else {
    out += "Judged on the prediction: the lab did not run" +
           (result.stopped_before_lab.empty() ? "" : " (" + result.stopped_before_lab + ")") +
           ".\n\n";
  }
  out += "| invariant | predicted | measured | limit | result |\n";
  out += "|---|---|---|---|---|\n";
  for (const auto& r : results) {
    out += fmt::format("| `{}` | {} | {} | {} | {} |\n", cell(r.invariant.text),
                       optional_number(r.predicted), cell(measured_cell(r, on_prediction)),
                       cell(limit_text(r)), result_word(r, on_prediction));
  }
}

// The figures of the blast radius, in the order the summary shows them.
struct RadiusRow {
  const char* label;
  const char* metric;
};
constexpr RadiusRow kRadius[] = {
    {"DNS sites withdrawn", "sites.withdrawn"},
    {"prefixes lost at vantage points", "vantage_prefixes.lost"},
    {"clients affected", "clients.affected"},
    {"reachability pairs lost", "reachability.pairs_lost"},
    {"BGP sessions down", "bgp.sessions_down"},
};

void summary_blast_radius(const GateResult& result, std::string& out) {
  out += "\n### Blast radius\n\n";
  out += "| | predicted | measured |\n|---|---|---|\n";
  for (const auto& row : kRadius) {
    auto p = result.predicted.find(row.metric);
    const double* m = result.measured.find(row.metric);
    out += fmt::format("| {} | {} | {} |\n", row.label,
                       p == result.predicted.end() ? "—" : figure(p->second), m ? figure(*m) : "—");
  }
  const BlastPrediction& prediction = result.prediction;
  out += "\n";
  if (!prediction.made) {
    out += "No prediction was made" +
           (prediction.basis.empty() ? std::string() : ": " + reasons_text(prediction.basis)) +
           ".\n";
  } else if (!result.lab_ran) {
    out += "The lab did not run: nothing measured to compare the prediction with.\n";
  } else if (result.prediction_differences.empty()) {
    out += "The prediction agrees with the lab.\n";
  } else {
    out += "Where the prediction and the lab disagree:\n\n";
    for (const auto& d : result.prediction_differences) out += "- " + d + "\n";
  }
  if (!prediction.not_modelled.empty()) {
    out += "\nNot modelled by the prediction (assumed to change no routing):\n\n";
    for (const auto& line : prediction.not_modelled) out += "- `" + line + "`\n";
  }
}

void summary_phases(const GateResult& result, std::string& out) {
  if (result.phases.empty()) return;
  out += "\n### Phases\n\n| phase | wall time |\n|---|---|\n";
  for (const auto& phase : result.phases)
    out += fmt::format("| {} | {} |\n", cell(phase.name), report::seconds(phase.seconds));
  out += fmt::format("| **total** | **{}** |\n", report::seconds(total_seconds(result)));
}

// --- annotations.txt ------------------------------------------------------------------------

// GitHub's escaping in a workflow command (actions/toolkit's escapeData and escapeProperty):
// a message escapes `%`, CR and LF; a property's value `:` and `,` too, since they separate
// properties.
std::string escape(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// `::KIND file=F,line=N,title=T::MESSAGE`; an empty file leaves file and line out, a line 0
// leaves the line out.
std::string workflow_command(std::string_view kind, const SourceLine& where, std::string_view title,
                             std::string_view message) {
  std::vector<std::string> properties;
  if (!where.file.empty()) {
    properties.push_back("file=" + escape(where.file, true));
    if (where.line > 0) properties.push_back(fmt::format("line={}", where.line));
  }
  properties.push_back("title=" + escape(title, true));
  return fmt::format("::{} {}::{}\n", kind, fmt::join(properties, ","), escape(message, false));
}

// --- gate.json ------------------------------------------------------------------------------

Json optional_json(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json lines_json(const std::vector<SourceLine>& lines) {
  Json out = Json::array();
  for (const auto& line : lines) out.push_back({{"file", line.file}, {"line", line.line}});
  return out;
}

Json invariant_json(const InvariantResult& r) {
  const Invariant& i = r.invariant;
  return Json{{"text", i.text},
              {"file", i.file},
              {"line", i.mark.line},
              {"column", i.mark.column},
              {"metric", i.metric},
              {"op", i.op},
              {"relative", i.relative},
              {"factor", i.factor},
              {"value", i.value},
              {"measured", optional_json(r.measured)},
              {"missing", r.missing},
              {"baseline", optional_json(r.baseline)},
              {"limit", optional_json(r.limit)},
              {"predicted", optional_json(r.predicted)},
              {"passed", r.passed},
              {"blame", lines_json(r.blame)}};
}

Json invariants_json(const std::vector<InvariantResult>& results) {
  Json out = Json::array();
  for (const auto& r : results) out.push_back(invariant_json(r));
  return out;
}

Json prediction_json(const BlastPrediction& p) {
  Json links = Json::array();
  for (const auto& l : p.links_down) {
    links.push_back({{"a", l.a},
                     {"a_ifname", l.a_ifname},
                     {"b", l.b},
                     {"b_ifname", l.b_ifname},
                     {"cause", lines_json(l.cause.lines)}});
  }
  Json sessions = Json::array();
  for (const auto& s : p.sessions_down)
    sessions.push_back(
        {{"a", s.a}, {"b", s.b}, {"why", s.why}, {"cause", lines_json(s.cause.lines)}});
  Json routes = Json::array();
  for (const auto& r : p.routes_lost)
    routes.push_back({{"vantage", r.vantage}, {"prefix", r.prefix}, {"kind", r.kind}});
  Json reach = Json::array();
  for (const auto& pair : p.reach_lost) reach.push_back({{"from", pair.from}, {"to", pair.to}});
  return Json{{"made", p.made},
              {"basis", p.basis},
              {"links_down", links},
              {"sessions_down", sessions},
              {"sites_lost", p.sites_lost},
              {"routes_lost", routes},
              {"clients_lost", p.clients_lost},
              {"reach_lost", reach},
              {"not_modelled", p.not_modelled},
              {"elapsed_ms", p.elapsed_ms}};
}

Json changes_json(const std::vector<RouterChange>& changes) {
  Json out = Json::array();
  for (const auto& change : changes) {
    Json commands = Json::array();
    for (size_t i = 0; i < change.commands.size(); ++i) {
      SourceLine source = i < change.sources.size() ? change.sources[i] : SourceLine{};
      commands.push_back(
          {{"command", change.commands[i]}, {"file", source.file}, {"line", source.line}});
    }
    out.push_back({{"node", change.node}, {"commands", commands}});
  }
  return out;
}

}  // namespace

std::string_view to_string(GateVerdict verdict) {
  switch (verdict) {
    case GateVerdict::kPass:
      return "pass";
    case GateVerdict::kBlocked:
      return "blocked";
    case GateVerdict::kIncomplete:
      break;
  }
  return "incomplete";
}

int GateResult::exit_code() const {
  switch (verdict) {
    case GateVerdict::kPass:
      return 0;
    case GateVerdict::kBlocked:
      return 1;
    case GateVerdict::kIncomplete:
      break;
  }
  return 3;
}

std::string gate_reason(const GateResult& result) {
  const auto& results = judged(result);
  std::string where = result.lab_ran ? "in the lab" : "on the prediction";
  std::string stopped = result.stopped_before_lab.empty()
                            ? ""
                            : "; the lab did not run: " + result.stopped_before_lab;
  switch (result.verdict) {
    case GateVerdict::kIncomplete:
      return result.incomplete.empty()
                 ? "the run is incomplete"
                 : "the run is incomplete: " + reasons_text(result.incomplete);
    case GateVerdict::kBlocked:
      if (result.audit.ran && !result.audit.passed)
        return "the audit refused the change: " + result.audit.detail;
      return fmt::format("{} of {} invariants failed {}", failed_count(results), results.size(),
                         where);
    case GateVerdict::kPass:
      break;
  }
  return fmt::format("all {} invariants held {}{}", results.size(), where, stopped);
}

std::string gate_junit(const GateResult& result) {
  std::string time = fmt::format("{:.3f}", total_seconds(result));
  report::JunitSuite suite{.name = "blastlab.gate",
                           .time = time,
                           .properties = {{"verdict", std::string(to_string(result.verdict))},
                                          {"reason", gate_reason(result)},
                                          {"topology", result.topology},
                                          {"candidate", result.candidate},
                                          {"policy", result.policy},
                                          {"lab", result.lab},
                                          {"report", result.report_dir},
                                          {"prediction_differences",
                                           std::to_string(result.prediction_differences.size())}}};
  suite.cases.push_back(run_case(result, time));
  suite.cases.push_back(audit_case(result));
  suite.cases.push_back(prediction_case(result));
  for (const auto& r : judged(result)) suite.cases.push_back(invariant_case(r, !result.lab_ran));
  return report::junit_xml(suite);
}

std::string gate_summary_markdown(const GateResult& result) {
  std::string out = fmt::format("## blastlab gate: {}\n\n{}.\n\n", upper(to_string(result.verdict)),
                                capitalized(gate_reason(result)));
  out += fmt::format("Candidate `{}` on `{}`, policy `{}`", result.candidate, result.topology,
                     result.policy);
  out += result.lab.empty() ? ".\n" : fmt::format(", lab `{}`.\n", result.lab);
  if (!result.incomplete.empty()) {
    out += "\nThe run's measurement cannot be trusted:\n\n";
    for (const auto& reason : result.incomplete) out += "- " + reason + "\n";
  }
  summary_changes(result, out);
  if (!result.not_running.empty()) {
    out +=
        "\nAfter the change the routers do not show these candidate lines (FRR leaves out "
        "lines that set a default; any other did not take):\n\n";
    for (const auto& n : result.not_running)
      out += fmt::format("- `{}:{}`: `{}`\n", n.at.file, n.at.line, n.text);
  }
  summary_audit(result, out);
  summary_invariants(result, out);
  summary_blast_radius(result, out);
  summary_phases(result, out);
  out += "\n";
  out +=
      result.report_dir.empty()
          ? "No lab report: the lab did not run.\n"
          : fmt::format("The lab's report: `{}` (report.html, report.json).\n", result.report_dir);
  return out;
}

std::string gate_annotations(const GateResult& result) {
  std::string out;
  bool on_prediction = !result.lab_ran;
  const SourceLine candidate{.file = result.candidate};
  // One annotation per place, naming every invariant broken there: a change that shuts 32
  // interfaces gives 32 annotations, not 32 for each invariant.
  std::vector<std::pair<SourceLine, std::vector<const InvariantResult*>>> places;
  auto at = [&](const SourceLine& line) -> std::vector<const InvariantResult*>& {
    for (auto& [where, broken] : places)
      if (where == line) return broken;
    places.push_back({line, {}});
    return places.back().second;
  };
  size_t failed = 0;
  const auto& results = judged(result);
  for (const auto& r : results) {
    if (r.passed) continue;
    ++failed;
    if (r.blame.empty()) at(candidate).push_back(&r);
    for (const auto& line : r.blame) at(line).push_back(&r);
  }
  for (const auto& [where, broken] : places) {
    std::string title = broken.size() == 1
                            ? "blastlab gate: " + broken.front()->invariant.text
                            : fmt::format("blastlab gate: {} invariants broken", broken.size());
    std::vector<std::string> messages;
    for (const auto* r : broken) messages.push_back(failure_message(*r, on_prediction));
    out += workflow_command("error", where, title, fmt::format("{}", fmt::join(messages, "; ")));
  }
  if (result.audit.ran && !result.audit.passed && failed == 0) {
    out += workflow_command("error", candidate, "blastlab gate: audit",
                            "the audit refused the change: " + result.audit.detail);
  }
  if (!result.incomplete.empty()) {
    out += workflow_command("error", {}, "blastlab gate: run incomplete",
                            reasons_text(result.incomplete));
  }
  for (const auto& n : result.not_running) {
    out += workflow_command("warning", n.at, "blastlab gate: not running after the change",
                            "the router does not show `" + n.text +
                                "` after the change: it sets a default, or it did not take");
  }
  for (const auto& d : result.prediction_differences)
    out += workflow_command("warning", {}, "blastlab gate: prediction", d);
  out += workflow_command("notice", {}, "blastlab gate",
                          upper(to_string(result.verdict)) + ": " + gate_reason(result));
  return out;
}

namespace {

Json not_running_json(const std::vector<NotRunning>& lines) {
  Json out = Json::array();
  for (const auto& n : lines)
    out.push_back({{"file", n.at.file}, {"line", n.at.line}, {"text", n.text}});
  return out;
}

}  // namespace

nlohmann::ordered_json gate_json(const GateResult& result) {
  Json measured_values = Json::object();
  for (const auto& [name, value] : result.measured.values) measured_values[name] = value;
  Json measured_missing = Json::object();
  for (const auto& [name, why] : result.measured.missing) measured_missing[name] = why;
  Json predicted = Json::object();
  for (const auto& [name, value] : result.predicted) predicted[name] = value;
  Json phases = Json::array();
  for (const auto& phase : result.phases)
    phases.push_back({{"name", phase.name}, {"seconds", phase.seconds}});
  return Json{{"verdict", to_string(result.verdict)},
              {"exit_code", result.exit_code()},
              {"reason", gate_reason(result)},
              {"topology", result.topology},
              {"candidate", result.candidate},
              {"policy", result.policy},
              {"lab", result.lab},
              {"changes", changes_json(result.changes)},
              {"audit",
               {{"ran", result.audit.ran},
                {"passed", result.audit.passed},
                {"detail", result.audit.detail},
                {"on_prediction", invariants_json(result.audit.on_prediction)}}},
              {"prediction", prediction_json(result.prediction)},
              {"predict_only", result.predict_only},
              {"stopped_before_lab", result.stopped_before_lab},
              {"lab_ran", result.lab_ran},
              {"invariants", invariants_json(result.invariants)},
              {"incomplete", result.incomplete},
              {"prediction_differences", result.prediction_differences},
              {"not_running", not_running_json(result.not_running)},
              {"predicted", predicted},
              {"measured", {{"values", measured_values}, {"missing", measured_missing}}},
              {"phases", phases},
              {"report_dir", result.report_dir}};
}

GateFiles write_outputs(const std::string& dir, const GateResult& result) {
  std::filesystem::path base(dir);
  files::create_directories(dir, "gate output directory");
  GateFiles files{.junit = (base / "junit.xml").string(),
                  .summary = (base / "summary.md").string(),
                  .annotations = (base / "annotations.txt").string(),
                  .json = (base / "gate.json").string()};
  files::write_file_atomically(files.junit, gate_junit(result), "gate output");
  files::write_file_atomically(files.summary, gate_summary_markdown(result), "gate output");
  files::write_file_atomically(files.annotations, gate_annotations(result), "gate output");
  // Invalid UTF-8 from a hand-edited candidate is replaced rather than thrown on, as the
  // report does.
  files::write_file_atomically(
      files.json,
      gate_json(result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
      "gate output");
  return files;
}

}  // namespace blastlab::gate
