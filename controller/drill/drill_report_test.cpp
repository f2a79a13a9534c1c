#include "controller/drill/drill_report.hpp"

#include <gtest/gtest.h>

namespace blastlab::drill {
namespace {

DrillResult hand_built() {
  DrillResult r;
  r.drill = "route-map-typo";
  r.title = "A site stops announcing";
  r.file = "drills/route-map-typo.yaml";
  r.lab = "d1";
  r.fault = "typo";
  r.seed = 7;
  r.reveal =
      "pop3's route-map FROM-DNS matches prefix-list ANYCST, which does not exist, so "
      "pop3 takes no route from dns3 and the site's anycast route never leaves it.";
  r.time_limit_s = 600;
  r.fault_s = 3;
  r.restored_s = 240.5;
  r.markers = {
      {Marker::Kind::kFault, 0,
       "vtysh on pop3: route-map FROM-DNS permit 10 / match ip "
       "address prefix-list ANYCST",
       false},
      {Marker::Kind::kHint, 90, "hint 1 (-5): Compare what dns3 sends with what pop3 keeps.",
       false},
      {Marker::Kind::kCheck, 120,
       "1 of 2 conditions hold; route-via 198.51.100.0/26 at pop3 "
       "via dns3 fails",
       false},
      {Marker::Kind::kChange, 200,
       "vtysh on pop3: route-map FROM-DNS permit 10 / match ip "
       "address prefix-list ANYCAST",
       false},
      {Marker::Kind::kCheck, 240.5, "2 of 2 conditions hold", true},
  };
  r.collateral = {{"pop3", {"interface eth3"}, "shutdown", true}};
  ScoreInput input;
  input.restored = true;
  input.time_limit = Millis(600000);
  input.time_to_restore = Millis(240500);
  input.outage.values["dns.success_ratio"] = 0.9;
  input.outage.missing["reachability.success_ratio"] = "no reach probes";
  input.hints_used = {{"Compare what dns3 sends with what pop3 keeps.", 5}};
  input.collateral_lines = 1;
  r.score = score_drill(input);
  return r;
}

TEST(DrillReport, Text) {
  EXPECT_EQ(drill_report_text(hand_built()),
            R"(drill route-map-typo: A site stops announcing
fault typo (seed 7), lab d1
restored after 240 s (limit 600 s)

score 80/100
  time           -8  restored in 240.5 s, par 150 s, limit 600 s
  dns            -2  dns.success_ratio 0.900, 10.0% failed
  reachability    0  reachability.success_ratio not measured: no reach probes
  hints          -5  1 taken: 5
  collateral     -5  1 line(s) left changed beyond the fault

timeline (from the fault)
     0.00 s  fault   vtysh on pop3: route-map FROM-DNS permit 10 / match ip a...
     90.0 s  hint    hint 1 (-5): Compare what dns3 sends with what pop3 keeps.
      120 s  check   fail: 1 of 2 conditions hold; route-via 198.51.100.0/26 ...
      200 s  change  vtysh on pop3: route-map FROM-DNS permit 10 / match ip a...
      240 s  check   pass: 2 of 2 conditions hold

collateral: 1 line(s)
  pop3: + interface eth3 > shutdown

cause
  pop3's route-map FROM-DNS matches prefix-list ANYCST, which does not exist, so
  pop3 takes no route from dns3 and the site's anycast route never leaves it.
)");
  std::string text = drill_report_text(hand_built());
  for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    EXPECT_LE(end - start, 80u) << text.substr(start, end - start);
}

TEST(DrillReport, Json) {
  EXPECT_EQ(drill_report_json(hand_built()).dump(1),
            R"({
 "schema": "blastlab.drill-report",
 "schema_version": 1,
 "drill": "route-map-typo",
 "title": "A site stops announcing",
 "file": "drills/route-map-typo.yaml",
 "lab": "d1",
 "fault": "typo",
 "seed": 7,
 "reveal": "pop3's route-map FROM-DNS matches prefix-list ANYCST, which does not exist, so pop3 takes no route from dns3 and the site's anycast route never leaves it.",
 "time_limit_s": 600.0,
 "fault_s": 3.0,
 "restored": true,
 "restored_s": 240.5,
 "score": {
  "total": 80,
  "restored": true,
  "components": [
   {
    "name": "time",
    "points": -8,
    "detail": "restored in 240.5 s, par 150 s, limit 600 s"
   },
   {
    "name": "dns",
    "points": -2,
    "detail": "dns.success_ratio 0.900, 10.0% failed"
   },
   {
    "name": "reachability",
    "points": 0,
    "detail": "reachability.success_ratio not measured: no reach probes"
   },
   {
    "name": "hints",
    "points": -5,
    "detail": "1 taken: 5"
   },
   {
    "name": "collateral",
    "points": -5,
    "detail": "1 line(s) left changed beyond the fault"
   }
  ]
 },
 "markers": [
  {
   "at_s": 0.0,
   "kind": "fault",
   "text": "vtysh on pop3: route-map FROM-DNS permit 10 / match ip address prefix-list ANYCST"
  },
  {
   "at_s": 90.0,
   "kind": "hint",
   "text": "hint 1 (-5): Compare what dns3 sends with what pop3 keeps."
  },
  {
   "at_s": 120.0,
   "kind": "check",
   "text": "1 of 2 conditions hold; route-via 198.51.100.0/26 at pop3 via dns3 fails",
   "passed": false
  },
  {
   "at_s": 200.0,
   "kind": "change",
   "text": "vtysh on pop3: route-map FROM-DNS permit 10 / match ip address prefix-list ANYCAST"
  },
  {
   "at_s": 240.5,
   "kind": "check",
   "text": "2 of 2 conditions hold",
   "passed": true
  }
 ],
 "collateral": [
  {
   "router": "pop3",
   "context": [
    "interface eth3"
   ],
   "line": "shutdown",
   "added": true
  }
 ]
})");
}

TEST(DrillReport, HtmlIsSelfContainedWithTheMarkersOnTheTimeline) {
  std::string html = drill_report_html(hand_built());
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("80/100"), std::string::npos);
  EXPECT_NE(html.find("data-index=\"5\""), std::string::npos);  // the last check's marker
  EXPECT_NE(html.find("pop3: + interface eth3 &gt; shutdown"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);  // nothing fetched
  EXPECT_EQ(html.find(" href="), std::string::npos);
}

}  // namespace
}  // namespace blastlab::drill
