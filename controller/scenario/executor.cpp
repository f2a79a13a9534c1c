#include "controller/scenario/executor.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "controller/files/safe_write.hpp"
#include "controller/scenario/audit.hpp"
#include "controller/scenario/log.hpp"
#include "controller/scenario/template.hpp"

namespace blastlab::scenario {
namespace {

using nlohmann::ordered_json;
constexpr auto kTick = std::chrono::milliseconds(100);

// The wait that did not end: what it waited for, and what it saw last.
class WaitTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

std::string ms_text(Millis d) {
  if (d.count() % 1000 == 0) return fmt::format("{}s", d.count() / 1000);
  return fmt::format("{}ms", d.count());
}

std::string netem_text(const netns::NetemSpec& s) {
  if (s.empty()) return "no impairment";
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : " ") + part; };
  if (s.delay.count()) add(fmt::format("delay {}ms", s.delay.count() / 1000.0));
  if (s.jitter.count()) add(fmt::format("jitter {}ms", s.jitter.count() / 1000.0));
  if (s.loss_percent) add(fmt::format("loss {}%", s.loss_percent));
  if (s.rate_bits_per_second) add(fmt::format("rate {}kbit", s.rate_bits_per_second / 1000));
  return out;
}

}  // namespace

Clock::Time SystemClock::now() {
  return std::chrono::steady_clock::now();
}

int64_t SystemClock::realtime_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SystemClock::sleep_until(Time when) {
  std::this_thread::sleep_until(when);
}

EventWriter::EventWriter(const std::string& path, std::string lab, Clock& clock)
    : path_(path), lab_(std::move(lab)), clock_(clock) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  fd_ = files::open_for_append(path.c_str());
  if (fd_ < 0) throw std::runtime_error("open " + path + ": " + std::strerror(errno));
}

EventWriter::~EventWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void EventWriter::emit(const std::string& event, const ordered_json& fields) {
  ordered_json line = {
      {"ts", clock_.realtime_us()}, {"agent", "controller"}, {"node", lab_}, {"event", event}};
  for (const auto& [key, value] : fields.items()) line[key] = value;
  std::string text = line.dump() + "\n";
  std::lock_guard lock(mutex_);
  if (::write(fd_, text.data(), text.size()) != ssize_t(text.size()))
    logger()->warn("write {}: {}", path_, std::strerror(errno));
}

Executor::Executor(const Script& script, const model::Topology& topology, LabControl& lab,
                   Clock& clock, EventWriter& events)
    : script_(script), topology_(topology), lab_(lab), clock_(clock), events_(events) {}

bool Executor::sleep_until(Clock::Time until, const std::string& label,
                           const std::atomic<bool>* interrupted) {
  while (clock_.now() < until) {
    if (interrupted && interrupted->load()) return false;
    if (tick_) tick_(label);
    clock_.sleep_until(std::min(until, clock_.now() + kTick));
  }
  return !(interrupted && interrupted->load());
}

std::string Executor::describe(const Step& step) const {
  switch (step.kind) {
    case StepKind::kVtysh: {
      std::string first = step.vtysh.config.empty() ? "" : step.vtysh.config.front();
      first.erase(0, first.find_first_not_of(' '));
      return fmt::format(
          "vtysh on {} ({} node(s)){}: {}{}", step.vtysh.on.text(), step.vtysh.on.nodes.size(),
          step.vtysh.each_link ? fmt::format(", each link to {}", step.vtysh.each_link->text())
                               : "",
          first, step.vtysh.config.size() > 1 ? " ..." : "");
    }
    case StepKind::kLink:
      return fmt::format("link {} - {} {}", step.link.a, step.link.b, step.link.up ? "up" : "down");
    case StepKind::kNetem:
      return fmt::format("netem {} - {}: {}", step.netem.a, step.netem.b,
                         netem_text(step.netem.spec));
    case StepKind::kStop:
      return fmt::format("stop {}", step.nodes.text());
    case StepKind::kStart:
      return fmt::format("start {}", step.nodes.text());
    case StepKind::kWait: {
      const auto& w = step.wait;
      std::string what(to_string(w.until));
      if (!w.prefix.empty()) what += " " + w.prefix;
      if (!w.at.terms.empty()) what += " at " + w.at.text();
      return fmt::format("wait until {} (timeout {})", what, ms_text(w.timeout));
    }
    case StepKind::kRollback:
      return fmt::format("roll back {}", step.rollback);
    case StepKind::kAudit:
      return fmt::format("audit '{}': refuse cutting more than {:.0f}% of the backbone{}",
                         step.audit.change, step.audit.max_cut * 100,
                         step.audit.bug ? " (with the 2021 bug)" : "");
    case StepKind::kGate: {
      std::vector<std::string> limits;
      for (const auto& e : step.gate.expect) limits.push_back(e.text);
      return fmt::format("gate: watch {} for {}", ms_text(step.gate.observe),
                         fmt::join(limits, ", "));
    }
  }
  return "";
}

