// Drawing the timeline: positions are computed here, in pixels of a fixed-width viewBox,
// because the page has no script to lay anything out. Text widths are estimated (a
// character is about 0.6 em) to keep step labels from overlapping; every coloured segment
// carries a <title>, so hovering in a browser gives its exact times without JavaScript.
#include "controller/report/svg_timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "controller/report/format.hpp"

namespace blastlab::report {

namespace {

constexpr double kWidth = 1340;
constexpr double kLabelRight = 222;  // lane labels end here, right-aligned
constexpr double kPlotLeft = 232;
constexpr double kPlotRight = kWidth - 28;  // room for the last tick label
constexpr double kLaneHeight = 22;
constexpr double kBarHeight = 14;
constexpr double kGroupHeight = 26;
constexpr double kStepRowHeight = 17;
constexpr double kCharWidth = 6.9;     // 12 px sans-serif, estimated
constexpr size_t kMaxLabelChars = 32;  // longer lane labels are cut, the full one in <title>

// Colours from GitHub's Primer palette, familiar from CI pages. Nothing depends on telling
// red from green alone: every segment has a <title>, and the legend and the tables below
// the timeline say the same in words.
constexpr const char* kGreen = "#2da44e";
constexpr const char* kRed = "#cf222e";
constexpr const char* kAmber = "#d4a72c";
constexpr const char* kGrey = "#d0d7de";
constexpr const char* kOutage = "#6e0a1e";
constexpr const char* kChange = "#8250df";
constexpr const char* kRollback = "#0969da";
constexpr const char* kOtherStep = "#57606a";

std::string px(double v) {
  return fmt::format("{:.1f}", v);
}

class Svg {
 public:
  explicit Svg(double duration_s) : duration_(duration_s > 0 ? duration_s : 1) {}

  double x(double t) const {
    double clamped = std::clamp(t, 0.0, duration_);
    return kPlotLeft + clamped / duration_ * (kPlotRight - kPlotLeft);
  }
  double duration() const { return duration_; }

  void rect(double x0, double y, double x1, double h, const std::string& fill,
            const std::string& css_class, const std::string& title) {
    out_ += fmt::format(R"(<rect class="{}" x="{}" y="{}" width="{}" height="{}" fill="{}">)",
                        css_class, px(x0), px(y), px(std::max(x1 - x0, 0.6)), px(h), fill);
    out_ += "<title>" + xml_escape(title) + "</title></rect>\n";
  }
  void text(double x0, double y, const std::string& content, const std::string& attributes) {
    out_ += fmt::format(R"(<text x="{}" y="{}" {}>)", px(x0), px(y), attributes) +
            xml_escape(content) + "</text>\n";
  }
  void line(double x0, double y0, double x1, double y1, const std::string& attributes) {
    out_ += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" {}/>)", px(x0), px(y0), px(x1),
                        px(y1), attributes) +
            "\n";
  }
  void raw(const std::string& markup) { out_ += markup; }
  const std::string& str() const { return out_; }

 private:
  double duration_;
  std::string out_;
};

std::string rate_colour(double rate) {
  if (rate < 0) return kGrey;
  struct Rgb {
    double r, g, b;
  };
  constexpr Rgb red{207, 34, 46}, amber{212, 167, 44}, green{45, 164, 78};
  auto lerp = [](Rgb a, Rgb b, double f) {
    return Rgb{a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f};
  };
  Rgb c = rate < 0.5 ? lerp(red, amber, rate / 0.5) : lerp(amber, green, (rate - 0.5) / 0.5);
  return fmt::format("#{:02x}{:02x}{:02x}", static_cast<int>(std::lround(c.r)),
                     static_cast<int>(std::lround(c.g)), static_cast<int>(std::lround(c.b)));
}

std::string cut_label(const std::string& label) {
  if (label.size() <= kMaxLabelChars) return label;
  return label.substr(0, kMaxLabelChars - 1) + "\u2026";
}

double window_end(const measure::Window& w, double duration) {
  return w.end_s.value_or(duration);
}

// One lane: its group element, zebra background, label and the bar's vertical position.
class Lane {
 public:
  Lane(Svg& svg, double y, size_t n, const std::string& attributes, const std::string& label)
      : svg_(svg), y_(y) {
    svg.raw("<g " + attributes + ">\n");
    if (n % 2 == 1) {
      svg.raw(fmt::format(
                  R"(<rect class="lane-bg" x="0" y="{}" width="{}" height="{}" fill="#f6f8fa"/>)",
                  px(y), px(kPlotRight + 6), px(kLaneHeight)) +
              "\n");
    }
    svg.raw(fmt::format(R"(<text class="lane-label" x="{}" y="{}" text-anchor="end">)",
                        px(kLabelRight), px(y + kLaneHeight / 2 + 4)) +
            xml_escape(cut_label(label)) + "<title>" + xml_escape(label) + "</title></text>\n");
  }
  ~Lane() { svg_.raw("</g>\n"); }
  Lane(const Lane&) = delete;
  Lane& operator=(const Lane&) = delete;

