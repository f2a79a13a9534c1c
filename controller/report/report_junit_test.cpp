#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/report/report.hpp"
#include "controller/report/test_support.hpp"

namespace blastlab::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ReportJunitTest, OneSuiteWithACasePerExpectationStepAndTheRun) {
  std::string xml = report_junit(sample_report());
  EXPECT_EQ(xml_problem(xml), "");
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  EXPECT_EQ(count(xml, "<testsuite "), 1u);
  // run, 5 steps, 3 expectations
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"blastlab.fb-2021\" tests=\"9\" failures=\"2\" "
                             "errors=\"0\" skipped=\"0\" time=\"40.000\" "
                             "timestamp=\"2024-05-01T12:00:00Z\">"));
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"blastlab\" tests=\"9\" failures=\"2\""));
  EXPECT_EQ(count(xml, "<testcase "), 9u);
  EXPECT_THAT(xml, HasSubstr("<property name=\"verdict\" value=\"fail\"/>"));
  EXPECT_THAT(xml, HasSubstr("name=\"step audit (vtysh)\" time=\"0\"></testcase>"));
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
                             "(not measured); expected &lt;= 10\""));
  report.expectations[2].missing = "the script has no rollback";
  EXPECT_THAT(report_junit(report),
              HasSubstr("message=\"recovery.all_s: the run did not produce this metric (the "
                        "script has no rollback); expected &lt;= 10\""));
  EXPECT_THAT(xml, HasSubstr("failures=\"3\""));
}

TEST(ReportJunitTest, ACutShortRunFailsTheRunCase) {
  Report report = sample_report();
  for (auto& e : report.expectations) e.passed = true;
  report.metrics.cut_short = true;
  report.metrics.cut_short_reason = "interrupted <SIGINT>";
  std::string xml = report_junit(report);
  EXPECT_EQ(xml_problem(xml), "");
  EXPECT_THAT(xml, HasSubstr("tests=\"9\" failures=\"1\""));
  EXPECT_THAT(xml, HasSubstr("<property name=\"verdict\" value=\"incomplete\"/>"));
  EXPECT_THAT(xml, HasSubstr("name=\"run\" time=\"40.000\">\n      <failure type=\"incomplete\" "
                             "message=\"incomplete: run cut short: interrupted &lt;SIGINT&gt;\">"));
}

TEST(ReportJunitTest, ADeadAgentFailsTheRunCaseAndNamesIt) {
  Report report = sample_report();
  for (auto& e : report.expectations) e.passed = true;
  report.metrics.gaps = {{.agent = "dnsprobe",
                          .node = "client1",
                          .what = "died",
                          .from_s = 12.5,
                          .detail = "exited with status 9"}};
  std::string xml = report_junit(report);
  EXPECT_EQ(xml_problem(xml), "");
  EXPECT_THAT(xml, HasSubstr("<property name=\"verdict\" value=\"incomplete\"/>"));
  EXPECT_THAT(xml, HasSubstr("<failure type=\"incomplete\" message=\"incomplete: dnsprobe on "
                             "client1 died at 12.5 s: exited with status 9\">"));
}

TEST(ReportJunitTest, AFailedStepIsAFailedCaseAndTheVerdictFails) {
  Report report = sample_report();
  for (auto& e : report.expectations) e.passed = true;
  ASSERT_EQ(report.verdict(), Verdict::kPass);
  report.metrics.steps[1].state = measure::StepState::kFailed;
  report.metrics.steps[1].error = "vtysh on bb1 refused the configuration";
  report.metrics.steps[2].state = measure::StepState::kSkipped;
  EXPECT_EQ(report.verdict(), Verdict::kFail);
  std::string xml = report_junit(report);
  EXPECT_EQ(xml_problem(xml), "");
  EXPECT_THAT(xml, HasSubstr("<property name=\"verdict\" value=\"fail\"/>"));
  EXPECT_THAT(xml, HasSubstr("failures=\"1\" errors=\"0\" skipped=\"1\""));
  EXPECT_THAT(xml, HasSubstr("name=\"step audit (vtysh)\" time=\"0\">\n      <failure "
                             "type=\"step\" message=\"step audit failed: vtysh on bb1 refused "
                             "the configuration\">"));
  EXPECT_THAT(xml, HasSubstr("<skipped message="));
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
