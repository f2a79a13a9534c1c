// The comparison of what-if variants: a realistic six-variant run of the fb-2021 story
// (baseline, audit tool fixed, fail-static, degrade, keep the last two sites, a staged
// rollout halted after its first stage) rendered as text, JSON and HTML.
#include "controller/report/compare.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <regex>
#include <set>
#include <sstream>

#include "controller/report/format.hpp"
#include "controller/report/test_support.hpp"

namespace blastlab::report {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

ExpectationResult expectation(std::string text, std::string metric, std::string op,
                              double threshold, std::optional<double> value, bool passed) {
  return ExpectationResult{.text = std::move(text),
                           .where = "scripts/fb-2021.yaml:40:5",
                           .metric = std::move(metric),
                           .op = std::move(op),
                           .threshold = threshold,
                           .value = value,
                           .passed = passed};
}

// The three expectations every variant's script carries, judged on its figures.
std::vector<ExpectationResult> expectations(double dns, double clients, std::optional<double> all) {
  return {
      expectation("dns.success_ratio >= 0.95", "dns.success_ratio", ">=", 0.95, dns, dns >= 0.95),
      expectation("clients.affected <= 6", "clients.affected", "<=", 6, clients, clients <= 6),
      expectation("recovery.all_s <= 15", "recovery.all_s", "<=", 15, all, all && *all <= 15)};
}

std::map<std::string, double> scalars(double dns, double withdrawn, double lost, double clients,
                                      double outage, std::optional<double> recovery, bool complete,
                                      double load) {
  std::map<std::string, double> s{{"dns.success_ratio", dns},
                                  {"dns.anycast_success_ratio", dns},
                                  {"dns.outage_max_s", outage},
                                  {"sites.withdrawn", withdrawn},
                                  {"sites.total", 8},
                                  {"sites.withdrawn_fraction", withdrawn / 8},
                                  {"prefixes.anycast_lost", lost},
                                  {"clients.affected", clients},
                                  {"clients.affected_fraction", clients / 12},
                                  {"recovery.complete", complete ? 1 : 0},
                                  {"resolver.peak_ratio", load}};
  if (recovery) s["recovery.all_s"] = *recovery;
  return s;
}

VariantResult variant(std::string name, std::string description, int exit_code, std::string change,
                      std::map<std::string, double> values, std::optional<double> all) {
  VariantResult v;
  v.name = name;
  v.description = std::move(description);
  v.dir = name;
  v.exit_code = exit_code;
  v.change = std::move(change);
  v.expectations = expectations(values.at("dns.success_ratio"), values.at("clients.affected"), all);
  v.scalars = std::move(values);
  v.wall_s = 48.25;
  return v;
}

Comparison sample_comparison() {
  Comparison c;
  c.name = "fb-2021-whatifs";
  c.description = "What-if variants of the 4 October 2021 backbone audit change.";
  c.topology = "topologies/fb-2021.yaml";
  c.script = "scripts/fb-2021.yaml";
  c.started_at = "2024-05-01T12:00:00Z";
  c.variants = {
      variant("baseline", "the audit command as run on 4 October 2021", 1, "applied",
              scalars(0.0, 8, 3, 12, 41.3, 9.4, true, 9.8), 9.4),
      variant("audit-fixed", "the audit tool without its bug: it refuses the command", 0,
              "refused by audit", scalars(1.0, 0, 0, 0, 0, std::nullopt, false, 1.0), std::nullopt),
      variant("fail-static", "healthd fails static when every backend is down at once", 0,
              "applied", scalars(0.9987, 0, 0, 1, 2.1, 3.2, true, 1.1), 3.2),
      variant("degrade", "healthd degrades (longer AS path) instead of withdrawing", 1, "applied",
              scalars(0.957, 8, 0, 4, 3.5, 16.1, true, 1.6), 16.1),
      variant("keep-last-2", "a guard keeps the last two sites announcing", 1, "applied",
              scalars(0.621, 6, 0, 7, 12.4, std::nullopt, false, 3.2), std::nullopt),
      variant("staged-halt", "a staged rollout, halted after its first stage", 0,
              "halted after stage-1", scalars(0.9912, 2, 0, 2, 5.0, 6.0, true, 1.3), 6.0),
  };
  // The staged run's report predates two scalars: they show as missing.
  c.variants[5].scalars.erase("prefixes.anycast_lost");
  c.variants[5].scalars.erase("resolver.peak_ratio");
  // audit-fixed has no rollback and so no recovery to judge.
  c.variants[1].expectations.pop_back();
  return c;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A table line's cells (runs of two or more spaces separate them; the marker column is
// dropped) with the display columns where each starts and ends.
struct TextCell {
  std::string text;
  size_t start;
  size_t end;
};
std::vector<TextCell> cells(const std::string& line) {
  std::vector<TextCell> out;
  size_t i = 2;  // after the marker column
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
      continue;
    }
    size_t end = std::min(line.find("  ", i), line.size());
    std::string text = line.substr(i, end - i);
    size_t start = display_width(line.substr(0, i));
    out.push_back({text, start, start + display_width(text)});
    i = end;
  }
  return out;
}