  double bar_top() const { return y_ + (kLaneHeight - kBarHeight) / 2; }

 private:
  Svg& svg_;
  double y_;
};

void group_heading(Svg& svg, double y, const std::string& heading) {
  svg.text(8, y + 17, heading, R"(class="group-label" font-weight="700" fill="#1f2328")");
  svg.line(8, y + kGroupHeight - 2, kPlotRight, y + kGroupHeight - 2,
           R"(stroke="#d0d7de" stroke-width="1")");
}

void no_events_bar(Svg& svg, double top, const std::string& agent) {
  svg.rect(svg.x(0), top, svg.x(svg.duration()), kBarHeight, kGrey, "seg seg-no-events",
           agent + " wrote no events");
  svg.text(svg.x(0) + 6, top + kBarHeight - 3, "no events from " + agent,
           R"(font-size="11" fill="#1f2328")");
}

double site_lanes(Svg& svg, double y, const Report& report, size_t& n) {
  const auto& m = report.metrics;
  if (m.sites.empty()) return y;
  group_heading(svg, y, "Sites \u2014 anycast announcement by healthd");
  y += kGroupHeight;
  for (const auto& site : m.sites) {
    std::string label = site.node + (site.pop.empty() ? "" : " @" + site.pop);
    Lane lane(svg, y, n++, "class=\"lane lane-site\" data-node=" + quoted_attr(site.node), label);
    double top = lane.bar_top();
    if (site.no_events) {
      no_events_bar(svg, top, "healthd");
    } else {
      svg.rect(svg.x(0), top, svg.x(m.duration_s), kBarHeight, kGreen, "seg seg-announcing",
               site.node + " announcing");
      for (const auto& w : site.withdrawn_windows) {
        const char* what = site.degraded ? "degraded" : "withdrawn";
        svg.rect(svg.x(w.start_s), top, svg.x(window_end(w, m.duration_s)), kBarHeight,
                 site.degraded ? kAmber : kRed, std::string("seg seg-") + what,
                 site.node + " " + what + " " + window_text(w));
      }
    }
    y += kLaneHeight;
  }
  return y;
}

double route_lanes(Svg& svg, double y, const Report& report, size_t& n) {
  const auto& m = report.metrics;
  if (m.routes.empty()) return y;
  group_heading(svg, y, "Routes \u2014 watched prefixes at each node (ticks: next hop changed)");
  y += kGroupHeight;
  for (const auto& route : m.routes) {
    std::string label = route.vantage + "  " + route.prefix;
    Lane lane(svg, y, n++,
              "class=\"lane lane-route\" data-vantage=" + quoted_attr(route.vantage) +
                  " data-prefix=" + quoted_attr(route.prefix),
              label);
    double top = lane.bar_top();
    if (route.no_events) {
      no_events_bar(svg, top, "routewatch");
    } else {
      std::string what = route.prefix + " (" + route.kind + ") at " + route.vantage;
      svg.rect(svg.x(0), top, svg.x(m.duration_s), kBarHeight, kGreen, "seg seg-present",
               what + ": present");
      for (const auto& w : route.absent_windows) {
        svg.rect(svg.x(w.start_s), top, svg.x(window_end(w, m.duration_s)), kBarHeight, kRed,
                 "seg seg-absent", what + ": absent " + window_text(w));
      }
      // Where it went: a tick for every change of next hop while it stayed present.
      for (const auto& hop : route.next_hops) {
        if (hop.action != "change") continue;
        std::string via = hop.gateway.empty() ? "direct" : "via " + hop.gateway;
        if (!hop.dev.empty()) via += " (" + hop.dev + ")";
        svg.rect(svg.x(hop.at_s) - 1, top - 2, svg.x(hop.at_s) + 1, kBarHeight + 4, kOutage,
                 "seg seg-next-hop", what + ": " + seconds(hop.at_s) + " now " + via);
      }
      if (!route.present_at_start) {
        // routewatch's first dump did not have it: mark the lane's start, since the
        // windows only say when it went missing after that.
        double x0 = svg.x(0);
        svg.raw(fmt::format(R"(<path class="absent-at-start" d="M{} {} l7 {} l-7 {} z" fill="{}" )"
                            R"(stroke="#fff" stroke-width="1">)",
                            px(x0), px(top), px(kBarHeight / 2), px(kBarHeight / 2), kRed) +
                "<title>" + xml_escape(what + ": not present when the watch began") +
                "</title></path>\n");
      }
    }
    y += kLaneHeight;
  }
  return y;
}

double client_lanes(Svg& svg, double y, const Report& report, size_t& n) {
  const auto& m = report.metrics;
  if (m.clients.empty()) return y;
  double bucket_s = static_cast<double>(report.bucket_us) / 1e6;
  if (bucket_s <= 0) bucket_s = 1;
  group_heading(svg, y, "Clients \u2014 DNS success per " + number(bucket_s) + " s bucket");
  y += kGroupHeight;
  for (const auto& client : m.clients) {
    std::string label = client.client + "  " + client.target;
    Lane lane(svg, y, n++,
              "class=\"lane lane-client\" data-client=" + quoted_attr(client.client) +
                  " data-target=" + quoted_attr(client.target),
              label);
    double top = lane.bar_top();
    double strip = kBarHeight - 4;  // the rest is for the outage bar under it
    const auto& buckets = client.success_by_bucket;
    // Consecutive buckets of the same colour become one rectangle: a long run at 1 s
    // buckets would otherwise be thousands of elements.
    for (size_t i = 0; i < buckets.size();) {
      std::string colour = rate_colour(buckets[i]);
      size_t j = i + 1;
      while (j < buckets.size() && rate_colour(buckets[j]) == colour) ++j;
      double start = static_cast<double>(i) * bucket_s;
      double end = std::min(static_cast<double>(j) * bucket_s, m.duration_s);
      std::string title =
          fmt::format("{}\u2013{}: {}", seconds_number(start), seconds(end),
                      buckets[i] < 0 ? std::string("no queries") : percent(buckets[i]) + " ok");
      svg.rect(svg.x(start), top, svg.x(end), strip, colour, "seg seg-dns", title);
      i = j;
    }
    for (const auto& w : client.outages) {
      svg.rect(svg.x(w.start_s), top + strip + 1, svg.x(window_end(w, m.duration_s)), 3, kOutage,
               "seg seg-outage", client.client + " " + client.target + " outage " + window_text(w));
    }
    y += kLaneHeight;
  }
  return y;
}

double reach_lanes(Svg& svg, double y, const Report& report, size_t& n) {
  const auto& m = report.metrics;
  if (m.reach.empty()) return y;
  group_heading(svg, y, "Reachability \u2014 each pair probed (green answering, red lost)");
  y += kGroupHeight;
  for (const auto& pair : m.reach) {
    std::string proto = pair.proto == "tcp" ? fmt::format("tcp {}", pair.port) : pair.proto;
    std::string label = pair.from + " \u2192 " + pair.target + "  " + proto;
    Lane lane(svg, y, n++,
              "class=\"lane lane-reach\" data-from=" + quoted_attr(pair.from) +
                  " data-target=" + quoted_attr(pair.target) + " data-proto=" + quoted_attr(proto),
              label);
    double top = lane.bar_top();
    if (pair.no_events) {
      no_events_bar(svg, top, "reachprobe");
    } else {
      std::string what = pair.from + " \u2192 " + pair.target + " (" + proto + ")";
      svg.rect(svg.x(0), top, svg.x(m.duration_s), kBarHeight, kGreen, "seg seg-reachable",
               what + ": answering");
      for (const auto& w : pair.outages) {
        svg.rect(svg.x(w.start_s), top, svg.x(window_end(w, m.duration_s)), kBarHeight, kRed,
                 "seg seg-lost", what + ": lost " + window_text(w));
      }
    }
    y += kLaneHeight;
  }
  return y;
}

double nice_step(double duration) {
  constexpr std::array<double, 16> kSteps = {0.1, 0.2, 0.5, 1,   2,   5,    10,   15,
                                             30,  60,  120, 300, 600, 1200, 1800, 3600};
  for (double step : kSteps) {
    if (duration / step <= 14) return step;
  }
  return std::ceil(duration / 14 / 3600) * 3600;
}

void axis(Svg& svg, double lanes_top, double axis_y) {
  double step = nice_step(svg.duration());
  svg.line(kPlotLeft, axis_y, kPlotRight, axis_y, R"(stroke="#57606a" stroke-width="1")");
  for (int i = 0;; ++i) {
    double t = i * step;
    if (t > svg.duration() + 1e-9) break;
    double x = svg.x(t);
    svg.line(x, lanes_top, x, axis_y, R"(class="grid" stroke="#d8dee4" stroke-width="1")");
    svg.line(x, axis_y, x, axis_y + 5, R"(stroke="#57606a" stroke-width="1")");
    std::string label = step < 1 ? fmt::format("{:.1f}", t) : fmt::format("{:.0f}", t);
    svg.text(x, axis_y + 18, label, R"(class="tick" text-anchor="middle" fill="#57606a")");
  }
  svg.text((kPlotLeft + kPlotRight) / 2, axis_y + 36, "seconds from the run's start",
           R"(class="axis-title" text-anchor="middle" fill="#57606a")");
}

// "1 audit (change)": a step's label above its marker.
std::vector<std::string> step_texts(const std::vector<measure::StepRecord>& steps) {
  Anchors anchors = find_anchors(steps);
  std::vector<std::string> texts;
  for (size_t i = 0; i < steps.size(); ++i) {
    std::string text = fmt::format("{} {}", steps[i].index, steps[i].name);
    if (anchors.change_step == i) text += " (change)";
    if (anchors.rollback_step == i) text += " (rollback)";
    texts.push_back(text);
  }
  return texts;
}

struct StepLabel {
  size_t step = 0;
  double x = 0;     // the marker
  double left = 0;  // the text's extent
  double right = 0;
  bool anchor_end = false;
  size_t row = 0;
};

// Places each step's label in the first row where it overlaps no other label; labels that
// would run past the plot's right edge are drawn to the left of their marker instead.
std::vector<StepLabel> place_step_labels(const Svg& svg,
                                         const std::vector<measure::StepRecord>& steps,
                                         const std::vector<std::string>& texts, size_t& rows) {
  std::vector<StepLabel> labels;
  std::vector<std::vector<std::pair<double, double>>> taken;
  for (size_t i = 0; i < steps.size(); ++i) {
    StepLabel label{.step = i, .x = svg.x(steps[i].start_s)};
    double width = static_cast<double>(display_width(texts[i])) * kCharWidth;
    label.anchor_end = label.x + 4 + width > kPlotRight + 20;
    label.left = label.anchor_end ? label.x - 4 - width : label.x + 4;
    label.right = label.anchor_end ? label.x - 4 : label.x + 4 + width;
    size_t row = 0;
    for (;; ++row) {
      if (row == taken.size()) taken.emplace_back();
      bool free = std::none_of(taken[row].begin(), taken[row].end(), [&](const auto& span) {
        return label.left < span.second + 8 && span.first < label.right + 8;
      });
      if (free) break;
    }
    taken[row].emplace_back(label.left, label.right);
    label.row = row;
    labels.push_back(label);
  }
  rows = std::max<size_t>(taken.size(), 1);
  return labels;
}

void step_markers(Svg& svg, const Report& report, double top, double axis_y) {
  const auto& steps = report.metrics.steps;
  Anchors anchors = find_anchors(steps);
  size_t rows = 0;
  auto texts = step_texts(steps);
  auto labels = place_step_labels(svg, steps, texts, rows);
  // Every label has a white halo (paint-order) so that other markers' lines crossing it
  // do not make it illegible.
  for (const auto& label : labels) {
    const auto& step = steps[label.step];
    bool change = anchors.change_step == label.step;
    bool rollback = anchors.rollback_step == label.step;
    const char* colour = change ? kChange : rollback ? kRollback : kOtherStep;
    std::string kind_class = change ? "step-change" : rollback ? "step-rollback" : "step-other";
    double label_y = top + static_cast<double>(label.row) * kStepRowHeight + 12;
    svg.raw(fmt::format(R"(<g class="step-marker {}" data-index="{}">)", kind_class, step.index));
    std::string title = fmt::format("step {} {} ({}) {}{}: {}", step.index, step.name, step.kind,
                                    seconds_number(step.start_s),
                                    step.end_s ? "\u2013" + seconds(*step.end_s) : " s",
                                    step.error.empty() ? step.detail : "failed: " + step.error);
    svg.raw("<title>" + xml_escape(title) + "</title>\n");
    svg.line(
        label.x, label_y - 11, label.x, axis_y,
        fmt::format(R"(stroke="{}" stroke-width="{}"{})", colour, change || rollback ? 2.5 : 1.2,
                    change || rollback ? "" : R"( stroke-dasharray="4 3")"));
    svg.text(
        label.anchor_end ? label.x - 4 : label.x + 4, label_y, texts[label.step],
        fmt::format(R"(class="step-label" fill="{}" font-weight="{}" text-anchor="{}" )"
                    R"(stroke="#fff" stroke-width="3" paint-order="stroke")",
                    colour, change || rollback ? 700 : 400, label.anchor_end ? "end" : "start"));
    svg.raw("</g>\n");
  }
}

double step_label_rows(const Svg& svg, const Report& report) {
  size_t rows = 0;
  place_step_labels(svg, report.metrics.steps, step_texts(report.metrics.steps), rows);
  return static_cast<double>(rows);
}

// The legend, laid out left to right and wrapped at the plot's width.
double legend(Svg& svg, double y) {
  struct Item {
    std::string kind;  // "box", "line", "dash", "thin", "ramp"
    std::string colour;
    std::string text;
  };
  const std::vector<Item> items = {
      {"box", kGreen, "announcing / prefix present / answering"},
      {"box", kRed, "withdrawn / prefix absent / lost"},
      {"box", kAmber, "degraded (worse path)"},
      {"ramp", "", "DNS success 100% \u2192 50% \u2192 0%"},
      {"box", kGrey, "no queries / no events"},
      {"thin", kOutage, "DNS outage"},
      {"line", kChange, "change"},
      {"line", kRollback, "rollback"},
      {"dash", kOtherStep, "other step"},
  };
  double x = kPlotLeft;
  svg.text(kLabelRight, y + 11, "legend", R"(text-anchor="end" font-weight="700" fill="#57606a")");
  svg.raw(R"(<g class="legend">)");
  for (const auto& item : items) {
    double swatch = item.kind == "ramp" ? 42 : 18;
    double width = swatch + 6 + static_cast<double>(display_width(item.text)) * kCharWidth + 22;
    if (x + width > kPlotRight && x > kPlotLeft) {
      x = kPlotLeft;
      y += 20;
    }
    if (item.kind == "box") {
      svg.raw(fmt::format(R"(<rect x="{}" y="{}" width="18" height="12" fill="{}"/>)", px(x),
                          px(y + 1), item.colour));
    } else if (item.kind == "ramp") {
      for (int i = 0; i < 3; ++i) {
        svg.raw(fmt::format(R"(<rect x="{}" y="{}" width="14" height="12" fill="{}"/>)",
                            px(x + i * 14), px(y + 1), rate_colour(1.0 - 0.5 * i)));
      }
    } else if (item.kind == "thin") {
      svg.raw(fmt::format(R"(<rect x="{}" y="{}" width="18" height="3" fill="{}"/>)", px(x),
                          px(y + 6), item.colour));
    } else {
      svg.line(x + 9, y - 2, x + 9, y + 15,
               fmt::format(R"(stroke="{}" stroke-width="{}"{})", item.colour,
                           item.kind == "dash" ? 1.2 : 2.5,
                           item.kind == "dash" ? R"( stroke-dasharray="4 3")" : ""));
    }
    svg.text(x + swatch + 6, y + 11, item.text, R"(fill="#1f2328")");
    x += width;
  }
  svg.raw("</g>\n");
  return y + 20;
}

}  // namespace

std::string svg_timeline(const Report& report) {
  const auto& m = report.metrics;
  Svg body(m.duration_s);
  double markers_top = 6;
  double lanes_top = markers_top + step_label_rows(body, report) * kStepRowHeight + 6;
  size_t lane_count = m.sites.size() + m.routes.size() + m.clients.size() + m.reach.size();
  size_t group_count = !m.sites.empty() + !m.routes.empty() + !m.clients.empty() + !m.reach.empty();
  double axis_y = lanes_top + static_cast<double>(group_count) * kGroupHeight +
                  static_cast<double>(lane_count) * kLaneHeight + 4;

  // Painter's order: grid behind the lanes, markers on top of them, legend last.
  Svg grid(m.duration_s);
  axis(grid, lanes_top, axis_y);
  size_t n = 0;
  double y = site_lanes(body, lanes_top, report, n);
  y = route_lanes(body, y, report, n);
  y = client_lanes(body, y, report, n);
  reach_lanes(body, y, report, n);
  step_markers(body, report, markers_top, axis_y);
  double legend_end = legend(body, axis_y + 52);
  double height = legend_end + 8;

  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" id="timeline" class="timeline" )"
      R"(width="{0}" height="{1}" viewBox="0 0 {0} {1}" role="img" )"
      R"(aria-labelledby="timeline-title" font-size="12" )"
      R"(font-family="system-ui, 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif">)",
      px(kWidth), px(height));
  out += "\n<title id=\"timeline-title\">Timeline of run " + xml_escape(m.lab) + " / " +
         xml_escape(m.script) + "</title>\n";
  out += grid.str();
  out += body.str();
  out += "</svg>\n";
  return out;
}

}  // namespace blastlab::report
