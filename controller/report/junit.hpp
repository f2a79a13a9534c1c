// The JUnit XML every CI system shows natively, written in one place for the two files that
// use it: a run's junit.xml (report_junit) and a gate's (gate/outputs). A suite of test
// cases, each passed, failed with a type and message, or skipped with a reason, and
// optionally with what it printed; the counts in the headers are worked out from the cases.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace blastlab::report {

struct JunitCase {
  std::string name;
  std::string time = "0";    // seconds, as written in the attribute
  std::string failure_type;  // empty: not failed
  std::string message;       // the failure's or the skip's
  std::string text;          // the failure's body
  bool skipped = false;
  std::string system_out;  // empty: no <system-out>
};

struct JunitSuite {
  std::string name;       // also each case's classname
  std::string time;       // seconds, as written in the attribute
  std::string timestamp;  // ISO 8601; empty leaves the attribute out
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<JunitCase> cases;
};

// `<testsuites name="blastlab">` holding the one suite, with an XML declaration.
std::string junit_xml(const JunitSuite& suite);

}  // namespace blastlab::report
