// Shared by the report tests: a sample run of the minimal two-site lab (the fb-2021 story:
// the audit change withdraws both DNS sites, the rollback brings them back), a temporary
// directory that removes itself, and a small XML well-formedness check, so the HTML and
// JUnit outputs are parsed rather than grepped.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "controller/report/report.hpp"

namespace blastlab::report {

inline measure::Delay delay(std::optional<double> measured, double low, double high,
                            std::string basis) {
  return measure::Delay{.measured_s = measured,
                        .prediction = measure::Prediction::kRange,
                        .predicted_min_s = low,
                        .predicted_max_s = high,
                        .basis = basis};
}

inline measure::Window window(double start, std::optional<double> end, double duration) {
  return measure::Window{.start_s = start, .end_s = end, .duration_s = duration};
}

inline Report sample_report() {
  Report report;
  report.events_path = "/tmp/out/events.jsonl";
  report.bucket_us = 1'000'000;
  auto& m = report.metrics;
  m.lab = "minimal-t1";
  m.topology = "topologies/minimal.yaml";
  m.script = "scripts/fb-2021.yaml";
  m.start_ts = 1714564800'000000;  // 2024-05-01 12:00:00 UTC
  m.end_ts = m.start_ts + 40'000000;
  m.duration_s = 40;
  m.change_s = 5.0;
  m.rollback_s = 25.0;
  m.steps = {
      {.index = 0,
       .name = "baseline",
       .kind = "wait",
       .detail = "wait 5 s",
       .state = measure::StepState::kDone,
       .start_s = 0,
       .end_s = 5.0},
      {.index = 1,
       .name = "audit",
       .kind = "vtysh",
       .detail = "shut down every backbone link on bb1, bb2",
       .state = measure::StepState::kDone,
       .start_s = 5.0,
       .end_s = 5.21},
      {.index = 2,
       .name = "observe",
       .kind = "wait",
       .detail = "wait 19.8 s",
       .state = measure::StepState::kDone,
       .start_s = 5.21,
       .end_s = 25.0},
      {.index = 3,
       .name = "restore",
       .kind = "rollback",
       .detail = "roll back audit",
       .state = measure::StepState::kDone,
       .start_s = 25.0,
       .end_s = 25.3},
      {.index = 4,
       .name = "settle",
       .kind = "wait",
       .detail = "wait 14.7 s",
       .state = measure::StepState::kDone,
       .start_s = 25.3,
       .end_s = 40.0},
  };
  const std::string health_basis = "fall 3 x interval 1s + timeout 0.5s";
  const std::string withdraw_basis = "health failure + bgp update";
  m.sites = {
      {.node = "dns1",
       .pop = "pop1",
       .withdrawn = true,
       .health_failed = delay(2.54, 2.0, 3.5, health_basis),
       .withdrawn_after = delay(2.58, 2.0, 3.6, withdraw_basis),
       .reannounced_after = delay(3.9, 2.0, 3.5, "rise 2 x interval 1s"),
       .withdrawn_windows = {window(7.58, 28.9, 21.32)}},
      {.node = "dns2",
       .pop = "pop2",
       .withdrawn = true,
       .health_failed = delay(2.61, 2.0, 3.5, health_basis),
       .withdrawn_after = delay(2.66, 2.0, 3.6, withdraw_basis),
       .reannounced_after = delay(4.1, 2.0, 3.5, "rise 2 x interval 1s"),
       .withdrawn_windows = {window(7.66, 29.1, 21.44)}},
  };
  const std::string route_basis = "withdraw + bgp propagation";
  auto lost_route = [&](std::string vantage, double lost, double regained, double start,
                        double end) {
    return measure::PrefixAtVantage{.vantage = std::move(vantage),
                                    .prefix = "198.51.100.0/26",
                                    .kind = "anycast",
                                    .present_at_start = true,
                                    .lost = true,
                                    .lost_after = delay(lost, 2.0, 4.6, route_basis),
                                    .regained_after = delay(regained, 2.0, 4.5, route_basis),
                                    .absent_s = end - start,
                                    .absent_windows = {window(start, end, end - start)}};
  };
  auto kept_route = [&](std::string vantage) {
    measure::Delay kept{.prediction = measure::Prediction::kKept,
                        .basis = "not expected to be lost (covering prefix)"};
    return measure::PrefixAtVantage{.vantage = std::move(vantage),
                                    .prefix = "198.51.100.0/24",
                                    .kind = "covering",
                                    .present_at_start = true,
                                    .lost_after = kept,
                                    .regained_after = kept};
  };
  m.routes = {lost_route("transit1", 2.7, 4.1, 7.7, 29.1), kept_route("transit1"),
              lost_route("transit2", 2.75, 4.2, 7.75, 29.2), kept_route("transit2")};

  measure::ClientTargetMetrics resolver{
      .client = "client1",
      .target = "resolver",
      .queries = 400,
      .ok = 180,
      .success_ratio = 0.45,
      .latency_p50_ms = 1.2,
      .latency_p95_ms = 4.8,
      .latency_p99_ms = 310.0,
      .failures = {.servfail = 150, .timeout = 62, .unreachable = 0, .other = 8},
      .outages = {window(7.9, 29.3, 21.4)},
      .outage_start_after_change_s = 2.9,
      .recovered_after_rollback_s = 4.3};
  measure::ClientTargetMetrics anycast{
      .client = "client1",
      .target = "anycast",
      .queries = 400,
      .ok = 182,
      .success_ratio = 0.455,
      .latency_p50_ms = 0.4,
      .latency_p95_ms = 0.9,
      .latency_p99_ms = 1.5,
      .failures = {.servfail = 0, .timeout = 150, .unreachable = 68, .other = 0},
      .outages = {window(7.6, 29.0, 21.4)},
      .outage_start_after_change_s = 2.6,
      .recovered_after_rollback_s = 4.0};
  for (int second = 0; second < 40; ++second) {
    double resolver_rate = second == 0    ? -1
                           : second < 7   ? 1
                           : second == 7  ? 0.5
                           : second < 29  ? 0
                           : second == 29 ? 0.7
                                          : 1;
    resolver.success_by_bucket.push_back(resolver_rate);
    anycast.success_by_bucket.push_back(second < 7 ? 1 : second < 29 ? 0 : 1);
  }
  m.clients = {resolver, anycast};
  m.blast_radius = {.sites_withdrawn = 2,
                    .sites_total = 2,
                    .prefixes_lost = 1,
                    .prefixes_total = 2,
                    .vantage_prefixes_lost = 2,
                    .vantage_prefixes_total = 4,
                    .clients_affected = 1,
                    .clients_total = 1,
                    .sites_fraction = 1.0,
                    .prefixes_fraction = 0.5,
                    .clients_fraction = 1.0};
  m.recovery = {.sites_s = 4.1, .prefixes_s = 4.2, .dns_s = 4.3, .all_s = 4.3, .complete = true};
  m.bgp = {{.at_s = 8.1, .node = "bb1", .peer = "198.18.0.5", .state = "down"},
           {.at_s = 8.2, .node = "bb2", .peer = "198.18.0.9", .state = "down"},
           {.at_s = 26.0, .node = "bb1", .peer = "198.18.0.5", .state = "up"},
           {.at_s = 26.1, .node = "bb2", .peer = "198.18.0.9", .state = "up"}};
  m.dns_success_ratio = 0.45;
  m.resolver_load = {{.client = "client1",
                      .baseline_queries = 50,
                      .baseline_s = 5,
                      .baseline_qps = 10,
                      .outage_queries = 642,
                      .outage_s = 21.4,
                      .outage_qps = 30,
                      .ratio = 3,
                      .peak_qps = 52,
                      .peak_at_s = 9,
                      .basis = "during the client's resolver outage (1 window, 21.4 s)",
                      .probe_queries_excluded = 400}};
  m.resolver_load_total = {.baseline_qps = 10, .outage_qps = 30, .ratio = 3, .clients = 1};
  m.events = 1234;
  m.warnings = {"routewatch on transit2: 1 torn line skipped"};
  report.expectations = {
      {.text = "dns.success_ratio >= 0.99",
       .where = "scripts/fb-2021.yaml:31:5",
       .metric = "dns.success_ratio",
       .op = ">=",
       .threshold = 0.99,
       .value = 0.45,
       .passed = false},
      {.text = "sites.withdrawn <= 1",
       .where = "scripts/fb-2021.yaml:32:5",
       .metric = "sites.withdrawn",
       .op = "<=",
       .threshold = 1,
       .value = 2,
       .passed = false},
      {.text = "recovery.all_s <= 10",
       .where = "scripts/fb-2021.yaml:33:5",
       .metric = "recovery.all_s",
       .op = "<=",
       .threshold = 10,
       .value = 4.3,
       .passed = true},
  };
  return report;
}

// A directory under TMPDIR (or /tmp) removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/blastlab-report-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp " << pattern << " failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline size_t count(std::string_view text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Well-formedness in the sense of XML 1.0, for what the report writes: one root element,
// every tag closed in order, attributes quoted and unique, '<' never in text or attribute
// values, '&' only as a predefined or numeric entity. Returns "" when the text passes, else
// what is wrong and the byte offset.
inline std::string xml_problem(std::string_view xml) {
  std::vector<std::string> open;
  size_t roots = 0;
  auto problem = [](std::string what, size_t at) {
    return what + " at offset " + std::to_string(at);
  };
  auto entity_ok = [&](size_t at) {
    for (std::string_view e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
      if (xml.substr(at, e.size()) == e) return true;
    }
    if (xml.substr(at, 2) != "&#") return false;
    size_t end = xml.find(';', at);
    return end != std::string_view::npos && end - at > 2 && end - at < 10;
  };
  auto name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' ||
           c == '.';
  };
  size_t i = 0;
  while (i < xml.size()) {
    char c = xml[i];
    if (c == '&') {
      if (!entity_ok(i)) return problem("bare '&' in text", i);
      ++i;
      continue;
    }
    if (c != '<') {
      if (open.empty() && !std::isspace(static_cast<unsigned char>(c))) {
        return problem("text outside the root element", i);
      }
      ++i;
      continue;
    }
    if (xml.substr(i, 4) == "<!--") {
      size_t end = xml.find("-->", i);
      if (end == std::string_view::npos) return problem("unclosed comment", i);
      i = end + 3;
      continue;
    }
    if (xml.substr(i, 2) == "<?" || xml.substr(i, 9) == "<!DOCTYPE") {
      if (!open.empty() || roots > 0) return problem("declaration inside the document", i);
      size_t end = xml.find('>', i);
      if (end == std::string_view::npos) return problem("unclosed declaration", i);
      i = end + 1;
      continue;
    }
    bool closing = xml.substr(i, 2) == "</";
    size_t j = i + (closing ? 2 : 1);
    size_t name_start = j;
    while (j < xml.size() && name_char(xml[j])) ++j;
    std::string name(xml.substr(name_start, j - name_start));
    if (name.empty()) return problem("'<' not starting a tag", i);
    if (closing) {
      while (j < xml.size() && std::isspace(static_cast<unsigned char>(xml[j]))) ++j;
      if (j >= xml.size() || xml[j] != '>') return problem("bad end tag </" + name, i);
      if (open.empty() || open.back() != name) {
        return problem("</" + name + "> closes <" + (open.empty() ? "nothing" : open.back()) + ">",
                       i);
      }
      open.pop_back();
      i = j + 1;
      continue;
    }
    std::vector<std::string> attributes;
    bool self_closing = false;
    for (;;) {
      while (j < xml.size() && std::isspace(static_cast<unsigned char>(xml[j]))) ++j;
      if (j >= xml.size()) return problem("unclosed tag <" + name, i);
      if (xml[j] == '>') break;
      if (xml.substr(j, 2) == "/>") {
        self_closing = true;
        ++j;
        break;
      }
      size_t attr_start = j;
      while (j < xml.size() && name_char(xml[j])) ++j;
      std::string attr(xml.substr(attr_start, j - attr_start));
      if (attr.empty() || j >= xml.size() || xml[j] != '=') {
        return problem("attribute without a value in <" + name, j);
      }
      for (const auto& a : attributes) {
        if (a == attr) return problem("duplicate attribute " + attr + " in <" + name, j);
      }
      attributes.push_back(attr);
      char quote = xml[++j];
      if (quote != '"' && quote != '\'') return problem("unquoted attribute " + attr, j);
      size_t end = xml.find(quote, j + 1);
      if (end == std::string_view::npos) return problem("unterminated attribute " + attr, j);
      for (size_t k = j + 1; k < end; ++k) {
        if (xml[k] == '<') return problem("'<' in attribute " + attr, k);
        if (xml[k] == '&' && !entity_ok(k)) return problem("bare '&' in attribute " + attr, k);
      }
      j = end + 1;
    }
    if (open.empty()) {
      if (++roots > 1) return problem("a second root element <" + name + ">", i);
    }
    if (!self_closing) open.push_back(name);
    i = j + 1;
  }
  if (!open.empty()) return "<" + open.back() + "> is never closed";
  if (roots == 0) return "no root element";
  return "";
}

}  // namespace blastlab::report