std::vector<std::string> texts(const std::vector<TextCell>& row) {
  std::vector<std::string> out;
  for (const auto& c : row) out.push_back(c.text);
  return out;
}

// The table's header and its rows: from the "variant" header to the first blank line.
std::vector<std::string> table_lines(const std::string& text) {
  auto all = lines(text);
  std::vector<std::string> out;
  bool in_table = false;
  for (const auto& l : all) {
    if (!in_table && l.rfind("  variant  ", 0) == 0) in_table = true;
    if (in_table && l.empty()) break;
    if (in_table) out.push_back(l);
  }
  return out;
}

TEST(CompareTextTest, ImportantCellsOfEveryVariant) {
  std::string text = comparison_text(sample_comparison());
  EXPECT_EQ(text.substr(0, text.find("\n\n")),
            "blastlab compare  fb-2021-whatifs\n"
            "  topology topologies/fb-2021.yaml, script scripts/fb-2021.yaml, started "
            "2024-05-01T12:00:00Z\n"
            "  6 variants: 3 pass, 3 fail, 0 errors\n"
            "  What-if variants of the 4 October 2021 backbone audit change.");
  auto table = table_lines(text);
  ASSERT_EQ(table.size(), 7u) << text;
  EXPECT_THAT(texts(cells(table[0])), ElementsAre("variant", "DNS ok", "sites", "pfx", "clients",
                                                  "outage", "recov", "load", "result", "change"));
  EXPECT_EQ(table[1].substr(0, 2), "* ");
  EXPECT_THAT(texts(cells(table[1])), ElementsAre("baseline", "0.0%", "8/8", "3", "12/12", "41.3 s",
                                                  "9.4 s", "9.8\u00d7", "FAIL 2/3", "applied"));
  // No client was affected, so the total comes from another run of the same topology.
  EXPECT_THAT(texts(cells(table[2])),
              ElementsAre("audit-fixed", "100.0%", "0/8", "0", "0/12", "0.0 s", "\u2013",
                          "1.0\u00d7", "PASS", "refused by audit"));
  EXPECT_THAT(texts(cells(table[3])),
              ElementsAre("fail-static", "99.9%", "0/8", "0", "1/12", "2.1 s", "3.2 s", "1.1\u00d7",
                          "PASS", "applied"));
  EXPECT_THAT(texts(cells(table[4])), ElementsAre("degrade", "95.7%", "8/8", "0", "4/12", "3.5 s",
                                                  "16.1 s", "1.6\u00d7", "FAIL 1/3", "applied"));
  EXPECT_THAT(texts(cells(table[5])),
              ElementsAre("keep-last-2", "62.1%", "6/8", "0", "7/12", "12.4 s", "incomplete",
                          "3.2\u00d7", "FAIL 3/3", "applied"));
  EXPECT_THAT(texts(cells(table[6])),
              ElementsAre("staged-halt", "99.1%", "2/8", "\u2013", "2/12", "5.0 s", "6.0 s",
                          "\u2013", "PASS", "halted after stage-1"));
  for (size_t r = 2; r < table.size(); ++r) EXPECT_EQ(table[r].substr(0, 2), "  ") << table[r];
}

