// Formatting shared by the report's renderers, so the terminal, the HTML page and the JUnit
// file write the same figure the same way ("2.54 s", "2.0–3.5 s", "62.1%") and escape
// markup in one place. Internal to report/ and the gate's outputs (gate/outputs.cpp), which
// write the same figures the same way: not part of report's public header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/measure/metrics.hpp"

namespace blastlab::report {

// Text and attribute values for XML and HTML: & < > " ' escaped, and the control
// characters XML 1.0 forbids replaced by U+FFFD, so a node name never breaks the markup.
std::string xml_escape(std::string_view text);
// An attribute value, escaped and in double quotes: "\"dns1\"".
std::string quoted_attr(std::string_view value);

// Seconds with a precision that suits their size: "0.012 s", "2.54 s", "42.3 s", "312 s".
std::string seconds(double s);
// The number alone, as seconds() writes it: "2.54".
std::string seconds_number(double s);
// A predicted range: "2.0–3.5 s".
std::string seconds_range(double low, double high);
// A fraction in [0, 1] as a percentage: "100%", "62.1%", "0%".
std::string percent(double fraction);
// The same, or an em dash when nothing was measured.
std::string percent(const std::optional<double>& fraction);
// A count out of a total with its percentage: "2/2 (100%)".
std::string count_of(int count, int total);
// Shortest text that reads back as the same double: "0.621", "2", "1e-05".
std::string number(double value);
// Milliseconds: "1.24 ms", "312 ms".
std::string milliseconds(double ms);
// A window of the run: "5.90–29.40 s", or "5.90 s–end (open)" while it was still open.
std::string window_text(const measure::Window& window);
// Microseconds since the epoch as UTC: "2024-05-01 12:00:03 UTC", or ISO 8601
// "2024-05-01T12:00:03Z" when iso is set.
std::string utc_time(int64_t ts_us, bool iso = false);
// The script's name without folders or extension: "scripts/fb-2021.yaml" -> "fb-2021".
std::string script_name(const std::string& path);

// "predicted 2.0–3.5 s", "predicted: kept", or "" when there is no prediction.
std::string prediction_text(const measure::Delay& delay);
// "2.54 s (predicted 2.0–3.5 s)", "2.54 s", or "—" when nothing was measured.
std::string delay_text(const measure::Delay& delay);

// The steps the delays are anchored to, as docs/events.md defines them: the change is the
// first step that is neither a wait nor a rollback; the rollback is the first rollback.
struct Anchors {
  std::optional<size_t> change_step;
  std::optional<size_t> rollback_step;
};
Anchors find_anchors(const std::vector<measure::StepRecord>& steps);

// Columns printed by the terminal report use display width, not bytes: "–" and "✔" are
// one column each but three bytes.
size_t display_width(std::string_view text);
// The line cut to `width` display columns, ending in "..." when it was longer (never in
// the middle of a UTF-8 sequence).
std::string fit_line(const std::string& line, size_t width);
// The text's words filled into lines of at most `width` columns (a longer word keeps its
// own line), each line starting with `indent`; a blank line between paragraphs is kept.
std::string wrap_text(const std::string& text, size_t width, const std::string& indent = "");

}  // namespace blastlab::report