std::string Executor::short_label(const Step& step) const {
  std::string kind(to_string(step.kind));
  if (step.kind == StepKind::kWait) return "wait " + std::string(to_string(step.wait.until));
  if (step.kind == StepKind::kRollback) return "roll back " + step.rollback;
  return step.named ? step.name + " (" + kind + ")" : kind;
}

std::vector<std::string> Executor::targets(const Step& step) const {
  auto node_of = [](const std::string& end) { return end.substr(0, end.find(':')); };
  switch (step.kind) {
    case StepKind::kVtysh:
      return step.vtysh.on.nodes;
    case StepKind::kLink:
      return {node_of(step.link.a), node_of(step.link.b)};
    case StepKind::kNetem:
      return {node_of(step.netem.a), node_of(step.netem.b)};
    case StepKind::kStop:
    case StepKind::kStart:
      return step.nodes.nodes;
    case StepKind::kWait:
      return step.wait.at.nodes;
    case StepKind::kRollback:
      if (const Step* target = script_.find_step(step.rollback)) return targets(*target);
      return {};
    case StepKind::kAudit:
      if (const Step* target = script_.find_step(step.audit.change)) return targets(*target);
      return {};
    case StepKind::kGate:
      return {};
  }
  return {};
}

// After a failed, refused or halted step, only what restores the lab and shows it restored
// still runs.
bool Executor::skipped_after_stop(const Step& step) const {
  switch (step.kind) {
    case StepKind::kRollback:
      return !ran_.count(step.rollback);  // a change that never ran has nothing to undo
    case StepKind::kWait:
      return step.wait.until == WaitUntil::kPrefixGone || step.wait.until == WaitUntil::kDnsFailing;
    default:
      return true;
  }
}

std::vector<StepOutcome> Executor::run(const std::atomic<bool>* interrupted) {
  std::vector<StepOutcome> outcomes;
  Clock::Time steps_start = clock_.now();
  Clock::Time previous_end = steps_start;
  bool stopped = false;
  // After Ctrl-C only the rollbacks of steps that ran still run, at once, so the lab is left
  // as it was (`--keep` keeps a restored lab); a second Ctrl-C (abort_) skips them too.
  bool unwinding = false;
  for (size_t i = 0; i < script_.steps.size(); ++i) {
    const Step& step = script_.steps[i];
    StepOutcome outcome{step.name, step.kind, StepState::kDone, describe(step), ""};
    ordered_json base = {{"index", i},
                         {"name", step.name},
                         {"kind", std::string(to_string(step.kind))},
                         {"detail", outcome.detail}};
    bool skip = stopped && skipped_after_stop(step);
    if (unwinding) {
      skip = step.kind != StepKind::kRollback || !ran_.count(step.rollback) ||
             (abort_ && abort_->load());
    }
    if (skip) {
      outcome.state = StepState::kSkipped;
      ordered_json fields = base;
      fields["state"] = to_string(StepState::kSkipped);
      events_.emit("step", fields);
      outcomes.push_back(outcome);
      continue;
    }
    Clock::Time when = step.at ? steps_start + *step.at : previous_end + step.after;
    label_ = fmt::format("step {}/{} {}", i + 1, script_.steps.size(), short_label(step));
    if (unwinding) {
      when = clock_.now();
      base["detail"] = outcome.detail + " (after Ctrl-C)";
      logger()->warn("interrupted: rolling back {} (Ctrl-C again to skip)", step.rollback);
    }
    const std::atomic<bool>* stop_flag = unwinding ? abort_ : interrupted;
    if (!sleep_until(when, label_ + " (pending)", stop_flag)) {
      if (!unwinding) {
        // Interrupted before it began: judge this step again as the unwinding does (a
        // rollback of a step that ran still runs, now).
        unwinding = true;
        --i;
        continue;
      }
      // A second Ctrl-C while unwinding: never run, like a step after a failed one.
      ordered_json fields = base;
      fields["state"] = to_string(StepState::kSkipped);
      events_.emit("step", fields);
      outcome.state = StepState::kSkipped;
      outcomes.push_back(outcome);
      continue;
    }
    ordered_json start = base;
    start["state"] = "start";
    start["targets"] = targets(step);
    if (step.kind == StepKind::kRollback) start["rollback_of"] = step.rollback;
    events_.emit("step", start);
    current_index_ = i;
    ran_.insert(step.name);
    if (tick_) tick_(label_);
    logger()->debug("step {} ({}): {}", i + 1, step.name, outcome.detail);
    std::string verdict;
    try {
      if (step.kind == StepKind::kAudit) {
        outcome.state = run_audit(step, &verdict);
      } else if (step.kind == StepKind::kGate) {
        outcome.state = run_gate(step, &verdict, stop_flag);
      } else {
        execute(step, stop_flag);
      }
    } catch (const Interrupted&) {
      outcome.state = StepState::kInterrupted;
    } catch (const std::exception& e) {
      outcome.state = StepState::kFailed;
      outcome.error = e.what();
    }
    if (outcome.state != StepState::kDone && outcome.state != StepState::kInterrupted)
      stopped = true;
    ordered_json end = base;
    end["state"] =
        to_string(outcome.state == StepState::kInterrupted ? StepState::kFailed : outcome.state);
    if (!verdict.empty()) end["verdict"] = verdict;
    if (!outcome.error.empty()) end["error"] = outcome.error;
    if (outcome.state == StepState::kInterrupted) end["error"] = "interrupted";
    events_.emit("step", end);
    if (!verdict.empty()) outcome.detail = verdict;
    if (!outcome.error.empty()) logger()->warn("step {} failed: {}", step.name, outcome.error);
    if (outcome.state == StepState::kRefused || outcome.state == StepState::kHalted)
      logger()->info("step {} {}: {}", step.name, to_string(outcome.state), verdict);
    outcomes.push_back(outcome);
    previous_end = clock_.now();
    if (outcome.state == StepState::kInterrupted) unwinding = true;
  }
  return outcomes;
}

