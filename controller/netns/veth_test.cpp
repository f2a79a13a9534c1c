// The veth request must place both ends, or the unplaced one would be created in the
// namespace of the socket that sends it. libnl 3.7 copies the peer's IFLA_NET_NS_FD into the
// nested peer info (through rtnl_link_fill_info); older libnl versions did not.
#include "controller/netns/veth.hpp"

#include <gtest/gtest.h>
#include <netlink/route/link/veth.h>

namespace blastlab::netns {
namespace {

TEST(VethRequest, PlacesBothEndsByNamespaceFd) {
  MsgPtr message;
  SysError error = build_veth_request({"lab.a", "a0", "lab.b", "b0", 1400}, 5, 6, message);
  ASSERT_TRUE(error.ok()) << error.text;
  ASSERT_TRUE(message);
  EXPECT_TRUE(places_both_ends(message.get()));
}

TEST(VethRequest, NoticesARequestThatPlacesOnlyOneEnd) {
  LinkPtr link(rtnl_link_veth_alloc());
  rtnl_link_set_name(link.get(), "a0");
  rtnl_link_set_ns_fd(link.get(), 5);  // the peer is left where the socket is
  nl_msg* raw = nullptr;
  ASSERT_EQ(rtnl_link_build_add_request(link.get(), NLM_F_CREATE, &raw), 0);
  MsgPtr message(raw);
  EXPECT_FALSE(places_both_ends(message.get()));
}

}  // namespace
}  // namespace blastlab::netns
