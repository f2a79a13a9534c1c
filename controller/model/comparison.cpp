#include "controller/model/comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace blastlab::model {
namespace {

std::string trim(std::string_view text) {
  size_t first = text.find_first_not_of(' ');
  if (first == std::string_view::npos) return "";
  size_t last = text.find_last_not_of(' ');
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

const std::vector<std::string>& comparison_operators() {
  static const std::vector<std::string> kOperators = {">=", "<=", "==", "!=", ">", "<"};
  return kOperators;
}

std::optional<MetricComparison> split_comparison(const std::string& text,
                                                 const std::vector<std::string>& metrics,
                                                 std::string_view shape, std::string* error) {
  MetricComparison c;
  size_t pos = std::string::npos;
  for (const auto& op : comparison_operators()) {
    pos = text.find(op);
    if (pos != std::string::npos) {
      c.op = op;
      break;
    }
  }
  if (pos == std::string::npos) {
    *error = fmt::format("'{}': expected {} with OP one of {}, like `dns.success_ratio >= 0.99`",
                         text, shape, join_alternatives(comparison_operators()));
    return std::nullopt;
  }
  c.metric = trim(std::string_view(text).substr(0, pos));
  c.operand = trim(std::string_view(text).substr(pos + c.op.size()));
  if (std::find(metrics.begin(), metrics.end(), c.metric) == metrics.end()) {
    *error = fmt::format("unknown metric '{}'{}; metrics: {}", c.metric,
                         did_you_mean(c.metric, metrics), join_alternatives(metrics));
    return std::nullopt;
  }
  return c;
}

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value))
    return std::nullopt;
  return value;
}

bool compare(std::string_view op, double value, double limit) {
  if (op == ">=") return value >= limit;
  if (op == "<=") return value <= limit;
  if (op == ">") return value > limit;
  if (op == "<") return value < limit;
  if (op == "==") return value == limit;
  return value != limit;
}

std::optional<double> read_share(const Value& value, std::string_view what,
                                 Diagnostics& diagnostics) {
  auto text = read_string(value, diagnostics);
  if (!text) return std::nullopt;
  std::string_view t = *text;
  bool percent = t.ends_with("%");
  if (percent) t.remove_suffix(1);
  std::optional<double> share = parse_number(t);
  if (share && percent) *share /= 100;
  if (!share || *share <= 0 || *share > 1) {
    diagnostics.error(
        value.mark, value.field,
        fmt::format("expected {}, above 0 and at most 100%, like 50% or 0.5; got '{}'", what,
                    *text));
    return std::nullopt;
  }
  return share;
}

}  // namespace blastlab::model
