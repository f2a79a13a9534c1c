#include "controller/report/compare_columns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "controller/measure/enum_words.hpp"
#include "controller/report/format.hpp"

namespace blastlab::report {

namespace {

// A scalar of the run; a value that is not a finite number is as good as missing (a load
// ratio over zero queries before the change says nothing).
std::optional<double> scalar(const VariantResult& variant, const char* name) {
  auto it = variant.scalars.find(name);
  if (it == variant.scalars.end() || !std::isfinite(it->second)) return std::nullopt;
  return it->second;
}

std::string count_text(double value) {
  return fmt::format("{:.0f}", value);
}

// One decimal, as the table promises, without rounding a partial outcome to a whole one:
// 99.96% is not "100.0%" and 0.04% is not "0.0%".
std::string percent_one_decimal(double ratio) {
  double pct = ratio * 100;
  if (pct > 99.95 && pct < 100) return ">99.9%";
  if (pct > 0 && pct < 0.05) return "<0.1%";
  return fmt::format("{:.1f}%", pct);
}

MetricCell missing() {
  return MetricCell{kMissing, std::nullopt};
}

MetricCell dns_cell(const VariantResult& v, const ComparisonTotals&) {
  auto ratio = scalar(v, "dns.success_ratio");
  return ratio ? MetricCell{percent_one_decimal(*ratio), ratio} : missing();
}

MetricCell sites_cell(const VariantResult& v, const ComparisonTotals&) {
  auto withdrawn = scalar(v, "sites.withdrawn");
  if (!withdrawn) return missing();
  auto total = scalar(v, "sites.total");
  // fmt rather than "/" + std::string: GCC 12 warns falsely (-Wrestrict) on the latter.
  std::string text =
      total ? fmt::format("{:.0f}/{:.0f}", *withdrawn, *total) : count_text(*withdrawn);
  return MetricCell{text, withdrawn};
}

MetricCell prefixes_cell(const VariantResult& v, const ComparisonTotals&) {
  auto lost = scalar(v, "prefixes.anycast_lost");
  return lost ? MetricCell{count_text(*lost), lost} : missing();
}

// The clients' total is not a scalar of its own; affected / fraction gives it whenever a
// client was affected in this run, and ComparisonTotals carries it over from another run
// of the same topology otherwise.
std::optional<int> own_clients_total(const VariantResult& v) {
  auto affected = scalar(v, "clients.affected");
  auto fraction = scalar(v, "clients.affected_fraction");
  if (!affected || !fraction || *affected <= 0 || *fraction <= 0 || *fraction > 1) {
    return std::nullopt;
  }
  double total = std::round(*affected / *fraction);
  if (total < *affected || total > std::numeric_limits<int>::max()) return std::nullopt;
  return static_cast<int>(total);
}

MetricCell clients_cell(const VariantResult& v, const ComparisonTotals& totals) {
  auto affected = scalar(v, "clients.affected");
  if (!affected) return missing();
  std::optional<int> total = own_clients_total(v);
  if (!total) total = totals.clients;
  std::string text = count_text(*affected) + (total ? fmt::format("/{}", *total) : "");
  return MetricCell{text, affected};
}

MetricCell seconds_cell(const VariantResult& v, const char* name) {
  auto s = scalar(v, name);
  return s ? MetricCell{fmt::format("{:.1f} s", *s), s} : missing();
}

MetricCell outage_cell(const VariantResult& v, const ComparisonTotals&) {
  return seconds_cell(v, "dns.outage_max_s");
}

// A recovery that never completed is worse than any that did, however long; without a
// withdrawn site or a lost reachability pair there was nothing to recover, and the time (if any)
// stands alone.
MetricCell recovery_cell(const VariantResult& v, const ComparisonTotals&) {
  auto complete = scalar(v, "recovery.complete");
  auto withdrawn = scalar(v, "sites.withdrawn");
  auto pairs_lost = scalar(v, "reachability.pairs_lost");
  bool broken = (withdrawn && *withdrawn > 0) || (pairs_lost && *pairs_lost > 0);
  if (complete && *complete == 0 && broken) {
    return MetricCell{"incomplete", std::numeric_limits<double>::infinity()};
  }
  return seconds_cell(v, "recovery.all_s");
}

// The peak, not the average over the outage: a resolver's retries toward dead name servers
// come in a burst, until its infrastructure cache gives them up and it answers SERVFAIL on
// its own (the average is in each variant's report). A ratio of 0 or none is unmeasured.
MetricCell load_cell(const VariantResult& v, const ComparisonTotals&) {
  auto ratio = scalar(v, "resolver.peak_ratio");
  if (!ratio || *ratio <= 0) return missing();
  return MetricCell{fmt::format("{:.1f}\u00d7", *ratio), ratio};
}

// Pairs that lost reachability, of all pairs probed: "3/6".
MetricCell pairs_cell(const VariantResult& v, const ComparisonTotals&) {
  auto lost = scalar(v, "reachability.pairs_lost");
  if (!lost) return missing();
  auto total = scalar(v, "reachability.pairs");
  std::string text = total ? fmt::format("{:.0f}/{:.0f}", *lost, *total) : count_text(*lost);
  return MetricCell{text, lost};
}

MetricCell reach_outage_cell(const VariantResult& v, const ComparisonTotals&) {
  return seconds_cell(v, "reachability.outage_max_s");
}

// Byte length of the first `columns` display columns of text (UTF-8 aware).
size_t prefix_bytes(std::string_view text, size_t columns) {
  size_t width = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    bool starts_char = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts_char && width++ == columns) return i;
  }
  return text.size();
}

}  // namespace