StepState Executor::run_audit(const Step& step, std::string* detail) {
  const Step* change = script_.find_step(step.audit.change);
  if (!change) throw std::runtime_error("no step named " + step.audit.change);
  AuditVerdict verdict = audit_change(step.audit, *change, topology_);
  *detail = verdict.detail;
  return verdict.pass ? StepState::kDone : StepState::kRefused;
}

StepState Executor::run_gate(const Step& step, std::string* detail,
                             const std::atomic<bool>* interrupted) {
  // Metrics are recomputed from every event so far; twice a second keeps that cheap and is
  // well inside the second-scale timers a limit reacts to.
  constexpr auto kEvery = std::chrono::milliseconds(500);
  Clock::Time until = clock_.now() + step.gate.observe;
  while (true) {
    auto metrics = lab_.metrics_now();
    for (const auto& e : step.gate.expect) {
      // A limit on a metric with no data halts: a gate that cannot see must not pass.
      const double* value = metrics.find(e.metric);
      if (!value) {
        *detail = fmt::format(
            "{} has no value ({}), so the limit `{}` cannot be checked: "
            "rollout halted",
            e.metric, metrics.why_missing(e.metric), e.text);
        return StepState::kHalted;
      }
      if (e.holds(*value)) continue;
      *detail = fmt::format("{} is {:g}, crossing the limit `{}`: rollout halted", e.metric, *value,
                            e.text);
      return StepState::kHalted;
    }
    if (clock_.now() >= until) break;
    if (!sleep_until(std::min(until, clock_.now() + kEvery), label_, interrupted))
      throw Interrupted();
  }
  std::vector<std::string> held;
  for (const auto& e : step.gate.expect) held.push_back(e.text);
  *detail = fmt::format("held for {}: {}", ms_text(step.gate.observe), fmt::join(held, ", "));
  return StepState::kDone;
}

void Executor::execute(const Step& step, const std::atomic<bool>* interrupted) {
  switch (step.kind) {
    case StepKind::kVtysh:
      run_vtysh(step);
      return;
    case StepKind::kLink:
      lab_.set_link(step.link.a, step.link.b, step.link.up);
      return;
    case StepKind::kNetem:
      undo_[step.name].netem = lab_.netem(step.netem.a, step.netem.b);
      lab_.set_netem(step.netem.a, step.netem.b, step.netem.spec);
      return;
    case StepKind::kStop:
      for (const auto& node : step.nodes.nodes) lab_.stop_node(node);
      return;
    case StepKind::kStart:
      for (const auto& node : step.nodes.nodes) lab_.start_node(node);
      return;
    case StepKind::kWait:
      run_wait(step, interrupted);
      return;
    case StepKind::kRollback:
      run_rollback(step);
      return;
    case StepKind::kAudit:
    case StepKind::kGate:
      return;  // run() runs them: they end in a state of their own
  }
}

