// compare.html: the comparison for people, in one self-contained file like report.html
// (inline CSS and SVG, no script, nothing fetched; XHTML-compatible markup, every piece of
// text escaped). The table's cells are coloured by how they compare with the reference row,
// in the direction compare_columns.cpp gives each metric; each variant's name links to its
// own report.html by the relative dir, so the comparison's folder can be moved whole.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "controller/report/compare.hpp"
#include "controller/report/compare_columns.hpp"
#include "controller/report/format.hpp"

namespace blastlab::report {

namespace {

constexpr const char* kStyle = R"(
body { font-family: system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1f2328;
       background: #fff; margin: 20px 24px; font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 4px 0; }
h2 { font-size: 16px; margin: 22px 0 8px 0; padding-bottom: 4px;
     border-bottom: 1px solid #d0d7de; }
.sub { color: #57606a; margin-bottom: 6px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 5px 10px; border-bottom: 1px solid #eaeef2; text-align: left;
         vertical-align: top; }
thead th { background: #f6f8fa; border-bottom: 1px solid #d0d7de; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { text-align: right; }
table.compare th { max-width: 7em; }
td.result, td.name { white-space: nowrap; }
td.change { min-width: 11em; max-width: 24em; }
tr.reference td { font-weight: 700; background: #f6f8fa; border-top: 2px solid #57606a;
                  border-bottom: 2px solid #57606a; }
.ref-tag { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 8px;
           background: #57606a; color: #fff; font-size: 11px; font-weight: 600; }
td.better { background: #dafbe1; color: #116329; }
td.worse { background: #ffebe9; color: #a40e26; }
td.same { color: #57606a; }
td.missing { color: #8c959f; }
.pass { color: #1a7f37; font-weight: 700; } .fail { color: #cf222e; font-weight: 700; }
.error, .incomplete { color: #9a6700; font-weight: 700; } .muted { color: #57606a; }
.err { color: #cf222e; font-weight: 400; margin-top: 2px; }
.swatch { display: inline-block; width: 12px; height: 12px; vertical-align: middle;
          border: 1px solid #d0d7de; margin-right: 4px; }
.swatch.better { background: #dafbe1; } .swatch.worse { background: #ffebe9; }
.swatch.same { background: #fff; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; }
svg.chart { max-width: 100%; height: auto; display: block; }
footer { margin-top: 28px; color: #57606a; font-size: 12px; }
)";

std::string esc(const std::string& s) {
  return xml_escape(s);
}

// A relative link to a variant's file: every byte that is not plainly part of a path is
// percent-encoded, so a space, a '#' or a "javascript:"-like first segment stays a path.
std::string href(const std::string& dir, const std::string& file) {
  std::string path = dir;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  path = path.empty() ? file : path + "/" + file;
  std::string out;
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    bool plain = std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    out += plain ? std::string(1, c) : fmt::format("%{:02X}", u);
  }
  return out;
}

const char* verdict_class(Judgement v) {
  switch (v) {
    case Judgement::kBetter:
      return "better";
    case Judgement::kWorse:
      return "worse";
    case Judgement::kSame:
      return "same";
    case Judgement::kNone:
      break;
  }
  return "";
}

std::string header(const Comparison& comparison) {
  size_t pass = 0;
  for (const auto& v : comparison.variants)
    pass += variant_result(v) == VariantOutcome::kPass ? 1 : 0;
  std::string out = "<h1>" + esc("blastlab compare: " + comparison.name) + "</h1>\n";
  if (!comparison.description.empty()) {
    out += "<div class=\"sub\">" + esc(comparison.description) + "</div>\n";
  }
  out += "<div class=\"sub\">" +
         esc(fmt::format("topology {} \u00b7 script {} \u00b7 started {} \u00b7 {} variants, {} "
                         "pass",
                         comparison.topology, comparison.script,
                         comparison.started_at.empty() ? "-" : comparison.started_at,
                         comparison.variants.size(), pass)) +
         "</div>\n";
  return out;
}

std::string name_cell(const VariantResult& v, bool reference) {
  std::string name = esc(v.name);
  if (has_report(v))
    name = "<a href=" + quoted_attr(href(v.dir, "report.html")) + ">" + name + "</a>";
  if (reference) name += "<span class=\"ref-tag\">reference</span>";
  return "<td class=\"name\">" + name + "</td>";
}

std::string metric_cell(const MetricColumn& column, const MetricCell& cell, Judgement verdict,
                        const VariantResult& reference, const MetricCell& reference_cell) {
  std::string classes = std::string("num m-") + column.key;
  if (!cell.value) classes += " missing";
  std::string title;
  if (verdict != Judgement::kNone) {
    classes += std::string(" ") + verdict_class(verdict);
    std::string how =
        verdict == Judgement::kSame ? "the same as" : std::string(verdict_class(verdict)) + " than";
    title = fmt::format(" title={}", quoted_attr(how + " the reference (" + reference.name + ": " +
                                                 reference_cell.text + ")"));
  }
  return "<td class=" + quoted_attr(classes) + title + ">" + esc(cell.text) + "</td>";
}

std::string comparison_table(const Comparison& comparison) {
  const auto columns = shown_columns(comparison);
  ComparisonTotals totals = comparison_totals(comparison);
  const VariantResult& reference = comparison.variants.front();
  std::vector<MetricCell> reference_cells;
  for (const auto& c : columns) reference_cells.push_back(c.cell(reference, totals));

  std::string out = "<table class=\"compare\"><thead><tr><th>variant</th>";
  for (const auto& c : columns) {
    out += "<th class=\"num\" title=" + quoted_attr(c.metrics) + ">" + esc(c.title) + "</th>";
  }
  out += "<th>result</th><th>change</th></tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < comparison.variants.size(); ++i) {
    const auto& v = comparison.variants[i];
    bool is_reference = i == 0;
    out += std::string(is_reference ? "<tr class=\"reference\"" : "<tr") +
           " data-variant=" + quoted_attr(v.name) + ">";
    out += name_cell(v, is_reference);
    for (size_t c = 0; c < columns.size(); ++c) {
      MetricCell cell = columns[c].cell(v, totals);
      Judgement verdict =
          is_reference ? Judgement::kNone : judge(cell, reference_cells[c], columns[c].better);
      out += metric_cell(columns[c], cell, verdict, reference, reference_cells[c]);
    }
    Outcome result = outcome(v);
    out += "<td class=\"result\"><span class=" + quoted_attr(std::string(to_string(result.kind))) +
           ">" + esc(result.text) + "</span></td>";
    out += "<td class=\"change\">" + esc(v.change.empty() ? kMissing : v.change);
    if (!v.error.empty()) out += "<div class=\"err\">" + esc("error: " + v.error) + "</div>";
    out += "</td></tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string legend(const Comparison& comparison) {
  std::string out =
      "<table class=\"legend\"><thead><tr><th>column</th><th>what it shows</th>"
      "<th>metric</th><th>better when</th></tr></thead>\n<tbody>\n";
  for (const auto& c : shown_columns(comparison)) {
    out += "<tr><td>" + esc(c.title) + "</td><td>" + esc(c.meaning) + "</td><td><code>" +
           esc(c.metrics) + "</code></td><td>" +
           (c.better == Better::kHigher ? "higher" : "lower") + "</td></tr>\n";
  }
  out += "<tr><td>result</td><td>" + esc(kOutcomeMeaning) + "</td><td></td><td></td></tr>\n";
  out += "<tr><td>change</td><td>" + esc(kChangeMeaning) + "</td><td></td><td></td></tr>\n";
  out += "<tr><td>" + esc(kMissing) + "</td><td>" + esc(kMissingMeaning) +
         "</td><td></td><td></td></tr>\n";
  out += "</tbody></table>\n";
  out +=
      "<p class=\"muted\">Each figure is compared with the reference row: <span class=\"swatch "
      "better\"></span>better, <span class=\"swatch worse\"></span>worse, <span class=\"swatch "
      "same\"></span>the same as shown. Hover a cell for the reference's value.</p>\n";
  return out;
}

// The DNS success of each variant as a horizontal bar on a 0–100% axis; absolute colours
// (green from 99%, amber from 50%, red below), since the table already judges relatively.
std::string dns_chart(const Comparison& comparison) {
  constexpr int kLabelRight = 170, kBarX = 180, kBarWidth = 460, kRow = 26, kBar = 16, kTop = 26,
                kWidth = 760;
  constexpr size_t kLabelMax = 24;
  const MetricColumn& column = metric_columns().front();  // DNS success
  ComparisonTotals totals = comparison_totals(comparison);
  int height = kTop + static_cast<int>(comparison.variants.size()) * kRow + 6;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"DNS success per variant\" "
      "font-size=\"12\" font-family=\"system-ui, DejaVu Sans, sans-serif\">\n",
      kWidth, height);
  for (int pct = 0; pct <= 100; pct += 25) {
    int x = kBarX + kBarWidth * pct / 100;
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#d0d7de\"/>"
        "<text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\" fill=\"#57606a\">{4}%</text>\n",
        x, kTop - 6, height - 4, kTop - 10, pct);
  }
  for (size_t i = 0; i < comparison.variants.size(); ++i) {
    const auto& v = comparison.variants[i];
    bool is_reference = i == 0;
    MetricCell cell = column.cell(v, totals);
    int y = kTop + static_cast<int>(i) * kRow;
    int text_y = y + kRow / 2 + 4;
    out += "<g class=" + quoted_attr(is_reference ? "bar reference" : "bar") +
           " data-variant=" + quoted_attr(v.name) + ">";
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\"{}>", kLabelRight, text_y,
                       is_reference ? " font-weight=\"700\"" : "") +
           esc(clip(one_line(v.name), kLabelMax)) + "<title>" + esc(v.name) + "</title></text>";
    if (cell.value) {
      double ratio = std::clamp(*cell.value, 0.0, 1.0);
      const char* fill = ratio >= 0.99 ? "#1a7f37" : ratio >= 0.5 ? "#d4a72c" : "#cf222e";
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"{}>",
                         kBarX, y + (kRow - kBar) / 2, kBarWidth * ratio, kBar, fill,
                         is_reference ? " stroke=\"#1f2328\" stroke-width=\"1.5\"" : "") +
             "<title>" + esc(v.name + ": " + cell.text + " DNS success") + "</title></rect>";
      out += fmt::format("<text x=\"{}\" y=\"{}\">", kBarX + kBarWidth + 8, text_y) +
             esc(cell.text) + "</text>";
    } else {
      out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#8c959f\">", kBarX + 4, text_y) +
             esc(std::string(kMissing) + " no DNS figure") + "</text>";
    }
    out += "</g>\n";
  }
  return out + "</svg>\n";
}

std::string variants_table(const Comparison& comparison) {
  std::string out =
      "<table class=\"variants\"><thead><tr><th>variant</th><th>description</th><th>run</th>"
      "<th class=\"num\">exit</th><th class=\"num\">wall time</th><th>failed expectations / "
      "error</th></tr></thead>\n<tbody>\n";
  for (const auto& v : comparison.variants) {
    std::string run = "<code>" + esc(v.dir) + "</code>";
    if (has_report(v)) {
      run = "<a href=" + quoted_attr(href(v.dir, "report.html")) + ">" + run +
            "</a> <span class=\"muted\">(<a href=" + quoted_attr(href(v.dir, "report.json")) +
            ">json</a>)</span>";
    }
    std::string problems;
    auto add = [&problems](const std::string& markup) {
      problems += (problems.empty() ? "" : "<br/>") + markup;
    };
    if (!v.error.empty()) add("<span class=\"fail\">" + esc("error: " + v.error) + "</span>");
    for (const auto& e : v.expectations) {
      if (e.passed) continue;
      add("<code>" + esc(e.text) + "</code> " +
          esc(e.value ? "value " + number(*e.value) : "no value") +
          (e.where.empty() ? "" : " <span class=\"muted\">" + esc(e.where) + "</span>"));
    }
    out += "<tr><td>" + esc(v.name) + "</td><td>" + esc(v.description) + "</td><td>" + run +
           "</td><td class=\"num\">" + std::to_string(v.exit_code) + "</td><td class=\"num\">" +
           esc(seconds(v.wall_s)) + "</td><td>" + problems + "</td></tr>\n";
  }
  return out + "</tbody></table>\n";
}

}  // namespace

std::string comparison_html(const Comparison& comparison) {
  std::string title = "blastlab compare: " + comparison.name;
  std::string out =
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n";
  out +=
      "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\"/>\n";
  out += "<title>" + esc(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += header(comparison);
  if (comparison.variants.empty()) {
    out += "<p class=\"muted\">No variants.</p>\n";
  } else {
    out += "<section id=\"table\">\n" + comparison_table(comparison) + "</section>\n";
    out += "<section id=\"legend\"><h2>Columns</h2>\n" + legend(comparison) + "</section>\n";
    out += "<section id=\"chart\"><h2>DNS success through the resolvers</h2>\n" +
           dns_chart(comparison) + "</section>\n";
    out += "<section id=\"variants\"><h2>Variants</h2>\n" + variants_table(comparison) +
           "</section>\n";
  }
  out += "<footer>" +
         esc(fmt::format("comparison schema blastlab.compare v{} \u00b7 the first variant is the "
                         "reference \u00b7 each variant's full report is in its own directory",
                         kCompareSchemaVersion)) +
         "</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace blastlab::report