const std::vector<MetricColumn>& metric_columns() {
  static const std::vector<MetricColumn> kColumns = {
      {"dns", "DNS ok", "DNS success",
       "DNS queries the clients' resolvers answered, of all sent through them", "dns.success_ratio",
       Better::kHigher, dns_cell},
      {"sites", "sites", "Sites withdrawn",
       "DNS sites that withdrew their anycast route, of all sites (a degraded route is still "
       "announced)",
       "sites.withdrawn, sites.total", Better::kLower, sites_cell},
      {"prefixes", "pfx", "DNS prefixes lost",
       "anycast DNS prefixes lost at one vantage point or more", "prefixes.anycast_lost",
       Better::kLower, prefixes_cell},
      {"clients", "clients", "Clients affected",
       "clients with a DNS outage through their resolver, of all clients",
       "clients.affected, clients.affected_fraction", Better::kLower, clients_cell},
      {"outage", "outage", "Longest outage",
       "the longest DNS outage a client saw through its resolver", "dns.outage_max_s",
       Better::kLower, outage_cell},
      {"recovery", "recov", "Recovery after rollback",
       "from the rollback until sites, prefixes, DNS and reachability were all back; "
       "incomplete: sites withdrew and were not all back when the run ended",
       "recovery.all_s, recovery.complete", Better::kLower, recovery_cell},
      {"load", "load", "Resolver peak load",
       "the busiest second of a client's resolver toward the name servers after the change, as "
       "a multiple of its baseline rate (the worst client)",
       "resolver.peak_ratio", Better::kLower, load_cell},
      {"pairs", "pairs", "Pairs unreachable",
       "reachability pairs (source, target, protocol) with an outage after the change, of all "
       "pairs probed",
       "reachability.pairs_lost, reachability.pairs", Better::kLower, pairs_cell, true},
      {"reach-outage", "r-out", "Longest reachability outage",
       "the longest outage of any reachability pair", "reachability.outage_max_s", Better::kLower,
       reach_outage_cell, true},
  };
  return kColumns;
}

std::vector<MetricColumn> shown_columns(const Comparison& comparison) {
  ComparisonTotals totals = comparison_totals(comparison);
  std::vector<MetricColumn> shown;
  for (const auto& column : metric_columns()) {
    bool measured = std::any_of(
        comparison.variants.begin(), comparison.variants.end(),
        [&](const VariantResult& v) { return column.cell(v, totals).value.has_value(); });
    if (!column.only_when_measured || measured) shown.push_back(column);
  }
  return shown;
}