TEST(CompareTextTest, FiguresRightAlignedWordsLeftAligned) {
  auto table = table_lines(comparison_text(sample_comparison()));
  ASSERT_EQ(table.size(), 7u);
  auto header = cells(table[0]);
  ASSERT_EQ(header.size(), 10u);
  for (size_t r = 1; r < table.size(); ++r) {
    auto row = cells(table[r]);
    ASSERT_EQ(row.size(), header.size()) << table[r];
    for (size_t c = 0; c < row.size(); ++c) {
      bool figure = c >= 1 && c <= 7;
      if (figure) {
        EXPECT_EQ(row[c].end, header[c].end) << header[c].text << " in " << table[r];
      } else {
        EXPECT_EQ(row[c].start, header[c].start) << header[c].text << " in " << table[r];
      }
    }
  }
}

TEST(CompareTextTest, EveryLineFitsOneHundredColumns) {
  Comparison c = sample_comparison();
  std::string text = comparison_text(c);
  for (const auto& l : lines(text)) EXPECT_LE(display_width(l), 100u) << l;
  // A legend under the table names the metric behind every abbreviated column.
  for (const char* metric :
       {"dns.success_ratio", "sites.withdrawn", "prefixes.anycast_lost", "clients.affected",
        "dns.outage_max_s", "recovery.all_s", "recovery.complete", "resolver.peak_ratio"}) {
    EXPECT_THAT(text, HasSubstr(metric));
  }
  EXPECT_THAT(text, HasSubstr("\n  pfx      anycast DNS prefixes lost"));
  EXPECT_THAT(text, HasSubstr("\n* baseline     the audit command as run on 4 October 2021\n"));
  EXPECT_THAT(text, HasSubstr("               report baseline/report.txt, exit 1, 48.2 s\n"));

  // Long names and a long change: names clipped in the table, the change wrapped in its
  // column, still nothing past column 100.
  c.variants[3].name = "degrade-with-a-very-long-variant-name";
  c.variants[3].change =
      "applied on every backbone router after a manual override of the audit tool's verdict";
  c.variants[3].description = std::string(150, 'x') + " and words after it";
  text = comparison_text(c);
  for (const auto& l : lines(text)) EXPECT_LE(display_width(l), 100u) << l;
  auto table = table_lines(text);
  auto header = cells(table[0]);
  size_t change_start = header.back().start;
  auto row = std::find_if(table.begin(), table.end(),
                          [](const auto& l) { return l.find("degrade-with") != l.npos; });
  ASSERT_NE(row, table.end());
  EXPECT_THAT(*row, HasSubstr("degrade-with-a-\u2026"));
  ASSERT_NE(row + 1, table.end());
  EXPECT_EQ((row + 1)->find_first_not_of(' '), change_start) << *(row + 1);
  EXPECT_THAT(text, HasSubstr("\n  degrade-with-a-very-long-variant-name\n"));
}

TEST(CompareTextTest, MissingScalarsShowADash) {
  Comparison c = sample_comparison();
  c.variants[2].scalars = {{"dns.success_ratio", 0.5}};
  // measure writes a load ratio it could not measure as 0.
  c.variants[3].scalars["resolver.peak_ratio"] = 0;
  c.variants[2].exit_code = 1;
  c.variants[2].expectations.clear();
  auto table = table_lines(comparison_text(c));
  EXPECT_THAT(texts(cells(table[3])),
              ElementsAre("fail-static", "50.0%", "\u2013", "\u2013", "\u2013", "\u2013", "\u2013",
                          "\u2013", "FAIL", "applied"));
  EXPECT_EQ(texts(cells(table[4]))[7], "\u2013");
}

VariantResult errored() {
  VariantResult v;
  v.name = "fast-timers";
  v.description = "BGP hold time 1 s";
  v.dir = "fast-timers";
  v.exit_code = 3;
  v.change = "not run";
  v.error = "lab did not converge: bgp bb1-bb2 not established after 60 s";
  v.wall_s = 61;
  return v;
}

