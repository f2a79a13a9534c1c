// Resolving a script's node selections against the topology. A term is a node name, a
// glob over names (`*`, `?`), `role:ROLE`, `tag:TAG`, `region:REGION` or `all`; a selection
// is the union of its terms, in the topology's node order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/model/topology.hpp"

namespace blastlab::scenario {

// The nodes one term selects, in topology order. An error (unknown role, a name that is
// not a node, a glob matching nothing) is written to *error and nullopt returned.
std::optional<std::vector<std::string>> resolve_term(const model::Topology& topology,
                                                     std::string_view term, std::string* error);

bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace blastlab::scenario