ComparisonTotals comparison_totals(const Comparison& comparison) {
  ComparisonTotals totals;
  for (const auto& v : comparison.variants) {
    if (auto total = own_clients_total(v)) {
      totals.clients = total;
      break;
    }
  }
  return totals;
}

Judgement judge(const MetricCell& cell, const MetricCell& reference, Better better) {
  if (!cell.value || !reference.value) return Judgement::kNone;
  if (cell.text == reference.text || *cell.value == *reference.value) return Judgement::kSame;
  bool higher = *cell.value > *reference.value;
  return higher == (better == Better::kHigher) ? Judgement::kBetter : Judgement::kWorse;
}

namespace {

constexpr measure::EnumWords<VariantOutcome, 4> kOutcomeWords{{
    {VariantOutcome::kError, "error"},  // first: what an unlisted value would read as
    {VariantOutcome::kPass, "pass"},
    {VariantOutcome::kFail, "fail"},
    {VariantOutcome::kIncomplete, "incomplete"},
}};

}  // namespace

std::string_view to_string(VariantOutcome outcome) {
  return measure::word_of(kOutcomeWords, outcome);
}

VariantOutcome variant_result(const VariantResult& variant) {
  // Exit 3 with a report: its measurement has a hole or it was cut short.
  if (variant.error.empty() && variant.exit_code == 3) return VariantOutcome::kIncomplete;
  if (!variant.error.empty() || (variant.exit_code != 0 && variant.exit_code != 1)) {
    return VariantOutcome::kError;
  }
  bool any_failed = std::any_of(variant.expectations.begin(), variant.expectations.end(),
                                [](const auto& e) { return !e.passed; });
  return variant.exit_code == 1 || any_failed ? VariantOutcome::kFail : VariantOutcome::kPass;
}

Outcome outcome(const VariantResult& variant) {
  VariantOutcome kind = variant_result(variant);
  switch (kind) {
    case VariantOutcome::kPass:
      return {kind, "PASS"};
    case VariantOutcome::kIncomplete:
      return {kind, "INCOMPLETE"};
    case VariantOutcome::kError: {
      bool told = variant.exit_code != 0 && variant.exit_code != 1;
      return {kind, told ? fmt::format("ERROR {}", variant.exit_code) : "ERROR"};
    }
    case VariantOutcome::kFail:
      break;
  }
  auto failed = std::count_if(variant.expectations.begin(), variant.expectations.end(),
                              [](const auto& e) { return !e.passed; });
  if (failed == 0) return {kind, "FAIL"};
  return {kind, fmt::format("FAIL {}/{}", failed, variant.expectations.size())};
}

std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

std::string clip(std::string_view text, size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return "";
  return std::string(text.substr(0, prefix_bytes(text, width - 1))) + "\u2026";
}

std::vector<std::string> wrap_words(std::string_view text, size_t width) {
  width = std::max<size_t>(width, 1);
  std::vector<std::string> lines;
  std::string line;
  auto flush = [&] {
    if (!line.empty()) lines.push_back(std::move(line));
    line.clear();
  };
  size_t at = 0;
  while (at < text.size()) {
    if (text[at] == ' ') {
      ++at;
      continue;
    }
    size_t end = text.find(' ', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(at, end - at);
    at = end;
    size_t need = display_width(word) + (line.empty() ? 0 : 1);
    if (display_width(line) + need > width) flush();
    while (display_width(word) > width) {
      size_t cut = prefix_bytes(word, width);
      lines.emplace_back(word.substr(0, cut));
      word.remove_prefix(cut);
    }
    if (!line.empty()) line += ' ';
    line += word;
  }
  flush();
  if (lines.empty()) lines.emplace_back();
  return lines;
}

}  // namespace blastlab::report
