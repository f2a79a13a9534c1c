#include "controller/report/format.hpp"

#include <fmt/format.h>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <sstream>

namespace blastlab::report {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default: {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 has no way to write these at all
        } else {
          out += c;
        }
      }
    }
  }
  return out;
}

std::string quoted_attr(std::string_view value) {
  std::string out(1, '"');
  out += xml_escape(value);
  out += '"';
  return out;
}

std::string seconds_number(double s) {
  double a = std::fabs(s);
  if (a < 0.1 && a > 0) return fmt::format("{:.3f}", s);
  if (a < 10) return fmt::format("{:.2f}", s);
  if (a < 100) return fmt::format("{:.1f}", s);
  return fmt::format("{:.0f}", s);
}

std::string seconds(double s) {
  return seconds_number(s) + " s";
}

std::string seconds_range(double low, double high) {
  return fmt::format("{:.1f}\u2013{:.1f} s", low, high);
}

std::string percent(const std::optional<double>& fraction) {
  return fraction ? percent(*fraction) : "\u2014";
}

std::string percent(double fraction) {
  double pct = fraction * 100;
  if (std::fabs(pct - std::round(pct)) < 1e-9) return fmt::format("{:.0f}%", pct);
  // Never round a partial outcome to a whole one: 99.96% is not "100.0%".
  if (pct > 99.9 && pct < 100) return ">99.9%";
  if (pct > 0 && pct < 0.1) return "<0.1%";
  return fmt::format("{:.1f}%", pct);
}

std::string count_of(int count, int total) {
  double fraction = total > 0 ? static_cast<double>(count) / total : 0;
  return fmt::format("{}/{} ({})", count, total, percent(fraction));
}

std::string number(double value) {
  return fmt::format("{}", value);
}

std::string milliseconds(double ms) {
  double a = std::fabs(ms);
  if (a < 10) return fmt::format("{:.2f} ms", ms);
  if (a < 100) return fmt::format("{:.1f} ms", ms);
  return fmt::format("{:.0f} ms", ms);
}

std::string window_text(const measure::Window& window) {
  if (!window.end_s) return seconds_number(window.start_s) + " s\u2013end (open)";
  return seconds_number(window.start_s) + "\u2013" + seconds(*window.end_s);
}

std::string utc_time(int64_t ts_us, bool iso) {
  std::time_t secs = static_cast<std::time_t>(ts_us / 1'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  if (iso) {
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  }
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string script_name(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  return stem.empty() ? "run" : stem;
}

std::string prediction_text(const measure::Delay& delay) {
  switch (delay.prediction) {
    case measure::Prediction::kRange:
      return "predicted " + seconds_range(delay.predicted_min_s, delay.predicted_max_s);
    case measure::Prediction::kKept:
      return "predicted: kept";
    case measure::Prediction::kNone:
      break;
  }
  return "";
}

std::string delay_text(const measure::Delay& delay) {
  std::string text = delay.measured_s ? seconds(*delay.measured_s) : "\u2014";
  // A prediction is shown beside what was measured; beside nothing it only repeats the
  // timers (a kept prefix with nothing measured is the prediction holding).
  if (std::string predicted = prediction_text(delay); delay.measured_s && !predicted.empty())
    text += " (" + predicted + ")";
  return text;
}

Anchors find_anchors(const std::vector<measure::StepRecord>& steps) {
  Anchors anchors;
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& kind = steps[i].kind;
    if (steps[i].state == measure::StepState::kSkipped)
      continue;  // never ran: neither the change nor its undoing
    if (kind == "rollback") {
      if (!anchors.rollback_step) anchors.rollback_step = i;
    } else if (measure::changes_lab(kind) && !anchors.change_step) {
      anchors.change_step = i;
    }
  }
  return anchors;
}

size_t display_width(std::string_view text) {
  size_t width = 0;
  for (char c : text) {
    // Count the first byte of every UTF-8 sequence; continuation bytes are 10xxxxxx.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string fit_line(const std::string& line, size_t width) {
  if (display_width(line) <= width) return line;
  std::string out;
  for (size_t i = 0; i < line.size() && display_width(out) < width - 3; ++i) out += line[i];
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  return out + "...";
}

std::string wrap_text(const std::string& text, size_t width, const std::string& indent) {
  std::string out;
  std::string line = indent;
  auto flush = [&] {
    if (line.size() > indent.size()) out += line + "\n";
    line = indent;
  };
  std::istringstream lines(text);
  for (std::string source; std::getline(lines, source);) {
    if (source.find_first_not_of(" \t") == std::string::npos) {
      flush();
      if (!out.empty() && out.substr(out.size() >= 2 ? out.size() - 2 : 0) != "\n\n") out += "\n";
      continue;
    }
    std::istringstream words(source);
    for (std::string word; words >> word;) {
      if (line.size() > indent.size() && display_width(line) + 1 + display_width(word) > width)
        flush();
      line += (line.size() > indent.size() ? " " : "") + word;
    }
  }
  flush();
  return out;
}

}  // namespace blastlab::report
