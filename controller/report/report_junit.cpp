// junit.xml: the run as a JUnit test suite, the format every CI system shows natively. One
// test case per expectation, so a gate's failure names the invariant that broke and the
// measured value; plus a "run" case that fails when the run was cut short, because then
// the expectations were judged on a partial timeline.
#include <fmt/format.h>

#include <algorithm>

#include "controller/report/format.hpp"
#include "controller/report/report.hpp"

namespace blastlab::report {

namespace {

std::string expectation_failure(const ExpectationResult& e) {
  if (!e.value) {
    return fmt::format("{}: the run did not produce this metric (expected {} {})", e.metric, e.op,
                       number(e.threshold));
  }
  return fmt::format("{} = {}, expected {} {}", e.metric, number(*e.value), e.op,
                     number(e.threshold));
}

}  // namespace

std::string report_junit(const Report& report) {
  const auto& m = report.metrics;
  std::string suite = "blastlab." + script_name(m.script);
  size_t tests = report.expectations.size() + 1;
  size_t failures =
      static_cast<size_t>(std::count_if(report.expectations.begin(), report.expectations.end(),
                                        [](const auto& e) { return !e.passed; })) +
      (m.cut_short ? 1 : 0);
  std::string time = fmt::format("{:.3f}", m.duration_s);

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"blastlab\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\">\n",
      tests, failures, time);
  out += fmt::format(
      "  <testsuite name={} tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"{}\" "
      "timestamp=\"{}\">\n",
      quoted_attr(suite), tests, failures, time, utc_time(m.start_ts, true));
  out += "    <properties>\n";
  auto property = [&](const std::string& name, const std::string& value) {
    out += "      <property name=" + quoted_attr(name) + " value=" + quoted_attr(value) + "/>\n";
  };
  property("lab", m.lab);
  property("topology", m.topology);
  property("script", m.script);
  property("events", report.events_path);
  out += "    </properties>\n";

  out +=
      fmt::format("    <testcase classname={} name=\"run\" time=\"{}\">", quoted_attr(suite), time);
  if (m.cut_short) {
    std::string reason = m.cut_short_reason.empty() ? "the run ended early" : m.cut_short_reason;
    out +=
        "\n      <failure type=\"cut_short\" message=" + quoted_attr("run cut short: " + reason) +
        ">" +
        xml_escape("The run was cut short (" + reason +
                   "); the expectations were judged on a partial timeline.") +
        "</failure>\n    ";
  }
  out += "</testcase>\n";

  for (const auto& e : report.expectations) {
    out += "    <testcase classname=" + quoted_attr(suite) + " name=" + quoted_attr(e.text) +
           " time=\"0\">";
    if (!e.passed) {
      std::string message = expectation_failure(e);
      out += "\n      <failure type=\"expectation\" message=" + quoted_attr(message) + ">" +
             xml_escape(message + (e.where.empty() ? "" : "\nat " + e.where)) + "</failure>\n    ";
    }
    out += "</testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace blastlab::report
