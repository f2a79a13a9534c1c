#include "controller/drill/restored.hpp"

#include <gtest/gtest.h>

#include "controller/drill/test_support.hpp"
#include "controller/model/test_support.hpp"

namespace blastlab::drill {
namespace {

Drill drill() {
  auto loaded = load_drill_text(kGoodDrill, "d.yaml", model::minimal_topology());
  EXPECT_TRUE(loaded.drill) << (loaded.errors.empty() ? "" : loaded.errors.front().str());
  return *loaded.drill;
}

// A lab as the test sets it: restored unless a field says otherwise.
class FakeLook : public RestoredLook {
 public:
  bool is_converged = true;
  std::vector<std::string> transit_routes{"198.51.100.0/26", "0.0.0.0/0"};
  std::optional<bool> streak = true;
  std::string reach_result = "ok";
  std::vector<std::string> pop_route_out{"eth2"};

  bool converged(std::string* seen) override {
    *seen = is_converged ? "" : "bgp pop1-bb1 Active";
    return is_converged;
  }
  std::vector<std::string> routes(const std::string& node) override {
    EXPECT_EQ(node, "transit1");
    return transit_routes;
  }
  std::vector<std::string> route_interfaces(const std::string& node,
                                            const std::string& prefix) override {
    EXPECT_EQ(node, "pop1");
    EXPECT_EQ(prefix, "198.51.100.0/26");
    return pop_route_out;
  }
  std::vector<std::string> interfaces_toward(const std::string& node,
                                             const std::string& neighbor) override {
    EXPECT_EQ(node, "pop1");
    EXPECT_EQ(neighbor, "dns1");
    return {"eth2"};
  }
  std::optional<bool> dns_streak(const std::string& client, int n) override {
    EXPECT_EQ(client, "client1");
    EXPECT_EQ(n, 5);
    return streak;
  }
  std::map<std::string, std::string> reach(const std::string& from,
                                           const scenario::ReachProbe& probe) override {
    EXPECT_EQ(from, "dns1");
    EXPECT_EQ(probe.to.size(), 1u);
    return {{"dc1", reach_result}};
  }
};

TEST(Restored, AllConditionsHold) {
  FakeLook look;
  auto result = check_restored(drill(), look);
  ASSERT_EQ(result.conditions.size(), 5u);
  EXPECT_TRUE(result.restored());
  EXPECT_EQ(result.summary(), "restored: all 5 condition(s) hold");
}

TEST(Restored, EachFailingConditionSaysWhatShows) {
  FakeLook look;
  look.is_converged = false;
  look.transit_routes = {"0.0.0.0/0"};
  look.streak = false;
  look.reach_result = "timeout";
  look.pop_route_out = {"eth1"};
  auto result = check_restored(drill(), look);
  EXPECT_FALSE(result.restored());
  for (const auto& c : result.conditions) EXPECT_FALSE(c.holds) << c.condition;
  EXPECT_EQ(result.conditions[0].seen, "bgp pop1-bb1 Active");
  EXPECT_EQ(result.conditions[1].seen, "198.51.100.0/26 missing at 1 of 1: transit1");
  EXPECT_EQ(result.conditions[2].seen, "last 5 queries all failed at client1");
  EXPECT_EQ(result.conditions[3].seen, "dns1 -> dc1 timeout");
  EXPECT_EQ(result.conditions[4].seen, "pop1 routes 198.51.100.0/26 out of eth1, not toward dns1");
  EXPECT_EQ(result.summary().substr(0, 36), "0 of 5 condition(s) hold; not yet: c");
}

TEST(Restored, MixedAnswersAndMissingRoutesAreNotRestored) {
  FakeLook look;
  look.streak = std::nullopt;  // some of the last answers failed
  look.pop_route_out = {};
  auto result = check_restored(drill(), look);
  EXPECT_FALSE(result.restored());
  EXPECT_EQ(result.conditions[2].seen, "some of the last 5 queries failed at client1");
  EXPECT_EQ(result.conditions[4].seen, "pop1 has no route to 198.51.100.0/26");
  EXPECT_EQ(result.summary(),
            "3 of 5 condition(s) hold; not yet: dns-answering at client1 (last 5 queries); "
            "route-via 198.51.100.0/26 at pop1 via dns1");
}

TEST(Restored, AProbeThatReportedNothingDoesNotHold) {
  FakeLook look;
  look.reach_result = "";
  auto result = check_restored(drill(), look);
  EXPECT_FALSE(result.conditions[3].holds);
}

}  // namespace
}  // namespace blastlab::drill