TEST(CompareTextTest, AVariantThatErroredShowsItsError) {
  Comparison c = sample_comparison();
  c.variants.push_back(errored());
  std::string text = comparison_text(c);
  auto table = table_lines(text);
  ASSERT_EQ(table.size(), 8u);
  EXPECT_THAT(texts(cells(table[7])),
              ElementsAre("fast-timers", "\u2013", "\u2013", "\u2013", "\u2013", "\u2013", "\u2013",
                          "\u2013", "ERROR 3", "not run"));
  EXPECT_THAT(text, HasSubstr("\n  fast-timers  BGP hold time 1 s\n"
                              "               dir fast-timers, exit 3, 61.0 s\n"
                              "               error: lab did not converge: bgp bb1-bb2 not "
                              "established after 60 s\n"));
  EXPECT_THAT(text, HasSubstr("\n  7 variants: 3 pass, 3 fail, 1 error\n"));
}

TEST(CompareTextTest, FailedExpectationsAreListed) {
  std::string text = comparison_text(sample_comparison());
  EXPECT_THAT(text, HasSubstr("               failed: dns.success_ratio >= 0.95 (value 0, "
                              "scripts/fb-2021.yaml:40:5)\n"));
  EXPECT_THAT(text,
              HasSubstr("failed: recovery.all_s <= 15 (no value, scripts/fb-2021.yaml:40:5)"));
}

TEST(CompareResultTest, FromExitCodeAndExpectations) {
  VariantResult v;
  EXPECT_EQ(variant_result(v), VariantOutcome::kPass);
  v.expectations = {expectation("x < 1", "x", "<", 1, 2, false)};
  EXPECT_EQ(variant_result(v), VariantOutcome::kFail);  // exit 0 yet an expectation failed
  v.expectations.clear();
  v.exit_code = 1;
  EXPECT_EQ(variant_result(v), VariantOutcome::kFail);  // a failed step
  v.exit_code = 2;
  EXPECT_EQ(variant_result(v), VariantOutcome::kError);
  v.exit_code = 3;  // a report with a measurement gap
  EXPECT_EQ(variant_result(v), VariantOutcome::kIncomplete);
  EXPECT_EQ(to_string(VariantOutcome::kIncomplete), "incomplete");
  v.exit_code = 0;
  v.error = "could not read report.json";
  EXPECT_EQ(variant_result(v), VariantOutcome::kError);
}

// ---- compare.json -------------------------------------------------------------------------

nlohmann::json written(const Comparison& c) {
  return nlohmann::json::parse(comparison_json(c).dump());
}

TEST(CompareJsonTest, KeysInSchemaOrder) {
  Comparison c = sample_comparison();
  c.variants.push_back(errored());
  auto json = comparison_json(c);
  std::vector<std::string> top;
  for (const auto& [key, value] : json.items()) top.push_back(key);
  EXPECT_THAT(top, ElementsAre("schema", "schema_version", "name", "description", "topology",
                               "script", "started_at", "reference", "variants"));
  EXPECT_EQ(json["schema"], "blastlab.compare");
  EXPECT_EQ(json["schema_version"], 1);
  EXPECT_EQ(json["reference"], "baseline");
  std::vector<std::string> keys;
  for (const auto& [key, value] : json["variants"][0].items()) keys.push_back(key);
  EXPECT_THAT(keys, ElementsAre("name", "description", "dir", "exit_code", "result", "change",
                                "scalars", "expectations", "error", "wall_s"));
  EXPECT_EQ(json["variants"][0]["result"], "fail");
  EXPECT_EQ(json["variants"][1]["result"], "pass");
  EXPECT_EQ(json["variants"][6]["result"], "error");
  EXPECT_EQ(json["variants"][0]["scalars"]["prefixes.anycast_lost"], 3.0);
  EXPECT_TRUE(json["variants"][6]["scalars"].is_object());
  EXPECT_TRUE(json["variants"][6]["scalars"].empty());
  EXPECT_TRUE(json["variants"][4]["expectations"][2]["value"].is_null());
  EXPECT_TRUE(comparison_json(Comparison{})["reference"].is_null());
}

