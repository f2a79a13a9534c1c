// compare.txt: the comparison as `blastlab compare` prints it at the end. One row per
// variant, the reference first and marked `*`, figures right-aligned under abbreviated
// headers so the table fits 100 columns; a legend under it names the metric behind every
// column, so the abbreviations never have to be guessed. Long names are clipped in the
// table (the variant list below repeats them whole) and a long change wraps in its column.
#include <fmt/format.h>

#include <algorithm>

#include "controller/report/compare.hpp"
#include "controller/report/compare_columns.hpp"
#include "controller/report/format.hpp"

namespace blastlab::report {

namespace {

constexpr size_t kWidth = 100;      // the terminal width the table is made for
constexpr size_t kNameMax = 16;     // a longer variant name is clipped in the table
constexpr size_t kCellMax = 12;     // a longer figure is clipped (only absurd values are)
constexpr size_t kChangeMin = 12;   // the change column is never narrower than this
constexpr const char* kGap = "  ";  // between columns
constexpr const char* kIndent = "  ";

std::string pad_right(const std::string& text, size_t width) {
  size_t w = display_width(text);
  return w >= width ? text : text + std::string(width - w, ' ');
}

std::string pad_left(const std::string& text, size_t width) {
  size_t w = display_width(text);
  return w >= width ? text : std::string(width - w, ' ') + text;
}

// Wrapped text, the first line after `first` and the rest indented by `indent` spaces.
void add_wrapped(std::string& out, const std::string& first, size_t indent,
                 const std::string& text) {
  size_t width = kWidth > indent ? kWidth - indent : 1;
  auto lines = wrap_words(one_line(text), width);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string line = (i == 0 ? pad_right(first, indent) : std::string(indent, ' ')) + lines[i];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
}

// The table's text, column by column: the cells of every row, then laid out.
struct TextTable {
  std::vector<std::string> headers;
  std::vector<bool> right;                     // right-aligned (figures)
  std::vector<std::vector<std::string>> rows;  // without the marker
  std::vector<bool> reference;                 // marked '*'
};

TextTable build_table(const Comparison& comparison) {
  const auto columns = shown_columns(comparison);
  ComparisonTotals totals = comparison_totals(comparison);
  TextTable table;
  table.headers.push_back("variant");
  table.right.push_back(false);
  for (const auto& c : columns) {
    table.headers.push_back(c.header);
    table.right.push_back(true);
  }
  table.headers.insert(table.headers.end(), {"result", "change"});
  table.right.insert(table.right.end(), {false, false});
  for (size_t i = 0; i < comparison.variants.size(); ++i) {
    const auto& v = comparison.variants[i];
    std::vector<std::string> row{clip(one_line(v.name), kNameMax)};
    for (const auto& c : columns) row.push_back(clip(c.cell(v, totals).text, kCellMax));
    row.push_back(outcome(v).text);
    row.push_back(one_line(v.change.empty() ? kMissing : v.change));
    table.rows.push_back(std::move(row));
    table.reference.push_back(i == 0);
  }
  return table;
}

void render_table(std::string& out, const TextTable& table) {
  size_t n = table.headers.size();
  std::vector<size_t> widths(n, 0);
  for (size_t i = 0; i + 1 < n; ++i) {
    widths[i] = display_width(table.headers[i]);
    for (const auto& row : table.rows) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  size_t start = display_width(kIndent);
  for (size_t i = 0; i + 1 < n; ++i) start += widths[i] + display_width(kGap);
  size_t change_width = kWidth > start + kChangeMin ? kWidth - start : kChangeMin;

  auto line = [&](const std::vector<std::string>& cells, bool marked) {
    std::vector<std::string> last = wrap_words(cells[n - 1], change_width);
    std::string text = marked ? "* " : kIndent;
    for (size_t i = 0; i + 1 < n; ++i) {
      text += (table.right[i] ? pad_left(cells[i], widths[i]) : pad_right(cells[i], widths[i]));
      text += kGap;
    }
    for (size_t k = 0; k < last.size(); ++k) {
      std::string l = (k == 0 ? text : std::string(start, ' ')) + last[k];
      while (!l.empty() && l.back() == ' ') l.pop_back();
      out += l + "\n";
    }
  };
  line(table.headers, false);
  for (size_t r = 0; r < table.rows.size(); ++r) line(table.rows[r], table.reference[r]);
}

void legend(std::string& out, const Comparison& comparison) {
  constexpr size_t kKey = 11;  // "  " + the longest header and a gap
  add_wrapped(out, "  *", kKey,
              "the reference: the first variant, the one the others are compared with");
  for (const auto& c : shown_columns(comparison)) {
    add_wrapped(out, std::string(kIndent) + c.header, kKey,
                std::string(c.meaning) + " (" + c.metrics + ")");
  }
  add_wrapped(out, "  result", kKey, kOutcomeMeaning);
  add_wrapped(out, "  change", kKey, kChangeMeaning);
  add_wrapped(out, std::string(kIndent) + kMissing, kKey, kMissingMeaning);
}

std::string expectation_line(const ExpectationResult& e) {
  std::string text =
      "failed: " + e.text + " (" + (e.value ? "value " + number(*e.value) : "no value");
  return text + (e.where.empty() ? ")" : ", " + e.where + ")");
}

void variant_list(std::string& out, const Comparison& comparison) {
  size_t name_width = 0;
  for (const auto& v : comparison.variants) {
    name_width = std::max(name_width, std::min(display_width(one_line(v.name)), kNameMax));
  }
  size_t indent = display_width(kIndent) + name_width + display_width(kGap);
  for (size_t i = 0; i < comparison.variants.size(); ++i) {
    const auto& v = comparison.variants[i];
    std::string name = (i == 0 ? "* " : kIndent) + one_line(v.name);
    std::vector<std::string> details;
    if (!v.description.empty()) details.push_back(v.description);
    std::string run = fmt::format("exit {}, {} s", v.exit_code, seconds_number(v.wall_s));
    if (!v.dir.empty()) {
      run = (has_report(v) ? "report " + v.dir + "/report.txt" : "dir " + v.dir) + ", " + run;
    }
    details.push_back(run);
    if (!v.error.empty()) details.push_back("error: " + v.error);
    for (const auto& e : v.expectations) {
      if (!e.passed) details.push_back(expectation_line(e));
    }
    bool fits = display_width(name) + display_width(kGap) <= indent;
    if (!fits) out += name + "\n";
    for (size_t k = 0; k < details.size(); ++k) {
      add_wrapped(out, k == 0 && fits ? name : "", indent, details[k]);
    }
  }
}

}  // namespace

std::string comparison_text(const Comparison& comparison) {
  std::string out;
  out += "blastlab compare  " + one_line(comparison.name) + "\n";
  size_t pass = 0, fail = 0, incomplete = 0, error = 0;
  for (const auto& v : comparison.variants) {
    switch (variant_result(v)) {
      case VariantOutcome::kPass:
        ++pass;
        break;
      case VariantOutcome::kFail:
        ++fail;
        break;
      case VariantOutcome::kIncomplete:
        ++incomplete;
        break;
      case VariantOutcome::kError:
        ++error;
        break;
    }
  }
  add_wrapped(
      out, "", 2,
      fmt::format("topology {}, script {}, started {}", comparison.topology, comparison.script,
                  comparison.started_at.empty() ? "-" : comparison.started_at));
  add_wrapped(out, "", 2,
              fmt::format("{} variant{}: {} pass, {} fail, {}{} error{}",
                          comparison.variants.size(), comparison.variants.size() == 1 ? "" : "s",
                          pass, fail, incomplete ? fmt::format("{} incomplete, ", incomplete) : "",
                          error, error == 1 ? "" : "s"));
  if (!comparison.description.empty()) add_wrapped(out, "", 2, comparison.description);
  out += "\n";
  if (comparison.variants.empty()) {
    out += "  no variants\n";
    return out;
  }
  render_table(out, build_table(comparison));
  out += "\n";
  legend(out, comparison);
  out += "\nvariants\n";
  variant_list(out, comparison);
  return out;
}

}  // namespace blastlab::report