void Executor::run_vtysh(const Step& step) {
  // The snapshots are taken on every router before any is changed, so a failure half-way
  // still leaves the rollback what it needs for the routers already changed.
  Undo& undo = undo_[step.name];
  for (const auto& node : step.vtysh.on.nodes) {
    undo.configs[node].first = lab_.running_config(node);
    emit_config(step, node, "before", undo.configs[node].first);
  }
  bool applying = false;
  for (const auto& node : step.vtysh.on.nodes) {
    auto lines = expand_config(step.vtysh, topology_, node);
    if (lines.empty()) continue;  // each-link found no link to this router's selection
    if (!applying) {
      // The change happens here, not at the step's start: the snapshots above take time.
      applying = true;
      events_.emit("step", {{"index", current_index_},
                            {"name", step.name},
                            {"kind", "vtysh"},
                            {"state", "applying"},
                            {"node", node}});
    }
    lab_.configure(node, lines);
  }
  for (const auto& node : step.vtysh.on.nodes) {
    undo.configs[node].second = lab_.running_config(node);
    emit_config(step, node, "after", undo.configs[node].second);
  }
}

// The running configuration a vtysh step saw, for whoever checks what the change did (the
// gate checks that every candidate line runs).
void Executor::emit_config(const Step& step, const std::string& node, const char* when,
                           const std::string& text) {
  events_.emit("config", {{"step", step.name}, {"node", node}, {"when", when}, {"text", text}});
}

void Executor::run_wait(const Step& step, const std::atomic<bool>* interrupted) {
  const WaitStep& wait = step.wait;
  Clock::Time deadline = clock_.now() + wait.timeout;
  std::string seen;
  while (true) {
    bool holds = true;
    seen.clear();
    switch (wait.until) {
      case WaitUntil::kConverged:
        holds = lab_.converged(&seen);
        break;
      case WaitUntil::kPrefixGone:
      case WaitUntil::kPrefixBack: {
        bool want = wait.until == WaitUntil::kPrefixBack;
        std::vector<std::string> not_yet;
        for (const auto& node : wait.at.nodes)
          if (lab_.has_route(node, wait.prefix) != want) not_yet.push_back(node);
        holds = not_yet.empty();
        if (!holds)
          seen = fmt::format("{} still {} at {}", wait.prefix, want ? "absent" : "present",
                             fmt::join(not_yet, ", "));
        break;
      }
      case WaitUntil::kDnsFailing:
      case WaitUntil::kDnsAnswering: {
        bool want = wait.until == WaitUntil::kDnsAnswering;
        std::vector<std::string> not_yet;
        for (const auto& client : wait.at.nodes)
          if (lab_.dns_streak(client, wait.queries) != want) not_yet.push_back(client);
        holds = not_yet.empty();
        if (!holds)
          seen = fmt::format("the last {} resolver answers were not all {} at {}", wait.queries,
                             want ? "answered" : "failed", fmt::join(not_yet, ", "));
        break;
      }
    }
    if (holds) return;
    // The convergence report spans lines; a step's error is one line.
    std::replace(seen.begin(), seen.end(), '\n', ' ');
    seen.erase(
        std::unique(seen.begin(), seen.end(), [](char a, char b) { return a == ' ' && b == ' '; }),
        seen.end());
    if (clock_.now() >= deadline) {
      throw WaitTimeout(fmt::format("waited {} for {}; last seen: {}", ms_text(wait.timeout),
                                    to_string(wait.until), seen));
    }
    // Conditions are polled every 100 ms: fine enough beside second-scale timers, and the
    // measured times come from the agents' events, not from this loop.
    if (!sleep_until(std::min(deadline, clock_.now() + kTick), label_, interrupted))
      throw Interrupted();
  }
}

void Executor::run_rollback(const Step& step) {
  const Step* target = script_.find_step(step.rollback);
  auto undo = undo_.find(step.rollback);
  if (!target) throw std::runtime_error("no step named " + step.rollback);
  switch (target->kind) {
    case StepKind::kVtysh: {
      if (undo == undo_.end())
        throw std::runtime_error("step " + step.rollback + " never ran; nothing to roll back");
      std::string errors;
      for (const auto& [node, configs] : undo->second.configs) {
        // A router whose `after` snapshot is missing failed mid-step: read it now.
        std::string after = configs.second.empty() ? lab_.running_config(node) : configs.second;
        auto commands = lab_.rollback_commands(configs.first, after);
        if (commands.empty()) continue;
        try {
          lab_.configure(node, commands);
        } catch (const std::exception& e) {
          errors += (errors.empty() ? "" : "; ") + std::string(e.what());
        }
      }
      if (!errors.empty()) throw std::runtime_error(errors);
      return;
    }
    case StepKind::kLink:
      lab_.set_link(target->link.a, target->link.b, !target->link.up);
      return;
    case StepKind::kNetem:
      lab_.set_netem(
          target->netem.a, target->netem.b,
          undo != undo_.end() && undo->second.netem ? *undo->second.netem : netns::NetemSpec{});
      return;
    case StepKind::kStop:
      for (const auto& node : target->nodes.nodes) lab_.start_node(node);
      return;
    default:
      throw std::runtime_error("step " + step.rollback + " cannot be rolled back");
  }
}

}  // namespace blastlab::scenario
