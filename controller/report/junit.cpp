#include "controller/report/junit.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "controller/report/format.hpp"

namespace blastlab::report {

std::string junit_xml(const JunitSuite& suite) {
  const auto& cases = suite.cases;
  size_t failures = static_cast<size_t>(std::count_if(
      cases.begin(), cases.end(), [](const JunitCase& c) { return !c.failure_type.empty(); }));
  size_t skipped = static_cast<size_t>(
      std::count_if(cases.begin(), cases.end(), [](const JunitCase& c) { return c.skipped; }));

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"blastlab\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\">\n",
      cases.size(), failures, suite.time);
  out += fmt::format(
      "  <testsuite name={} tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
      "time=\"{}\"{}>\n",
      quoted_attr(suite.name), cases.size(), failures, skipped, suite.time,
      suite.timestamp.empty() ? "" : " timestamp=" + quoted_attr(suite.timestamp));
  out += "    <properties>\n";
  for (const auto& [name, value] : suite.properties)
    out += "      <property name=" + quoted_attr(name) + " value=" + quoted_attr(value) + "/>\n";
  out += "    </properties>\n";

  for (const auto& c : cases) {
    out += "    <testcase classname=" + quoted_attr(suite.name) + " name=" + quoted_attr(c.name) +
           " time=" + quoted_attr(c.time) + ">";
    bool body = false;
    if (!c.failure_type.empty()) {
      out += "\n      <failure type=" + quoted_attr(c.failure_type) +
             " message=" + quoted_attr(c.message) + ">" + xml_escape(c.text) + "</failure>";
      body = true;
    } else if (c.skipped) {
      out += "\n      <skipped message=" + quoted_attr(c.message) + "/>";
      body = true;
    }
    if (!c.system_out.empty()) {
      out += "\n      <system-out>" + xml_escape(c.system_out) + "</system-out>";
      body = true;
    }
    out += body ? "\n    </testcase>\n" : "</testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace blastlab::report
