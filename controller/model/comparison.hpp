// A metric compared with a limit, as a change script's `expect` lines and gates and a gate
// policy's `invariants` write it: `METRIC OP ...`. One reading of the operator, the metric
// name and the numbers for both files, so that `dns.success_ratio >= 0.99` means the same
// wherever it is written, and one comparison of a value with its limit. The metric names are
// passed in: the model knows no metrics, the script and the policy each allow their own.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/model/yaml_reader.hpp"

namespace blastlab::model {

// >=, <=, ==, !=, >, <: the two-character ones first, so that `>=` is not read as `>`.
const std::vector<std::string>& comparison_operators();

struct MetricComparison {
  std::string metric;
  std::string op;
  std::string operand;  // what follows the operator, without surrounding spaces
};

// Splits `text` at its operator and checks the metric against `metrics`; nullopt with
// *error saying what is wrong. `shape` names the syntax in the error ("`METRIC OP NUMBER`").
std::optional<MetricComparison> split_comparison(const std::string& text,
                                                 const std::vector<std::string>& metrics,
                                                 std::string_view shape, std::string* error);

// The whole text as a finite number ("0.99", "-1", "2e-3"); nullopt for anything else, the
// empty text included.
std::optional<double> parse_number(std::string_view text);

// Whether `value OP limit` holds, OP one of comparison_operators().
bool compare(std::string_view op, double value, double limit);

// A share in (0, 1], written as a percentage ("50%") or a fraction ("0.5"), like an audit's
// max-cut; `what` says what the share is of, for the error ("the largest share of backbone
// links a change may cut").
std::optional<double> read_share(const Value& value, std::string_view what,
                                 Diagnostics& diagnostics);

}  // namespace blastlab::model