void expect_same(const Comparison& a, const Comparison& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.topology, b.topology);
  EXPECT_EQ(a.script, b.script);
  EXPECT_EQ(a.started_at, b.started_at);
  ASSERT_EQ(a.variants.size(), b.variants.size());
  for (size_t i = 0; i < a.variants.size(); ++i) {
    const auto& x = a.variants[i];
    const auto& y = b.variants[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.description, y.description);
    EXPECT_EQ(x.dir, y.dir);
    EXPECT_EQ(x.exit_code, y.exit_code);
    EXPECT_EQ(x.change, y.change);
    EXPECT_EQ(x.scalars, y.scalars) << x.name;
    EXPECT_EQ(x.error, y.error);
    EXPECT_EQ(x.wall_s, y.wall_s);
    ASSERT_EQ(x.expectations.size(), y.expectations.size());
    for (size_t k = 0; k < x.expectations.size(); ++k) {
      const auto& e = x.expectations[k];
      const auto& f = y.expectations[k];
      EXPECT_EQ(e.text, f.text);
      EXPECT_EQ(e.where, f.where);
      EXPECT_EQ(e.metric, f.metric);
      EXPECT_EQ(e.op, f.op);
      EXPECT_EQ(e.threshold, f.threshold);
      EXPECT_EQ(e.value, f.value);
      EXPECT_EQ(e.passed, f.passed);
    }
  }
}

TEST(CompareJsonTest, RoundTrip) {
  Comparison c = sample_comparison();
  c.variants.push_back(errored());
  c.variants[2].scalars["dns.latency_p95_ms"] = 0.1 + 0.2;  // not exact in decimal
  Comparison back = comparison_from_json(written(c));
  expect_same(c, back);
  EXPECT_EQ(comparison_json(back).dump(), comparison_json(c).dump());
  EXPECT_EQ(comparison_text(back), comparison_text(c));
}

TEST(CompareJsonTest, NonFiniteScalarsAreLeftOut) {
  Comparison c = sample_comparison();
  c.variants[0].scalars["resolver.peak_ratio"] = std::numeric_limits<double>::infinity();
  c.variants[0].scalars["dns.outage_max_s"] = std::nan("");
  auto json = written(c);
  EXPECT_FALSE(json["variants"][0]["scalars"].contains("resolver.peak_ratio"));
  EXPECT_FALSE(json["variants"][0]["scalars"].contains("dns.outage_max_s"));
  EXPECT_NO_THROW(comparison_from_json(json));
  auto table = table_lines(comparison_text(c));
  EXPECT_EQ(texts(cells(table[1]))[5], "\u2013");
  EXPECT_EQ(texts(cells(table[1]))[7], "\u2013");
}

