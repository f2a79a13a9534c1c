// The limit an invariant sets: its number, or, for a relative invariant, the baseline's value
// scaled and shifted as written. A relative invariant has no limit until the baseline has a
// value of its metric; the judgement then fails rather than guessing one.
#include "controller/gate/gate.hpp"

#include "controller/model/comparison.hpp"

namespace blastlab::gate {

std::optional<double> Invariant::limit(std::optional<double> baseline) const {
  if (!relative) return value;
  if (!baseline) return std::nullopt;
  return *baseline * factor + value;
}

bool Invariant::holds(double measured, double limit) const {
  return model::compare(op, measured, limit);
}

}  // namespace blastlab::gate
