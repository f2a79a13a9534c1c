// The SVG timeline of report.html: one lane per site, per (vantage point, prefix) and per
// client target over seconds from the run's start, with a marker per step. Internal to
// report/; a separate file because the geometry is most of the page's code.
#pragma once

#include <string>

#include "controller/report/report.hpp"

namespace blastlab::report {

// An <svg> element (inline, no external references) with fixed pixel geometry. Lanes are
// <g class="lane lane-site" data-node=...>, <g class="lane lane-route" data-vantage=...
// data-prefix=...> and <g class="lane lane-client" data-client=... data-target=...>; step
// markers are <g class="step-marker ..." data-index=...>.
std::string svg_timeline(const Report& report);

}  // namespace blastlab::report
