// Validators for the structured fields of healthd's config (prefixes, targets, checks, dns,
// guard),
// each recording every problem it finds in the JsonReader and filling Config with what is
// valid. Internal to config.cpp; split out to keep each file to one screenful of logic.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "agents/healthd/config.hpp"
#include "agents/healthd/json_reader.hpp"

namespace blastlab::healthd {

// Letters, digits, '_', '-', '.': safe as one word of a vtysh command and as a path element.
bool is_name_word(const std::string& text);

void read_prefixes(JsonReader& r, const nlohmann::json& root, Config& config);
void read_targets(JsonReader& r, const nlohmann::json& root, Config& config);
void read_checks(JsonReader& r, const nlohmann::json& root, Config& config);
void read_dns(JsonReader& r, const nlohmann::json& root, Config& config);
// Optional; reads config.node first, so call it after `node` has been read.
void read_guard(JsonReader& r, const nlohmann::json& root, Config& config);

}  // namespace blastlab::healthd
