// The reader behind load_script_*(), shared with the files made of a script's pieces: a
// drill (controller/drill/) has a script's `probes` and, for each fault, a list of change
// steps, and reads them with this same reader so that both report the same errors. Not for
// other users: what it returns is only checked once the whole file is read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contracts/limits.hpp"
#include "controller/model/topology.hpp"
#include "controller/model/yaml_reader.hpp"
#include "controller/scenario/script.hpp"

namespace blastlab::scenario {

// Reads a script's parts against a topology, reporting every problem to `diagnostics` and
// carrying on. The steps' positions are kept between read_steps() and the checks after it.
class ScriptReader {
 public:
  ScriptReader(const model::Topology& topology, model::Diagnostics& diagnostics)
      : topology_(topology), diagnostics_(diagnostics) {}

  // A whole script, from its root map.
  Script read(const model::Value& root);

  // `probes`, or the defaults when value.node is undefined: DNS probes at every client,
  // routes watched at every peer.
  void read_probes(const model::Value& value, Script& script);
  // A list of steps into script.steps (empty before; its probes already read), with the
  // checks across steps (rollbacks, audits); `empty_message` reports an empty list.
  void read_steps(const model::Value& value, Script& script, std::string_view empty_message);

  std::optional<Selector> read_selector(const model::Value& value);
  // A selection that may only name nodes of some roles ("routers", for vtysh).
  bool require_roles(const Selector& selector, const model::Value& value,
                     const std::vector<model::Role>& roles, std::string_view what);
  // A prefix some node of the topology originates; otherwise reports it at `value`, with
  // what that means for the field (`consequence`), and returns false.
  bool require_announced(const model::Ipv4Prefix& prefix, const model::Value& value,
                         std::string_view consequence);
  // A prefix the routes probes watch, when they run; otherwise reports it and returns false.
  bool require_watched(const model::Ipv4Prefix& prefix, const model::Value& value,
                       const RouteProbes& routes);
  std::optional<ReachProbe> read_reach_probe(const model::Value& value);
  std::optional<Millis> read_millis(const model::Value& value);

 private:
  void read_query(const model::Value& value, Script& script);
  void read_reach(const model::Value& value, Script& script);
  // A rate like 10 or 10/s within `allowed`; `what` says what is counted per second.
  std::optional<double> read_rate(const model::Value& value, contracts::Range<double> allowed,
                                  const std::string& allowed_text);
  void read_step(const model::Value& value, int index, Script& script);
  void read_vtysh(const model::Value& value, Step& step);
  void read_link(const model::Value& value, Step& step);
  void read_netem(const model::Value& value, Step& step);
  void read_wait(const model::Value& value, Step& step, const RouteProbes& routes);
  void read_audit(const model::Value& value, Step& step);
  void read_gate(const model::Value& value, Step& step);
  void check_rollbacks(Script& script);
  void check_audits(Script& script);
  void check_run_bound(const Script& script, const model::MapReader& top);
  std::optional<Expectation> read_expectation(const model::Value& value);
  std::optional<std::pair<std::string, std::string>> read_between(const model::Value& value);
  bool check_endpoint(const std::string& end, const model::Value& value);

  const model::Topology& topology_;
  model::Diagnostics& diagnostics_;
  std::vector<model::Value> step_values_;
};

}  // namespace blastlab::scenario
