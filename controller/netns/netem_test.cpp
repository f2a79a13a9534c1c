// What apply_netem sends, checked byte for byte against what tc (iproute2 6.x) sends for
// "netem delay 20ms 1ms loss 0.5%" and "tbf rate 10mbit burst 32768 limit 157768", as
// captured with strace. No root and no kernel needed.
#include "controller/netns/netem.hpp"

#include <gtest/gtest.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>

#include <cstring>

namespace blastlab::netns {
namespace {

using namespace std::chrono_literals;

nlattr* options_of(nl_msg* message) {
  return nlmsg_find_attr(nlmsg_hdr(message), sizeof(tcmsg), TCA_OPTIONS);
}

MsgPtr request_for(rtnl_qdisc* qdisc) {
  nl_msg* raw = nullptr;
  EXPECT_EQ(rtnl_qdisc_build_add_request(qdisc, NLM_F_CREATE | NLM_F_REPLACE, &raw), 0);
  return MsgPtr(raw);
}

TEST(NetemRequest, MatchesWhatTcSends) {
  NetemSpec spec;
  spec.delay = 20ms;
  spec.jitter = 1ms;
  spec.loss_percent = 0.5;
  QdiscPtr qdisc = make_netem_qdisc(7, spec);
  ASSERT_TRUE(qdisc);
  MsgPtr message = request_for(qdisc.get());
  ASSERT_TRUE(message);

  auto* tc = static_cast<tcmsg*>(nlmsg_data(nlmsg_hdr(message.get())));
  EXPECT_EQ(tc->tcm_ifindex, 7);
  EXPECT_EQ(tc->tcm_parent, TC_H_ROOT);
  EXPECT_EQ(tc->tcm_handle, 0x10000u);  // 1:
  nlattr* options = options_of(message.get());
  ASSERT_NE(options, nullptr);
  ASSERT_GE(nla_len(options), static_cast<int>(sizeof(tc_netem_qopt)));
  tc_netem_qopt qopt{};
  std::memcpy(&qopt, nla_data(options), sizeof qopt);
  // tc: b4c40400 e8030000 14ae4701 00000000 00000000 093d0000 (64 ns scheduler ticks)
  EXPECT_EQ(qopt.latency, 312500u);
  EXPECT_EQ(qopt.limit, 1000u);
  EXPECT_EQ(qopt.loss, 21474836u);
  EXPECT_EQ(qopt.gap, 0u);
  EXPECT_EQ(qopt.duplicate, 0u);
  EXPECT_EQ(qopt.jitter, 15625u);
}

TEST(NetemRequest, LossIsAProbabilityScaledToUint32) {
  EXPECT_EQ(loss_probability(0), 0u);
  EXPECT_EQ(loss_probability(100), UINT32_MAX);
  EXPECT_EQ(loss_probability(50), 2147483648u);
}

TEST(TbfRequest, MatchesWhatTcSends) {
  QdiscPtr qdisc = make_tbf_qdisc(7, 10'000'000, /*at_root=*/false);
  ASSERT_TRUE(qdisc);
  MsgPtr message = request_for(qdisc.get());
  ASSERT_TRUE(message);
  auto* tc = static_cast<tcmsg*>(nlmsg_data(nlmsg_hdr(message.get())));
  EXPECT_EQ(tc->tcm_parent, 0x10001u);  // 1:1
  EXPECT_EQ(tc->tcm_handle, 0xa0000u);  // 10:
  nlattr* options = options_of(message.get());
  ASSERT_NE(options, nullptr);
  nlattr* parms =
      nla_find(static_cast<nlattr*>(nla_data(options)), nla_len(options), TCA_TBF_PARMS);
  ASSERT_NE(parms, nullptr);
  tc_tbf_qopt qopt{};
  std::memcpy(&qopt, nla_data(parms), sizeof qopt);
  EXPECT_EQ(qopt.rate.rate, 1'250'000u);  // bytes per second
  EXPECT_EQ(qopt.limit, 130'000u);        // the 5000-byte burst + 100 ms at the rate
  // tc: 409593 ticks for a 32 KiB burst at this rate, so 5000 bytes take 62499.6; libnl
  // rounds its own way.
  EXPECT_NEAR(static_cast<double>(qopt.buffer), 62499.6, 62499.6 * 0.01);
}

TEST(TbfRequest, ARateAloneIsTheRootQdisc) {
  QdiscPtr qdisc = make_tbf_qdisc(7, 1'000'000, /*at_root=*/true);
  ASSERT_TRUE(qdisc);
  MsgPtr message = request_for(qdisc.get());
  ASSERT_TRUE(message);
  auto* tc = static_cast<tcmsg*>(nlmsg_data(nlmsg_hdr(message.get())));
  EXPECT_EQ(tc->tcm_parent, TC_H_ROOT);
  EXPECT_EQ(tc->tcm_handle, 0xa0000u);  // 10:
}

}  // namespace
}  // namespace blastlab::netns
