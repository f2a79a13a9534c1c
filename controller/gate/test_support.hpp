// Shared by the gate's tests: four gates built by hand, one for each way a gate ends (a pass,
// blocked by the audit before the lab, blocked in the lab, an incomplete run), so the
// outputs are checked byte for byte without a lab or the predictor.
#pragma once

#include <string>
#include <vector>

#include "controller/gate/outputs.hpp"

namespace blastlab::gate::test {

inline Invariant policy_invariant(std::string text, std::string metric, std::string op,
                                  double value, int line, bool relative = false,
                                  double factor = 1) {
  return Invariant{.text = std::move(text),
                   .file = "gate/policy.yaml",
                   .mark = {line, 5},
                   .metric = std::move(metric),
                   .op = std::move(op),
                   .relative = relative,
                   .factor = factor,
                   .value = value};
}

inline RouterChange change(std::string node, std::vector<std::string> commands, std::string file,
                           std::vector<int> lines) {
  RouterChange c{.node = std::move(node), .commands = std::move(commands)};
  for (int line : lines) c.sources.push_back({file, line});
  return c;
}

inline std::vector<Phase> lab_phases() {
  return {{"load", 0.12},     {"predict", 0.004}, {"up", 8.5},
          {"baseline", 3.0},  {"change", 0.31},   {"observe", 6.0},
          {"rollback", 0.28}, {"recover", 4.2},   {"down", 1.1}};
}

inline std::map<std::string, double> radius(double sites, double prefixes, double clients,
                                            double pairs, double sessions) {
  return {{"sites.withdrawn", sites},
          {"vantage_prefixes.lost", prefixes},
          {"clients.affected", clients},
          {"reachability.pairs_lost", pairs},
          {"bgp.sessions_down", sessions}};
}

// (a) A cost change on pop1 that moves no traffic off the sites: everything holds.
inline GateResult passed_gate() {
  GateResult g;
  g.topology = "topologies/fb-2021.yaml";
  g.candidate = "candidates/pr-41";
  g.policy = "default";
  g.lab = "gate-a1";
  g.changes = {
      change("pop1", {"interface eth1", " ip ospf cost 20"}, "candidates/pr-41/pop1.conf", {3, 4})};
  Invariant sites{.text = "sites.withdrawn == 0", .metric = "sites.withdrawn", .op = "=="};
  Invariant dns{.text = "dns.success_ratio >= baseline",
                .metric = "dns.success_ratio",
                .op = ">=",
                .relative = true};
  g.audit = {.ran = true,
             .passed = true,
             .detail = "the change cuts 0 of 6 backbone links, at most 50%",
             .on_prediction = {{.invariant = sites, .limit = 0, .predicted = 0, .passed = true},
                               {.invariant = dns, .missing = "not predicted", .passed = true}}};
  g.prediction = {.made = true, .basis = {"the lab's FRR configs: links, OSPF and BGP"}};
  g.lab_ran = true;
  g.invariants = {{.invariant = sites, .measured = 0, .limit = 0, .predicted = 0, .passed = true},
                  {.invariant = dns, .measured = 1, .baseline = 1, .limit = 1, .passed = true}};
  g.predicted = radius(0, 0, 0, 0, 0);
  g.measured.values = radius(0, 0, 0, 0, 0);
  g.measured.values["dns.success_ratio"] = 1;
  g.phases = lab_phases();
  g.report_dir = "runs/gate-a1";
  g.verdict = GateVerdict::kPass;
  return g;
}

// (b) The 2021 command: every backbone link on bb1 and bb2 shut. The audit refuses it on the
// prediction and the lab never comes up.
inline GateResult audit_blocked_gate() {
  GateResult g;
  g.topology = "topologies/fb-2021.yaml";
  g.candidate = "candidates/pr-42";
  g.policy = "gate/policy.yaml";
  g.changes = {change("bb1", {"interface eth1", " shutdown", "interface eth2", " shutdown"},
                      "candidates/pr-42/bb1.conf", {7, 8, 10, 11}),
               change("bb2", {"no router bgp 65000"}, "candidates/pr-42/bb2.conf", {0})};
  g.audit = {
      .ran = true,
      .passed = false,
      .detail = "the change cuts 4 of 6 backbone links (67%), more than 50%",
      .on_prediction = {
          {.invariant = policy_invariant("sites.withdrawn <= 1", "sites.withdrawn", "<=", 1, 6),
           .limit = 1,
           .predicted = 2,
           .passed = false,
           .blame = {{"candidates/pr-42/bb1.conf", 8}, {"candidates/pr-42/bb1.conf", 11}}},
          {.invariant = policy_invariant("dns.success_ratio >= baseline - 0.01",
                                         "dns.success_ratio", ">=", -0.01, 7, true),
           .missing = "not predicted",
           .passed = true},
          {.invariant = policy_invariant("bgp.sessions_down == 0", "bgp.sessions_down", "==", 0, 8),
           .limit = 0,
           .predicted = 4,
           .passed = false,
           .blame = {{"candidates/pr-42/bb2.conf", 0}}}}};
  g.prediction = {.made = true,
                  .basis = {"the lab's FRR configs: links, OSPF and BGP"},
                  .sites_lost = {"dns1", "dns2"},
                  .not_modelled = {"candidates/pr-42/bb1.conf:14: ip ospf cost 100"}};
  g.stopped_before_lab = "the audit refused the change";
  g.predicted = radius(2, 4, 2, 0, 4);
  g.phases = {{"load", 0.1}, {"predict", 0.003}};
  g.verdict = GateVerdict::kBlocked;
  return g;
}

// (c) A change the audit lets through whose DNS loss the lab measures: a relative invariant
// fails, another fails without a blamed line, and the prediction missed two effects.
inline GateResult lab_blocked_gate() {
  GateResult g;
  g.topology = "topologies/fb-2021.yaml";
  g.candidate = "candidates/pr-43,v2";
  g.policy = "gate/policy.yaml";
  g.lab = "gate-c3";
  g.changes = {change("pop2", {"router bgp 65002", " neighbor 10.0.0.9 shutdown"},
                      "candidates/pr-43,v2/pop2.conf", {11, 12})};
  g.audit = {
      .ran = true, .passed = true, .detail = "the change cuts 0 of 6 backbone links, at most 50%"};
  g.prediction = {.made = true, .basis = {"the lab's FRR configs: links, OSPF and BGP"}};
  g.lab_ran = true;
  g.invariants = {
      {.invariant = policy_invariant("sites.withdrawn <= 1", "sites.withdrawn", "<=", 1, 6),
       .measured = 1,
       .limit = 1,
       .predicted = 0,
       .passed = true},
      {.invariant = policy_invariant("dns.success_ratio >= baseline - 0.01", "dns.success_ratio",
                                     ">=", -0.01, 7, true),
       .measured = 0.5,
       .baseline = 1,
       .limit = 0.99,
       .passed = false,
       .blame = {{"candidates/pr-43,v2/pop2.conf", 12}}},
      {.invariant = policy_invariant("clients.affected == 0", "clients.affected", "==", 0, 8),
       .measured = 1,
       .limit = 0,
       .predicted = 0,
       .passed = false}};
  g.prediction_differences = {
      "dns3 withdrew; the prediction kept it",
      "client2 lost DNS (62% of queries failed, 4.1 s); the prediction kept it"};
  g.predicted = radius(0, 0, 0, 0, 1);
  g.measured.values = {{"sites.withdrawn", 1},
                       {"vantage_prefixes.lost", 2},
                       {"clients.affected", 1},
                       {"bgp.sessions_down", 1},
                       {"dns.success_ratio", 0.5}};
  g.measured.missing = {
      {"reachability.pairs_lost", "no node runs reachprobe (the script has no `probes.reach`)"}};
  g.phases = lab_phases();
  g.report_dir = "runs/gate-c3";
  g.verdict = GateVerdict::kBlocked;
  return g;
}

// (d) The audit is off, no prediction could be made, and a prober died during the run: the
// DNS invariant has no value and the gate cannot vouch for the change.
inline GateResult incomplete_gate() {
  GateResult g;
  g.topology = "labs/edge.clab.yml";
  g.candidate = "candidates/pr-44";
  g.policy = "gate/policy.yaml";
  g.lab = "gate-d4";
  g.changes = {change("r1", {"ip route 203.0.113.0/24 Null0"}, "candidates/pr-44/r1.conf", {2})};
  g.audit = {.ran = false};
  g.prediction = {.made = false,
                  .basis = {"routers with their own configs: their routing policy is not "
                            "modelled"}};
  g.lab_ran = true;
  g.invariants = {
      {.invariant =
           policy_invariant("dns.success_ratio >= baseline", "dns.success_ratio", ">=", 0, 6, true),
       .missing = "dnsprobe on client1 died (exit 1 | no output)",
       .baseline = 1,
       .limit = 1,
       .passed = false},
      {.invariant = policy_invariant("sites.withdrawn == 0", "sites.withdrawn", "==", 0, 7),
       .measured = 0,
       .limit = 0,
       .passed = true}};
  g.incomplete = {"dnsprobe on client1 died at 12.0 s", "run cut short: interrupted"};
  g.measured.values = {{"sites.withdrawn", 0}};
  g.measured.missing = {{"clients.affected", "dnsprobe on client1 died at 12.0 s"}};
  g.phases = {{"load", 0.2},     {"predict", 0.001}, {"up", 9.0},
              {"baseline", 3.0}, {"change", 0.2},    {"observe", 2.5}};
  g.report_dir = "runs/gate-d4";
  g.verdict = GateVerdict::kIncomplete;
  return g;
}

}  // namespace blastlab::gate::test
