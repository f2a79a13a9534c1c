#include "controller/drill/drill_live.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "controller/drill/collateral.hpp"
#include "controller/drill/drill.hpp"
#include "controller/drill/drill_report.hpp"
#include "controller/drill/restored.hpp"
#include "controller/drill/score.hpp"
#include "controller/experiment/lab_session.hpp"
#include "controller/experiment/live.hpp"
#include "controller/experiment/run.hpp"
#include "controller/files/safe_write.hpp"
#include "controller/frr/plan.hpp"
#include "controller/frr/vtysh.hpp"
#include "controller/lab/launcher.hpp"
#include "controller/measure/events.hpp"
#include "controller/report/format.hpp"
#include "controller/scenario/agent_commands.hpp"
#include "controller/scenario/executor.hpp"

namespace blastlab::drill {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using lab::LabError;

constexpr const char* kStateSchema = "blastlab.drill-state";
// How long `start` waits for the fault to show in the `restored` conditions.
constexpr std::chrono::seconds kFaultShowsWithin{30};
// What the status command counts DNS answers over, back from now.
constexpr int64_t kStatusWindowUs = 10'000'000;

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double seconds_between(int64_t from_us, int64_t to_us) {
  return double(to_us - from_us) / 1e6;
}

std::string drill_dir(const lab::LabManager& labs, const std::string& lab_name) {
  return labs.lab_dir(lab_name) + "/drill";
}

// What the drill's commands share, kept in LAB_DIR/drill/state.json.
struct State {
  std::string drill_file;  // the drill file as given to `start`
  std::string drill;
  uint64_t seed = 0;
  size_t fault_index = 0;
  std::string fault;
  int64_t start_us = 0;     // the probes' start
  int64_t fault_us = 0;     // the fault's first step
  int64_t injected_us = 0;  // its last step done
  std::vector<experiment::Agent> agents;
  std::vector<std::string> routers;  // whose configurations are kept
  struct HintTaken {
    size_t index = 0;
    int64_t at_us = 0;
  };
  std::vector<HintTaken> hints;
  struct Check {
    int64_t at_us = 0;
    bool passed = false;
    std::string summary;
  };
  std::vector<Check> checks;
  bool ended = false;
};

json state_json(const State& s) {
  json agents = json::array();
  for (const auto& a : s.agents)
    agents.push_back({{"node", a.node},
                      {"what", a.what},
                      {"pid", a.process.pid},
                      {"start_time", a.process.start_time}});
  json hints = json::array();
  for (const auto& h : s.hints) hints.push_back({{"index", h.index}, {"at_us", h.at_us}});
  json checks = json::array();
  for (const auto& c : s.checks)
    checks.push_back({{"at_us", c.at_us}, {"passed", c.passed}, {"summary", c.summary}});
  return {{"schema", kStateSchema},
          {"drill_file", s.drill_file},
          {"drill", s.drill},
          {"seed", s.seed},
          {"fault_index", s.fault_index},
          {"fault", s.fault},
          {"start_us", s.start_us},
          {"fault_us", s.fault_us},
          {"injected_us", s.injected_us},
          {"agents", agents},
          {"routers", s.routers},
          {"hints", hints},
          {"checks", checks},
          {"ended", s.ended}};
}

State state_from_json(const json& j) {
  if (j.value("schema", "") != kStateSchema) throw std::runtime_error("not a drill state");
  State s;
  s.drill_file = j.at("drill_file").get<std::string>();
  s.drill = j.at("drill").get<std::string>();
  s.seed = j.at("seed").get<uint64_t>();
  s.fault_index = j.at("fault_index").get<size_t>();
  s.fault = j.at("fault").get<std::string>();
  s.start_us = j.at("start_us").get<int64_t>();
  s.fault_us = j.at("fault_us").get<int64_t>();
  s.injected_us = j.at("injected_us").get<int64_t>();
  for (const auto& a : j.at("agents"))
    s.agents.push_back({a.at("node").get<std::string>(),
                        a.at("what").get<std::string>(),
                        {a.at("pid").get<pid_t>(), a.at("start_time").get<unsigned long long>()}});
  s.routers = j.at("routers").get<std::vector<std::string>>();
  for (const auto& h : j.at("hints"))
    s.hints.push_back({h.at("index").get<size_t>(), h.at("at_us").get<int64_t>()});
  for (const auto& c : j.at("checks"))
    s.checks.push_back({c.at("at_us").get<int64_t>(), c.at("passed").get<bool>(),
                        c.at("summary").get<std::string>()});
  s.ended = j.at("ended").get<bool>();
  return s;
}

void write_state(const std::string& dir, const State& state) {
  files::write_file_atomically(dir + "/state.json", state_json(state).dump(2) + "\n",
                               "drill state");
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The drill commands of one lab take turns (a check and a hint at once must not lose one
// of their records): an exclusive lock on LAB_DIR/drill/lock for the command's length.
class DrillLock {
 public:
  explicit DrillLock(const std::string& dir) {
    fd_ = ::open((dir + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0)
      throw LabError(3, fmt::format("lock {}/lock: {}", dir, std::strerror(errno)));
  }
  ~DrillLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  DrillLock(const DrillLock&) = delete;
  DrillLock& operator=(const DrillLock&) = delete;

 private:
  int fd_ = -1;
};

// A lab's drill as the commands after `start` find it: the state, the drill (reloaded from
// its copy against the lab's topology) and the topology.
struct Running {
  std::string dir;
  State state;
  model::Topology topology;
  Drill drill;
};

// The drill's state as its directory holds it now; LabError(2) once the drill has ended
// (unless allowed).
State read_state(const std::string& dir, const std::string& lab_name, bool allow_ended) {
  std::string state_path = dir + "/state.json";
  State state;
  try {
    state = state_from_json(json::parse(read_text(state_path)));
  } catch (const std::exception& e) {
    throw LabError(3, fmt::format("{}: {}", state_path, e.what()));
  }
  if (state.ended && !allow_ended)
    throw LabError(2,
                   fmt::format("the drill on lab {} has ended; its report is written", lab_name));
  return state;
}

Running load_running(LiveContext live, const std::string& lab_name, bool allow_ended = false) {
  lab::check_lab_name(lab_name);
  if (!live.labs.exists(lab_name))
    throw LabError(2, fmt::format("no lab named {} (blastlab status lists the labs)", lab_name));
  Running r;
  r.dir = drill_dir(live.labs, lab_name);
  if (!fs::exists(r.dir + "/state.json"))
    throw LabError(2, fmt::format("lab {} runs no drill ({}/state.json is missing); start one "
                                  "with blastlab drill start DRILL --name {}",
                                  lab_name, r.dir, lab_name));
  r.state = read_state(r.dir, lab_name, allow_ended);
  r.topology = live.labs.topology(lab_name);
  auto loaded = load_drill_text(read_text(r.dir + "/drill.yaml"), r.state.drill_file, r.topology);
  if (!loaded.drill) {
    std::string first = loaded.errors.empty() ? "unknown error" : loaded.errors.front().str();
    throw LabError(3, fmt::format("the drill's copy in {} no longer loads: {}", r.dir, first));
  }
  r.drill = std::move(*loaded.drill);
  return r;
}

// The probes' script: the drill's probes and the fault's steps, with room for the agents
// to outlive the time limit twice over (they are stopped by `end`; the bound only ends
// them when nobody does).
scenario::Script drill_script(const Drill& drill, size_t fault_index) {
  auto script = fault_script(drill, fault_index);
  script.baseline = scenario::Millis(0);
  script.observe = std::max(2 * drill.time_limit, scenario::Millis(std::chrono::minutes(30)));
  return script;
}

// Every FRR router's running configuration, by node, without what DNS hosts' healthd
// owns (without_healthd_lines).
std::map<std::string, std::string> running_configs(LiveContext live, const std::string& lab_name,
                                                   const model::Topology& topology,
                                                   const std::vector<std::string>& routers) {
  std::vector<std::string> anycast;
  if (topology.services.dns)
    for (const auto& a : topology.services.dns->anycast) anycast.push_back(a.prefix.str());
  frr::Vtysh vtysh(live.runner, live.labs.lab_dir(lab_name));
  std::map<std::string, std::string> configs;
  for (const auto& node : routers) {
    auto result = vtysh.run(frr::pathspace(lab_name, node), {"show running-config"});
    if (result.exit_code != 0)
      throw LabError(3, fmt::format("show running-config on {}: {}", node,
                                    result.err.empty() ? result.out : result.err));
    const model::Node* n = topology.find_node(node);
    configs[node] =
        n && n->role == model::Role::kDns ? without_healthd_lines(result.out, anycast) : result.out;
  }
  return configs;
}

void save_configs(const std::string& dir, const std::map<std::string, std::string>& configs) {
  files::create_directories(dir, "drill configurations directory");
  for (const auto& [node, text] : configs)
    files::write_file_atomically(dir + "/" + node + ".conf", text, "router configuration");
}

// The live lab behind `check`.
class LiveLook : public RestoredLook {
 public:
  LiveLook(LiveContext live, std::string lab_name, const model::Topology& topology,
           std::string check_dir)
      : live_(live),
        lab_(std::move(lab_name)),
        topology_(topology),
        plan_(live.labs.routing_plan(lab_)),
        vtysh_(live.runner, live.labs.lab_dir(lab_)),
        view_(lab::events_directory(live.labs.lab_dir(lab_))),
        check_dir_(std::move(check_dir)) {
    view_.poll();
  }

  // A user network counts as converged once its routes held still for the settle time:
  // when that is all that is missing, looked at again for up to 8 s, as `up` would.
  bool converged(std::string* seen) override {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
    while (true) {
      auto view = live_.labs.check_convergence(lab_, plan_);
      *seen = view.seen;
      if (view.converged) return true;
      // Only the settle time is waited for: anything else missing is the answer now.
      if (view.seen.find("routes not settled") == std::string::npos ||
          std::chrono::steady_clock::now() >= deadline)
        return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }

  std::vector<std::string> routes(const std::string& node) override {
    netns::Status status;
    auto routes = live_.netlink.list_routes(lab::namespace_name(lab_, node), status);
    if (!status) throw LabError(3, status.message());
    std::vector<std::string> prefixes;
    for (const auto& r : routes) prefixes.push_back(r.prefix);
    return prefixes;
  }

  std::vector<std::string> route_interfaces(const std::string& node,
                                            const std::string& prefix) override {
    auto result = vtysh_.run(frr::pathspace(lab_, node), {"show ip route " + prefix + " json"});
    if (result.exit_code != 0)
      throw LabError(3, fmt::format("show ip route {} on {}: {}", prefix, node, result.err));
    std::vector<std::string> interfaces;
    auto parsed = json::parse(result.out, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains(prefix)) return interfaces;
    for (const auto& route : parsed[prefix]) {
      if (!route.value("selected", false)) continue;
      for (const auto& hop : route.value("nexthops", json::array())) {
        if (!hop.value("fib", false) && !hop.value("active", false)) continue;
        std::string ifname = hop.value("interfaceName", "");
        if (!ifname.empty()) interfaces.push_back(ifname);
      }
    }
    return interfaces;
  }

  std::vector<std::string> interfaces_toward(const std::string& node,
                                             const std::string& neighbor) override {
    std::vector<std::string> interfaces;
    for (const auto& link : live_.labs.status(lab_).links) {
      if (link.a.node == node && link.b.node == neighbor) interfaces.push_back(link.a.ifname);
      if (link.b.node == node && link.a.node == neighbor) interfaces.push_back(link.b.ifname);
    }
    return interfaces;
  }

  std::optional<bool> dns_streak(const std::string& client, int n) override {
    return view_.dns_streak(client, n);
  }

  // One run of the lab's own reachprobe agent in the source's namespace, one probe to each
  // target (rate 1/s for 1 s), its events written apart from the drill's measurement.
  std::map<std::string, std::string> reach(const std::string& from,
                                           const scenario::ReachProbe& probe) override {
    scenario::Script script;
    script.dns.enabled = false;
    script.routes.enabled = false;
    scenario::ReachProbe one = probe;
    one.from.nodes = {from};
    one.rate = 1;
    script.reach = {one};
    script.baseline = script.observe = scenario::Millis(0);
    auto addresses = experiment::read_reach_addresses(script, live_.netlink, lab_);
    std::string events = check_dir_ + "/reach-" + from + ".jsonl";
    std::error_code ec;
    fs::remove(events, ec);
    std::map<std::string, std::string> results;
    for (auto& command : scenario::agent_commands(topology_, script, lab::agent_directory(),
                                                  check_dir_, addresses)) {
      if (command.what != "reachprobe") continue;
      auto& argv = command.argv;
      for (size_t i = 0; i + 1 < argv.size(); ++i) {
        if (argv[i] == "--duration") argv[i + 1] = "1s";
        if (argv[i] == "--events") argv[i + 1] = events;
      }
      auto run = live_.runner.run({.argv = argv, .netns = lab::namespace_name(lab_, from)},
                                  std::chrono::milliseconds(2000) + 2 * probe.timeout);
      if (run.exit_code != 0)
        throw LabError(3,
                       fmt::format("reachprobe on {} exited {}: {}", from, run.exit_code, run.err));
      // The last probe to each target, by its send time.
      std::map<std::string, int64_t> sent;
      for (const auto& e : measure::read_event_file(events).events) {
        if (e.event != "probe") continue;
        std::string target = e.data.value("target", "");
        if (sent.count(target) && sent[target] > e.ts) continue;
        sent[target] = e.ts;
        results[target] = e.data.value("result", "");
      }
    }
    return results;
  }

 private:
  LiveContext live_;
  std::string lab_;
  const model::Topology& topology_;
  frr::RoutingPlan plan_;
  frr::Vtysh vtysh_;
  experiment::LiveView view_;
  std::string check_dir_;
};

CheckResult check_now(LiveContext live, const std::string& lab_name, const Running& r) {
  std::string check_dir = r.dir + "/check";
  files::create_directories(check_dir, "drill check directory");
  LiveLook look(live, lab_name, r.topology, check_dir);
  return check_restored(r.drill, look);
}

std::string clock_text(double s) {
  if (s < 0) s = 0;
  int total = int(s);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

// The probes of the drill that no longer run, as "dnsprobe on client1".
std::vector<std::string> dead_probes(const State& state) {
  std::vector<std::string> dead;
  for (const auto& a : state.agents)
    if (!proc::recorded_alive(a.process)) dead.push_back(a.what + " on " + a.node);
  return dead;
}

}  // namespace

std::string config_change_text(const std::string& node, const std::string& before,
                               const std::string& after) {
  auto changes = collateral_lines(before, before, after);
  if (changes.empty()) return "";
  std::vector<std::string> lines;
  for (const auto& c : changes) lines.push_back(c.text());
  return fmt::format("vtysh on {}: {}", node, fmt::join(lines, "; "));
}

bool drill_running(const lab::LabManager& labs, const std::string& lab_name) {
  std::string path = drill_dir(labs, lab_name) + "/state.json";
  if (!fs::exists(path)) return false;
  try {
    return !json::parse(read_text(path)).value("ended", true);
  } catch (const std::exception&) {
    return false;
  }
}

void record_change(const lab::LabManager& labs, const std::string& lab_name,
                   const std::string& text) {
  if (!drill_running(labs, lab_name)) return;
  std::string path = drill_dir(labs, lab_name) + "/changes.jsonl";
  int fd = files::open_for_append(path.c_str());
  if (fd < 0) throw LabError(3, fmt::format("record the change in {}: {}", path, strerror(errno)));
  std::string line = json{{"ts", now_us()}, {"text", text}}.dump() + "\n";
  bool ok = files::write_all(fd, line);
  ::close(fd);
  if (!ok) throw LabError(3, fmt::format("record the change in {}: {}", path, strerror(errno)));
}

int drill_start(const StartOptions& options, LiveContext live, const std::atomic<bool>* interrupted,
                std::ostream& out) {
  auto loaded = load_drill_file(options.drill_path);
  if (!loaded.drill) {
    std::string text = model::format_diagnostics(loaded.errors);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    throw LabError(2, text);
  }
  const Drill& drill = *loaded.drill;
  const model::Topology& topology = *loaded.topology;
  std::string lab_name = options.lab_name.empty() ? drill.name : options.lab_name;
  lab::check_lab_name(lab_name);
  if (live.labs.exists(lab_name))
    throw LabError(2, fmt::format("a lab named {} exists; end its drill (blastlab drill end "
                                  "--name {}) or remove it (blastlab down {}), or give --name",
                                  lab_name, lab_name, lab_name));
  uint64_t seed = options.seed ? *options.seed : std::random_device{}();
  State state;
  state.drill_file = options.drill_path;
  state.drill = drill.name;
  state.seed = seed;
  state.fault_index = choose_fault(drill, seed);
  state.fault = drill.faults[state.fault_index].name;
  auto script = drill_script(drill, state.fault_index);

  out << fmt::format("drill {}: bringing lab {} up ({})\n", drill.name, lab_name,
                     drill.topology_path);
  out.flush();
  // The lab keeps the drill's topology, topology-set applied, as its copy: the commands
  // after `start` reload the drill against it.
  lab::UpOptions up;
  up.timeout = options.up_timeout;
  up.topology_text = drill.topology_text;
  live.labs.up(topology, drill.topology_path, lab_name, up, interrupted);
  std::vector<experiment::Agent> agents;
  try {
    std::string dir = drill_dir(live.labs, lab_name);
    files::create_directories(dir, "drill directory");
    files::write_file_atomically(dir + "/drill.yaml", read_text(options.drill_path), "drill copy");
    for (const auto& router : live.labs.routing_plan(lab_name).routers)
      state.routers.push_back(router.node);
    std::string events_dir = lab::events_directory(live.labs.lab_dir(lab_name));
    scenario::SystemClock clock;
    scenario::EventWriter events(events_dir + "/controller.jsonl", lab_name, clock);
    experiment::LiveView view(events_dir);
    state.start_us = clock.realtime_us();
    events.emit("run", {{"phase", "start"},
                        {"script", script.name},
                        {"topology", topology.file},
                        {"lab", lab_name}});
    agents =
        experiment::start_agents(topology, script, live.labs, lab_name,
                                 experiment::read_reach_addresses(script, live.netlink, lab_name));
    auto silent = experiment::await_agents(agents, view, interrupted);
    lab::throw_if_interrupted(interrupted);
    if (!silent.empty())
      throw LabError(3, fmt::format("the drill's probes are not reporting after 15 s: {}",
                                    fmt::join(silent, ", ")));
    save_configs(dir + "/pre", running_configs(live, lab_name, topology, state.routers));
    auto context = experiment::run_context(topology, script, lab_name);
    experiment::LiveLab lab(live.labs, live.netlink, live.runner, topology, lab_name, view,
                            context);
    std::vector<proc::RecordedProcess> spare;
    for (const auto& a : agents) spare.push_back(a.process);
    lab.watch_agents(nullptr, spare);
    scenario::Executor executor(script, topology, lab, clock, events);
    events.emit("run", {{"phase", "steps"}});
    state.fault_us = clock.realtime_us();
    for (const auto& o : executor.run(interrupted)) {
      if (o.state != measure::StepState::kDone)
        throw LabError(3, fmt::format("the fault's step {} did not apply ({}): {}", o.name,
                                      measure::to_string(o.state), o.error));
    }
    state.injected_us = clock.realtime_us();
    events.emit("run", {{"phase", "observe"}});
    // The trainee is handed the lab once the fault shows (FRR applies a changed route-map
    // after its delay timer, withdrawals take a hold time): a fault that leaves every
    // `restored` condition holding is a drill with nothing to find.
    Running running{dir, state, topology, drill};
    auto shows_by = std::chrono::steady_clock::now() + kFaultShowsWithin;
    for (CheckResult check;;) {
      check = check_now(live, lab_name, running);
      if (!check.restored()) break;
      lab::throw_if_interrupted(interrupted);
      if (std::chrono::steady_clock::now() >= shows_by)
        throw LabError(3, fmt::format("the fault {} shows no symptom: every `restored` "
                                      "condition of {} still holds {} s after it was put in",
                                      state.fault, options.drill_path, kFaultShowsWithin.count()));
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    save_configs(dir + "/faulted", running_configs(live, lab_name, topology, state.routers));
    state.agents = agents;
    write_state(dir, state);
  } catch (...) {
    try {
      experiment::stop_agents(agents, script, live.labs, lab_name);
      live.labs.down(lab_name);
    } catch (const std::exception& e) {
      out << fmt::format("blastlab: removing lab {} failed too: {}\n", lab_name, e.what());
    }
    throw;
  }

  out << fmt::format("\n{}\n\n", drill.title);
  out << report::wrap_text(drill.briefing, 80);
  out << fmt::format(
      "\nTime limit {1}. The clock runs from now.\n"
      "  blastlab drill status --name {0}    what users see\n"
      "  blastlab drill check --name {0}     is it restored?\n"
      "  blastlab drill hint --name {0}      a hint (costs points)\n"
      "  blastlab drill end --name {0}       stop the clock, score, report\n"
      "Work with blastlab vtysh, exec, status and capture on lab {0}.\n",
      lab_name, report::seconds(std::chrono::duration<double>(drill.time_limit).count()));
  return 0;
}

int drill_status(const std::string& lab_name, LiveContext live, std::ostream& out) {
  auto r = load_running(live, lab_name);
  int64_t now = now_us();
  double elapsed = seconds_between(r.state.fault_us, now);
  double limit = std::chrono::duration<double>(r.drill.time_limit).count();
  out << fmt::format("drill {} on lab {}: {} elapsed of {}{}\n", r.drill.name, lab_name,
                     clock_text(elapsed), clock_text(limit),
                     elapsed > limit ? " (time is up)" : "");
  experiment::LiveView view(lab::events_directory(live.labs.lab_dir(lab_name)));
  view.poll();
  auto script = drill_script(r.drill, r.state.fault_index);
  if (script.dns.enabled && r.topology.services.dns) {
    out << "dns, resolver answers over the last 10 s:\n";
    for (const auto& client : script.dns.clients.nodes) {
      auto tally = view.dns_since(client, now - kStatusWindowUs);
      if (tally.answered == 0) {
        out << fmt::format("  {:<12} no answers\n", client);
      } else {
        out << fmt::format("  {:<12} {:>3}% ok ({} of {})\n", client,
                           100 * tally.ok / tally.answered, tally.ok, tally.answered);
      }
    }
  }
  if (script.routes.enabled && !script.routes.prefixes.empty()) {
    out << "prefixes, vantage points that hold each:\n";
    std::map<std::string, std::vector<std::string>> missing;
    for (const auto& vantage : script.routes.at.nodes)
      for (const auto& [prefix, present] : view.prefixes_at(vantage))
        if (!present) missing[prefix].push_back(vantage);
    size_t vantages = script.routes.at.nodes.size();
    for (const auto& prefix : script.routes.prefixes) {
      const auto& gone = missing[prefix];
      std::string line = fmt::format("  {:<18} {}/{}", prefix, vantages - gone.size(), vantages);
      if (!gone.empty()) line += fmt::format("  missing at {}", fmt::join(gone, ", "));
      out << report::fit_line(line, 80) << "\n";
    }
  }
  if (!script.reach.empty()) {
    out << "reachability, probes answered over the last 10 s:\n";
    for (const auto& probe : script.reach)
      for (const auto& from : probe.from.nodes)
        for (const auto& target : probe.to) {
          if (target.name == from) continue;
          auto tally = view.reach_since(from, target.name, now - kStatusWindowUs);
          std::string pair = from + " -> " + target.name;
          out << report::fit_line(
                     tally.answered == 0
                         ? fmt::format("  {:<20} no probes", pair)
                         : fmt::format("  {:<20} {:>3}% ok ({} of {})", pair,
                                       100 * tally.ok / tally.answered, tally.ok, tally.answered),
                     80)
              << "\n";
        }
  }
  if (!view.announcing().empty()) {
    std::vector<std::string> withdrawn;
    for (const auto& [site, announcing] : view.announcing())
      if (!announcing) withdrawn.push_back(site);
    std::string line = fmt::format("sites announcing: {} of {}", view.sites_announcing(),
                                   view.announcing().size());
    if (!withdrawn.empty()) line += fmt::format(" (not: {})", fmt::join(withdrawn, ", "));
    out << report::fit_line(line, 80) << "\n";
  }
  auto dead = dead_probes(r.state);
  if (!dead.empty())
    out << report::fit_line(
               fmt::format("probes stopped: {} (the measurement has a gap)", fmt::join(dead, ", ")),
               80)
        << "\n";
  out << fmt::format("hints taken: {} of {}; checks: {}\n", r.state.hints.size(),
                     r.drill.hints.size(), r.state.checks.size());
  return 0;
}

int drill_hint(const std::string& lab_name, LiveContext live, std::ostream& out) {
  auto r = load_running(live, lab_name);
  // Under the lock the state is read again: another command may have changed it.
  DrillLock lock(r.dir);
  r.state = read_state(r.dir, lab_name, false);
  size_t next = r.state.hints.size();
  if (next >= r.drill.hints.size()) {
    out << fmt::format("no hints left ({} taken)\n", r.state.hints.size());
    return 0;
  }
  r.state.hints.push_back({next, now_us()});
  write_state(r.dir, r.state);
  const Hint& hint = r.drill.hints[next];
  out << fmt::format("hint {} of {} (-{} points):\n", next + 1, r.drill.hints.size(), hint.cost);
  out << report::wrap_text(hint.text, 80, "  ");
  return 0;
}

int drill_check(const std::string& lab_name, LiveContext live, std::ostream& out) {
  auto r = load_running(live, lab_name);
  auto result = check_now(live, lab_name, r);
  int64_t at = now_us();
  {
    DrillLock lock(r.dir);
    auto state = read_state(r.dir, lab_name, false);
    state.checks.push_back({at, result.restored(), result.summary()});
    write_state(r.dir, state);
  }
  for (const auto& c : result.conditions) {
    out << report::fit_line(fmt::format("{} {}", c.holds ? "ok  " : "NOT ", c.condition), 80)
        << "\n";
    if (c.holds) continue;
    // What still shows, a few lines of it.
    std::istringstream seen(c.seen);
    int shown = 0, more = 0;
    for (std::string line; std::getline(seen, line);) {
      auto first = line.find_first_not_of(' ');
      if (first == std::string::npos) continue;
      if (shown == 4) {
        ++more;
        continue;
      }
      out << report::fit_line("     " + line.substr(first), 80) << "\n";
      ++shown;
    }
    if (more) out << fmt::format("     ... and {} more\n", more);
  }
  out << fmt::format("{} ({} into the drill)\n", result.restored() ? "restored" : "not restored",
                     clock_text(seconds_between(r.state.fault_us, at)));
  return result.restored() ? 0 : 1;
}

int drill_reveal(const std::string& lab_name, LiveContext live, std::ostream& out) {
  auto r = load_running(live, lab_name, true);
  const Fault& fault = r.drill.faults.at(r.state.fault_index);
  out << fmt::format("drill {}: fault {} ({} of {}, seed {})\n", r.drill.name, fault.name,
                     r.state.fault_index + 1, r.drill.faults.size(), r.state.seed);
  for (const auto& step : fault.steps)
    out << fmt::format("  step {}: {}\n", scenario::to_string(step.kind), step.name);
  // What the fault changed in the routers' configurations, from the copies kept around it.
  for (const auto& node : r.state.routers) {
    std::string pre = read_text(r.dir + "/pre/" + node + ".conf");
    for (const auto& c :
         collateral_lines(pre, pre, read_text(r.dir + "/faulted/" + node + ".conf")))
      out << report::fit_line(fmt::format("  {}: {}", node, c.text()), 80) << "\n";
  }
  if (!fault.reveal.empty()) out << "\n" << report::wrap_text(fault.reveal, 80);
  return 0;
}

int drill_end(const EndOptions& options, LiveContext live, std::ostream& out) {
  auto r = load_running(live, options.lab_name);
  DrillLock lock(r.dir);
  r.state = read_state(r.dir, options.lab_name, false);
  const std::string& lab_name = options.lab_name;
  files::create_directories(options.out_dir, "drill report directory");
  int64_t end_us = now_us();
  // The last look: what the lab is like when the trainee stops.
  auto last = check_now(live, lab_name, r);
  r.state.checks.push_back({end_us, last.restored(), "at the end: " + last.summary()});
  auto finals = running_configs(live, lab_name, r.topology, r.state.routers);
  auto dead = dead_probes(r.state);
  auto script = drill_script(r.drill, r.state.fault_index);
  std::string lab_dir = live.labs.lab_dir(lab_name);
  scenario::SystemClock clock;
  {
    scenario::EventWriter events(lab::events_directory(lab_dir) + "/controller.jsonl", lab_name,
                                 clock);
    experiment::stop_agents(r.state.agents, script, live.labs, lab_name);
    nlohmann::ordered_json end = {{"phase", "end"}, {"cut_short", !dead.empty()}};
    if (!dead.empty())
      end["reason"] = fmt::format("probes stopped before the end: {}", fmt::join(dead, ", "));
    events.emit("run", end);
  }
  experiment::collect_bgp_events(r.topology, lab_dir, r.state.start_us);
  r.state.ended = true;
  write_state(r.dir, r.state);

  // The measurement: every event, the probes' answers only from the fault on, so that the
  // outage components count the drill's window.
  size_t bad = 0;
  auto events = experiment::merged_events(lab_dir, &bad);
  measure::write_event_file(options.out_dir + "/events.jsonl", events);
  std::erase_if(events, [&](const measure::Event& e) {
    return (e.agent == "dnsprobe" || e.agent == "reachprobe") && e.ts < r.state.fault_us;
  });
  auto context = experiment::run_context(r.topology, script, lab_name);
  DrillResult result;
  result.metrics = measure::compute_metrics(context, events);
  if (bad) result.metrics.warnings.push_back(fmt::format("{} event line(s) were not events", bad));

  // Configurations: pre-fault, faulted, final.
  std::vector<RouterConfigs> routers;
  for (const auto& node : r.state.routers)
    routers.push_back({node, read_text(r.dir + "/pre/" + node + ".conf"),
                       read_text(r.dir + "/faulted/" + node + ".conf"), finals[node]});
  result.collateral = collateral_lines(routers);

  // Restored: the end's check passes; since the first check of the passing run that lasts to
  // the end.
  std::optional<int64_t> restored_us;
  for (auto it = r.state.checks.rbegin(); it != r.state.checks.rend() && it->passed; ++it)
    restored_us = it->at_us;

  const Fault& fault = r.drill.faults.at(r.state.fault_index);
  result.drill = r.drill.name;
  result.title = r.drill.title;
  result.file = r.state.drill_file;
  result.lab = lab_name;
  result.fault = fault.name;
  result.seed = r.state.seed;
  result.reveal = fault.reveal;
  result.time_limit_s = std::chrono::duration<double>(r.drill.time_limit).count();
  result.fault_s = seconds_between(r.state.start_us, r.state.fault_us);
  if (restored_us) result.restored_s = seconds_between(r.state.fault_us, *restored_us);
  auto at = [&](int64_t us) { return seconds_between(r.state.fault_us, us); };
  result.markers.push_back({Marker::Kind::kFault, 0, "fault: " + fault.name, false});
  ScoreInput input;
  for (const auto& h : r.state.hints) {
    const Hint& hint = r.drill.hints.at(h.index);
    result.markers.push_back({Marker::Kind::kHint, at(h.at_us),
                              fmt::format("hint {} (-{}): {}", h.index + 1, hint.cost, hint.text),
                              false});
    input.hints_used.push_back(hint);
  }
  {
    std::ifstream changes(r.dir + "/changes.jsonl");
    for (std::string line; std::getline(changes, line);) {
      auto j = json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("ts")) continue;
      result.markers.push_back(
          {Marker::Kind::kChange, at(j["ts"].get<int64_t>()), j.value("text", ""), false});
    }
  }
  for (const auto& c : r.state.checks)
    result.markers.push_back({Marker::Kind::kCheck, at(c.at_us), c.summary, c.passed});
  std::stable_sort(result.markers.begin(), result.markers.end(),
                   [](const Marker& a, const Marker& b) { return a.at_s < b.at_s; });

  input.restored = restored_us.has_value();
  input.time_limit = r.drill.time_limit;
  if (restored_us)
    input.time_to_restore = std::chrono::duration_cast<Millis>(
        std::chrono::microseconds(*restored_us - r.state.fault_us));
  input.outage = measure::scalar_metrics(result.metrics);
  input.collateral_lines = result.collateral.size();
  result.score = score_drill(input);

  files::write_file_atomically(options.out_dir + "/drill-report.json",
                               drill_report_json(result).dump(2) + "\n", "drill report");
  std::string text = drill_report_text(result);
  files::write_file_atomically(options.out_dir + "/drill-report.txt", text, "drill report");
  files::write_file_atomically(options.out_dir + "/drill-report.html", drill_report_html(result),
                               "drill report");
  out << text;
  if (!dead.empty())
    out << report::fit_line(
               fmt::format("incomplete: probes stopped before the end: {}", fmt::join(dead, ", ")),
               80)
        << "\n";
  out << fmt::format("report: {}/drill-report.html (and .txt, .json)\n", options.out_dir);
  if (options.keep) {
    out << fmt::format("the lab is left up: blastlab down {}\n", lab_name);
  } else {
    live.labs.down(lab_name);
  }
  if (!dead.empty()) return 3;
  return result.score.restored ? 0 : 1;
}

}  // namespace blastlab::drill
