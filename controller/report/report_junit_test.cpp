#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/report/report.hpp"
#include "controller/report/test_support.hpp"

namespace blastlab::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ReportJunitTest, OneSuiteWithACasePerExpectationAndTheRun) {
  std::string xml = report_junit(sample_report());
  EXPECT_EQ(xml_problem(xml), "");
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  EXPECT_EQ(count(xml, "<testsuite "), 1u);
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"blastlab.fb-2021\" tests=\"4\" failures=\"2\" "
                             "errors=\"0\" skipped=\"0\" time=\"40.000\" "
                             "timestamp=\"2024-05-01T12:00:00Z\">"));
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"blastlab\" tests=\"4\" failures=\"2\""));
  EXPECT_EQ(count(xml, "<testcase "), 4u);
  EXPECT_EQ(count(xml, "<failure "), 2u);
  EXPECT_THAT(xml, HasSubstr("<testcase classname=\"blastlab.fb-2021\" name=\"run\" "
                             "time=\"40.000\"></testcase>"));
  EXPECT_THAT(xml, HasSubstr("<property name=\"lab\" value=\"minimal-t1\"/>"));
}

TEST(ReportJunitTest, AFailedExpectationCarriesItsValueAndWhere) {
  std::string xml = report_junit(sample_report());
  EXPECT_THAT(xml, HasSubstr("name=\"dns.success_ratio &gt;= 0.99\" time=\"0\">\n"
                             "      <failure type=\"expectation\" message=\"dns.success_ratio = "
                             "0.45, expected &gt;= 0.99\">dns.success_ratio = 0.45, expected "
                             "&gt;= 0.99\nat scripts/fb-2021.yaml:31:5</failure>"));
  EXPECT_THAT(xml, HasSubstr("name=\"recovery.all_s &lt;= 10\" time=\"0\"></testcase>"));
}

TEST(ReportJunitTest, AnExpectationWithoutAValueSaysTheMetricWasNotProduced) {
  Report report = sample_report();
  report.expectations[2].value.reset();
  report.expectations[2].passed = false;
  std::string xml = report_junit(report);
  EXPECT_THAT(xml, HasSubstr("message=\"recovery.all_s: the run did not produce this metric "
                             "(expected &lt;= 10)\""));
  EXPECT_THAT(xml, HasSubstr("failures=\"3\""));
}

TEST(ReportJunitTest, ACutShortRunFailsTheRunCase) {
  Report report = sample_report();
  for (auto& e : report.expectations) e.passed = true;
  report.metrics.cut_short = true;
  report.metrics.cut_short_reason = "interrupted <SIGINT>";
  std::string xml = report_junit(report);
  EXPECT_EQ(xml_problem(xml), "");
  EXPECT_THAT(xml, HasSubstr("tests=\"4\" failures=\"1\""));
  EXPECT_THAT(xml, HasSubstr("name=\"run\" time=\"40.000\">\n      <failure type=\"cut_short\" "
                             "message=\"run cut short: interrupted &lt;SIGINT&gt;\">"));
}

TEST(ReportJunitTest, PassingRunHasNoFailures) {
  Report report = sample_report();
  for (auto& e : report.expectations) e.passed = true;
  std::string xml = report_junit(report);
  EXPECT_THAT(xml, HasSubstr("failures=\"0\""));
  EXPECT_THAT(xml, Not(HasSubstr("<failure")));
}

TEST(ReportJunitTest, NamesAreEscapedAndAScriptlessRunIsNamedRun) {
  Report report;
  report.expectations = {{.text = "a < b & \"c\"", .metric = "x", .op = "<", .passed = false}};
  std::string xml = report_junit(report);
  EXPECT_EQ(xml_problem(xml), "");
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"blastlab.run\""));
  EXPECT_THAT(xml, HasSubstr("name=\"a &lt; b &amp; &quot;c&quot;\""));
}

}  // namespace
}  // namespace blastlab::report