std::string read_error(const nlohmann::json& json) {
  try {
    comparison_from_json(json);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(CompareJsonTest, WrongSchemaOrVersionRejected) {
  auto json = written(sample_comparison());
  auto other = json;
  other["schema"] = "blastlab.report";
  EXPECT_EQ(read_error(other),
            "read compare.json: schema: expected \"blastlab.compare\", found \"blastlab.report\"");
  other = json;
  other["schema_version"] = 2;
  EXPECT_EQ(read_error(other),
            "read compare.json: schema_version: version 2 is not one this blastlab reads (1 to 1)");
  other["schema_version"] = 0;
  EXPECT_THAT(read_error(other), HasSubstr("schema_version: version 0"));
  other["schema_version"] = "1";
  EXPECT_EQ(read_error(other),
            "read compare.json: schema_version: expected an integer, found string");
  other = json;
  other.erase("schema");
  EXPECT_EQ(read_error(other), "read compare.json: schema: missing");
  EXPECT_EQ(read_error(nlohmann::json::array()),
            "read compare.json: (top level): expected an object, found array");
}

TEST(CompareJsonTest, BadFieldsAreNamed) {
  auto json = written(sample_comparison());
  auto other = json;
  other["variants"][2].erase("exit_code");
  EXPECT_EQ(read_error(other), "read compare.json: variants[2].exit_code: missing");
  other = json;
  other["variants"][1]["scalars"]["dns.success_ratio"] = nullptr;
  EXPECT_EQ(read_error(other),
            "read compare.json: variants[1].scalars.dns.success_ratio: "
            "expected a number, found null");
  other = json;
  other["variants"][0]["expectations"][1]["passed"] = "yes";
  EXPECT_EQ(read_error(other),
            "read compare.json: variants[0].expectations[1].passed: expected "
            "true or false, found string");
  other = json;
  other["variants"][0]["exit_code"] = 1ll << 40;
  EXPECT_THAT(read_error(other), HasSubstr("variants[0].exit_code: 1099511627776 is out of range"));
  // Keys it does not know are ignored: additions keep the version.
  other = json;
  other["generator"] = "blastlab 0.2";
  other["variants"][0]["junit"] = "baseline/junit.xml";
  EXPECT_EQ(read_error(other), "(no error)");
}

void collect_paths(const nlohmann::json& j, const std::string& path, std::set<std::string>& out) {
  if (!path.empty() && !path.ends_with("[]")) out.insert(path);
  if (j.is_object() && !path.ends_with(".scalars")) {  // scalar names are the runs', not ours
    for (const auto& [key, value] : j.items()) {
      collect_paths(value, path.empty() ? key : path + "." + key, out);
    }
  } else if (j.is_array() && !j.empty()) {
    collect_paths(j[0], path + "[]", out);
  }
}

TEST(CompareJsonTest, DocsDescribeEveryKey) {
  std::ifstream in(BLASTLAB_SOURCE_DIR "/docs/compare.md");
  ASSERT_TRUE(in) << "cannot open docs/compare.md";
  std::stringstream docs;
  docs << in.rdbuf();
  std::set<std::string> paths;
  collect_paths(written(sample_comparison()), "", paths);
  EXPECT_GT(paths.size(), 20u);
  for (const auto& path : paths) {
    EXPECT_THAT(docs.str(), HasSubstr("`" + path + "`"))
        << "docs/compare.md does not describe " << path;
  }
}

// ---- compare.html -------------------------------------------------------------------------

// The markup of the comparison table's row for one variant.
std::string row_of(const std::string& html, const std::string& name) {
  size_t table = html.find("<table class=\"compare\">");
  size_t at = html.find("data-variant=\"" + name + "\">", table);
  if (table == std::string::npos || at == std::string::npos) return "";
  size_t start = html.rfind("<tr", at);
  return html.substr(start, html.find("</tr>", at) - start);
}

TEST(CompareHtmlTest, WellFormedSelfContainedAndScriptFree) {
  Comparison c = sample_comparison();
  c.variants.push_back(errored());
  std::string html = comparison_html(c);
  EXPECT_EQ(xml_problem(html), "");
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_FALSE(std::regex_search(html, std::regex("\\son[a-z]+="))) << "an event handler";
  std::regex link("href=\"([^\"]*)\"");
  size_t links = 0;
  for (std::sregex_iterator it(html.begin(), html.end(), link), end; it != end; ++it, ++links) {
    std::string target = (*it)[1];
    EXPECT_EQ(target.find("://"), std::string::npos) << target;
    EXPECT_EQ(target.find(':'), std::string::npos) << target;
  }
  EXPECT_GT(links, 0u);
}

TEST(CompareHtmlTest, LinksToEachVariantsReport) {
  Comparison c = sample_comparison();
  c.variants.push_back(errored());
  c.variants[4].dir = "runs/keep last 2#x/";
  std::string html = comparison_html(c);
  for (const char* name : {"baseline", "audit-fixed", "fail-static", "degrade", "staged-halt"}) {
    EXPECT_THAT(row_of(html, name),
                HasSubstr(std::string("<a href=\"") + name + "/report.html\">" + name + "</a>"));
  }
  EXPECT_THAT(row_of(html, "keep-last-2"),
              HasSubstr("<a href=\"runs/keep%20last%202%23x/report.html\">keep-last-2</a>"));
  // The errored run wrote no report: its name is not a link, its error is in its row.
  EXPECT_THAT(row_of(html, "fast-timers"), Not(HasSubstr("<a ")));
  EXPECT_THAT(row_of(html, "fast-timers"),
              HasSubstr("error: lab did not converge: bgp bb1-bb2 not established after 60 s"));
  EXPECT_THAT(row_of(html, "fast-timers"), HasSubstr("<span class=\"error\">ERROR 3</span>"));
}

TEST(CompareHtmlTest, ReferenceRowIsFirstAndMarked) {
  std::string html = comparison_html(sample_comparison());
  EXPECT_EQ(count(html, "<tr class=\"reference\""), 1u);
  std::string reference = row_of(html, "baseline");
  EXPECT_EQ(reference.rfind("<tr class=\"reference\" data-variant=\"baseline\">", 0), 0u);
  EXPECT_THAT(reference, HasSubstr("<span class=\"ref-tag\">reference</span>"));
  size_t body = html.find("<tbody>", html.find("<table class=\"compare\">"));
  EXPECT_EQ(html.find("<tr", body), html.find("<tr class=\"reference\""));
  // The reference is what the others are judged against, not judged itself.
  EXPECT_THAT(reference, Not(HasSubstr("better")));
  EXPECT_THAT(reference, Not(HasSubstr("worse")));
  EXPECT_EQ(count(html, "<g class=\"bar reference\" data-variant=\"baseline\">"), 1u);
}

TEST(CompareHtmlTest, CellsColouredByDirectionAgainstTheReference) {
  std::string html = comparison_html(sample_comparison());
  // DNS success: higher is better.
  EXPECT_THAT(row_of(html, "audit-fixed"),
              HasSubstr("<td class=\"num m-dns better\" title=\"better than the reference "
                        "(baseline: 0.0%)\">100.0%</td>"));
  // Sites withdrawn, clients affected, the longest outage: lower is better.
  EXPECT_THAT(row_of(html, "audit-fixed"), HasSubstr("<td class=\"num m-sites better\""));
  EXPECT_THAT(row_of(html, "audit-fixed"), HasSubstr("<td class=\"num m-clients better\""));
  EXPECT_THAT(row_of(html, "keep-last-2"), HasSubstr("<td class=\"num m-sites better\""));
  // Same number of sites withdrawn as the reference.
  EXPECT_THAT(row_of(html, "degrade"),
              HasSubstr("<td class=\"num m-sites same\" title=\"the same as the reference "
                        "(baseline: 8/8)\">8/8</td>"));
  // Recovery: longer is worse, and incomplete is worse than any time.
  EXPECT_THAT(row_of(html, "degrade"), HasSubstr("<td class=\"num m-recovery worse\""));
  EXPECT_THAT(row_of(html, "fail-static"), HasSubstr("<td class=\"num m-recovery better\""));
  EXPECT_THAT(row_of(html, "keep-last-2"),
              HasSubstr("<td class=\"num m-recovery worse\" title=\"worse than the reference "
                        "(baseline: 9.4 s)\">incomplete</td>"));
  // Missing on either side: nothing to compare.
  EXPECT_THAT(row_of(html, "audit-fixed"), HasSubstr("<td class=\"num m-recovery missing\">"));
  EXPECT_THAT(row_of(html, "staged-halt"), HasSubstr("<td class=\"num m-load missing\">"));

  // The direction flips with the data, not with the row.
  Comparison c = sample_comparison();
  std::swap(c.variants[0], c.variants[1]);
  html = comparison_html(c);
  EXPECT_THAT(row_of(html, "baseline"), HasSubstr("<td class=\"num m-dns worse\""));
  EXPECT_THAT(row_of(html, "baseline"), HasSubstr("<td class=\"num m-sites worse\""));
  EXPECT_THAT(row_of(html, "baseline"), HasSubstr("<td class=\"num m-load worse\""));
}

TEST(CompareHtmlTest, DnsSuccessBarChart) {
  Comparison c = sample_comparison();
  c.variants.push_back(errored());
  std::string html = comparison_html(c);
  EXPECT_EQ(count(html, "<svg"), 1u);
  EXPECT_EQ(count(html, "<g class=\"bar"), 7u);
  EXPECT_THAT(html, HasSubstr("<g class=\"bar\" data-variant=\"audit-fixed\"><text x=\"170\""));
  EXPECT_THAT(html, HasSubstr("width=\"460.0\" height=\"16\" fill=\"#1a7f37\"><title>audit-fixed: "
                              "100.0% DNS success</title>"));
  EXPECT_THAT(html, HasSubstr("width=\"285.7\" height=\"16\" fill=\"#d4a72c\">"));  // 62.1%
  EXPECT_THAT(html, HasSubstr("width=\"0.0\" height=\"16\" fill=\"#cf222e\" stroke="));
  EXPECT_THAT(html, HasSubstr("fill=\"#8c959f\">\u2013 no DNS figure</text>"));
}

TEST(CompareHtmlTest, EscapesEverythingItWrites) {
  const std::string nasty = "x<&\"'>y";
  Comparison c = sample_comparison();
  c.name = nasty;
  c.description = nasty;
  c.topology = nasty;
  c.variants[0].name = nasty;
  c.variants[1].name = "b" + nasty;
  c.variants[1].description = nasty;
  c.variants[1].change = nasty;
  c.variants[1].dir = nasty;
  c.variants[2].error = nasty;
  c.variants[3].expectations[0].text = nasty;
  c.variants[3].expectations[0].where = nasty;
  std::string html = comparison_html(c);
  EXPECT_EQ(xml_problem(html), "");
  EXPECT_THAT(html, Not(HasSubstr(nasty)));
  EXPECT_THAT(html, HasSubstr("<title>blastlab compare: x&lt;&amp;&quot;&#39;&gt;y</title>"));
  EXPECT_THAT(html, HasSubstr("data-variant=\"x&lt;&amp;&quot;&#39;&gt;y\""));
  EXPECT_THAT(html, HasSubstr("<a href=\"x%3C%26%22%27%3Ey/report.html\">bx&lt;&amp;&quot;&#39;"
                              "&gt;y</a>"));
  EXPECT_THAT(html, HasSubstr("(x&lt;&amp;&quot;&#39;&gt;y: 0.0%)"));  // the reference in titles
}

// ---- write_comparison ---------------------------------------------------------------------

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(WriteComparisonTest, WritesTheThreeFiles) {
  TempDir tmp;
  std::string dir = tmp.path() + "/out/fb-2021-whatifs";
  Comparison c = sample_comparison();
  write_comparison(c, dir);
  EXPECT_EQ(slurp(dir + "/compare.txt"), comparison_text(c));
  EXPECT_EQ(slurp(dir + "/compare.html"), comparison_html(c));
  expect_same(comparison_from_json(nlohmann::json::parse(slurp(dir + "/compare.json"))), c);
  EXPECT_FALSE(std::filesystem::exists(dir + "/compare.json.tmp"));
}

TEST(WriteComparisonTest, UnwritableDirectoryIsNamed) {
  TempDir tmp;
  std::string file = tmp.path() + "/a-file";
  std::ofstream(file) << "x";
  try {
    write_comparison(sample_comparison(), file + "/sub");
    FAIL() << "expected an error for a directory under a file";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("create comparison directory " + file + "/sub"));
  }
}

TEST(FormatTest, FitLineCutsToTheWidthWithoutSplittingACharacter) {
  EXPECT_EQ(fit_line("short", 10), "short");
  EXPECT_EQ(fit_line("0123456789abc", 10), "0123456...");
  // "–" is one column of three bytes: never cut in its middle.
  EXPECT_EQ(fit_line("ab–cdefghijkl", 6), "ab...");
  EXPECT_EQ(fit_line("abc–defghijkl", 8), "abc–d...");
}

TEST(FormatTest, WrapTextFillsLinesAndKeepsParagraphs) {
  EXPECT_EQ(wrap_text("one two three four\nfive", 10, "  "),
            "  one two\n  three\n  four\n  five\n");
  EXPECT_EQ(wrap_text("a b\n\nc", 80), "a b\n\nc\n");
  EXPECT_EQ(wrap_text("averyveryverylongword x", 8), "averyveryverylongword\nx\n");
}

}  // namespace
}  // namespace blastlab::report
