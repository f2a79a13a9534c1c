// What the configured timers predict for a measured delay. Header-only, like StepState: the
// report reads and writes it without linking the metrics.
#pragma once

#include <optional>
#include <string_view>

#include "controller/measure/enum_words.hpp"

namespace blastlab::measure {

// That the delay falls in a range of seconds (kRange), that it does not happen at all, the
// prefix or site being kept (kKept), or nothing, because it depends on the change rather
// than on timers (kNone).
enum class Prediction { kNone, kRange, kKept };

// The words of report.json's `prediction`.
inline constexpr EnumWords<Prediction, 3> kPredictionNames{{
    {Prediction::kNone, "none"},
    {Prediction::kRange, "range"},
    {Prediction::kKept, "kept"},
}};

inline std::string_view to_string(Prediction prediction) {
  return word_of(kPredictionNames, prediction);
}

inline std::optional<Prediction> prediction_from_string(std::string_view text) {
  return value_of(kPredictionNames, text);
}

}  // namespace blastlab::measure
