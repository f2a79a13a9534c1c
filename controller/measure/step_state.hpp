// The states a change script's step goes through, shared by the executor that drives the
// steps, the metrics that read them back from the timeline and the report that shows them.
// Their words are the `state` field of the controller's `step` events (docs/events.md).
// Inline: report/ reads them without linking measure.
#pragma once

#include <optional>
#include <string_view>

#include "controller/measure/enum_words.hpp"

namespace blastlab::measure {

enum class StepState {
  kRunning,      // started, not ended when the run did ("start" on the timeline)
  kDone,         //
  kFailed,       //
  kRefused,      // an audit refused its change
  kHalted,       // a gate's limit was crossed: the rollout stops
  kSkipped,      // never run: an earlier step failed, refused or halted, or Ctrl-C came
  kInterrupted,  // the executor's own: Ctrl-C ended it ("failed" on the timeline)
};

inline constexpr EnumWords<StepState, 7> kStepStateNames = {{
    {StepState::kRunning, "start"},
    {StepState::kDone, "done"},
    {StepState::kFailed, "failed"},
    {StepState::kRefused, "refused"},
    {StepState::kHalted, "halted"},
    {StepState::kSkipped, "skipped"},
    {StepState::kInterrupted, "interrupted"},
}};

inline std::string_view to_string(StepState state) {
  return word_of(kStepStateNames, state);
}

inline std::optional<StepState> step_state_from_string(std::string_view text) {
  return value_of(kStepStateNames, text);
}

}  // namespace blastlab::measure
