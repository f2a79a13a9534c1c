// The query dnsprobe puts on the wire and the verdicts on what comes back, checked with ldns
// from the other side: what a server sees, and answers, strays and garbage it might send.
#include "agents/dnsprobe/wire.hpp"

#include <gtest/gtest.h>

#include "agents/dnsprobe/test_support.hpp"

namespace blastlab::dnsprobe {
namespace {

using testing::make_reply;

struct Parsed {
  ldns_pkt* pkt = nullptr;
  explicit Parsed(const std::vector<uint8_t>& bytes) {
    EXPECT_EQ(ldns_wire2pkt(&pkt, bytes.data(), bytes.size()), LDNS_STATUS_OK);
  }
  ~Parsed() { ldns_pkt_free(pkt); }
};

const Question kQuestion{"7-0c1d2e3f.probe.example.net", 1};

TEST(WireTest, QueryCarriesIdRecursionDesiredAndTheQuestion) {
  auto bytes = build_query(0xbeef, kQuestion, false);
  Parsed q(bytes);
  ASSERT_NE(q.pkt, nullptr);
  EXPECT_EQ(ldns_pkt_id(q.pkt), 0xbeef);
  EXPECT_FALSE(ldns_pkt_qr(q.pkt));
  EXPECT_TRUE(ldns_pkt_rd(q.pkt));
  EXPECT_EQ(ldns_pkt_qdcount(q.pkt), 1);
  EXPECT_EQ(testing::qname_of(bytes), kQuestion.qname);
  EXPECT_EQ(ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(q.pkt), 0)), LDNS_RR_TYPE_A);
  EXPECT_FALSE(ldns_pkt_edns(q.pkt)) << "no OPT record unless NSID is wanted";
}

TEST(WireTest, NsidQueryCarriesAnEmptyNsidOption) {
  auto bytes = build_query(1, {"www.example.net", LDNS_RR_TYPE_AAAA}, true);
  Parsed q(bytes);
  ASSERT_NE(q.pkt, nullptr);
  ASSERT_TRUE(ldns_pkt_edns(q.pkt));
  EXPECT_EQ(ldns_pkt_edns_udp_size(q.pkt), 1232);
  ldns_edns_option_list* options = ldns_pkt_edns_get_option_list(q.pkt);
  ASSERT_NE(options, nullptr);
  ASSERT_EQ(ldns_edns_option_list_get_count(options), 1u);
  ldns_edns_option* option = ldns_edns_option_list_get_option(options, 0);
  EXPECT_EQ(ldns_edns_get_code(option), LDNS_EDNS_NSID);
  EXPECT_EQ(ldns_edns_get_size(option), 0u);
}

TEST(WireTest, AnswerWithNsid) {
  auto query = build_query(42, kQuestion, true);
  Reply reply = parse_reply(make_reply(query, LDNS_RCODE_NOERROR, true, "dns1"), 42, kQuestion);
  ASSERT_EQ(reply.kind, Reply::Kind::kAnswer) << reply.error;
  EXPECT_EQ(reply.answer.rcode, 0);
  EXPECT_EQ(reply.answer.rcode_name, "NOERROR");
  EXPECT_EQ(reply.answer.answers, 1u);
  EXPECT_EQ(reply.answer.nsid, "dns1");
}

TEST(WireTest, AnswerWithoutNsidWhenNotAsked) {
  auto query = build_query(42, kQuestion, false);
  Reply reply = parse_reply(make_reply(query, LDNS_RCODE_NOERROR, true, "dns1"), 42, kQuestion);
  ASSERT_EQ(reply.kind, Reply::Kind::kAnswer);
  EXPECT_FALSE(reply.answer.nsid);
}

TEST(WireTest, RcodesAreNamed) {
  auto query = build_query(42, kQuestion, false);
  for (auto [rcode, name] : {std::pair{LDNS_RCODE_SERVFAIL, "SERVFAIL"},
                             {LDNS_RCODE_NXDOMAIN, "NXDOMAIN"},
                             {LDNS_RCODE_REFUSED, "REFUSED"},
                             {LDNS_RCODE_FORMERR, "FORMERR"}}) {
    Reply reply = parse_reply(make_reply(query, rcode, false), 42, kQuestion);
    ASSERT_EQ(reply.kind, Reply::Kind::kAnswer);
    EXPECT_EQ(reply.answer.rcode_name, name);
    EXPECT_EQ(reply.answer.answers, 0u);
  }
  EXPECT_EQ(rcode_name(23), "RCODE23");
}

TEST(WireTest, QuestionMatchIgnoresCase) {
  auto query = build_query(42, kQuestion, false);
  Question upper{"7-0C1D2E3F.PROBE.Example.NET", 1};
  EXPECT_EQ(parse_reply(make_reply(query, 0, true), 42, upper).kind, Reply::Kind::kAnswer);
}

TEST(WireTest, StraysAreIgnored) {
  auto query = build_query(42, kQuestion, false);
  auto reply = make_reply(query, LDNS_RCODE_NOERROR, true);
  EXPECT_EQ(parse_reply(reply, 43, kQuestion).kind, Reply::Kind::kStray) << "another id";
  EXPECT_EQ(parse_reply(reply, 42, {"8-00000000.probe.example.net", 1}).kind, Reply::Kind::kStray)
      << "another name";
  EXPECT_EQ(parse_reply(reply, 42, {kQuestion.qname, LDNS_RR_TYPE_AAAA}).kind, Reply::Kind::kStray)
      << "another type";
  EXPECT_EQ(parse_reply(query, 42, kQuestion).kind, Reply::Kind::kStray) << "our own query";
  std::vector<uint8_t> noise = {1, 2, 3};
  EXPECT_EQ(parse_reply(noise, 42, kQuestion).kind, Reply::Kind::kStray) << "noise";
}

TEST(WireTest, GarbageWithOurIdAndResponseBitIsMalformed) {
  std::vector<uint8_t> garbage = {0x00, 42, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xff, 0xff};
  Reply reply = parse_reply(garbage, 42, kQuestion);
  EXPECT_EQ(reply.kind, Reply::Kind::kMalformed);
  EXPECT_NE(reply.error.find("unparsable answer"), std::string::npos) << reply.error;
}

TEST(WireTest, ErrorWithoutQuestionStillAnswers) {
  // id 42, QR, rcode FORMERR, no sections at all.
  std::vector<uint8_t> formerr = {0x00, 42, 0x80, 0x01, 0, 0, 0, 0, 0, 0, 0, 0};
  Reply reply = parse_reply(formerr, 42, kQuestion);
  ASSERT_EQ(reply.kind, Reply::Kind::kAnswer);
  EXPECT_EQ(reply.answer.rcode_name, "FORMERR");
  std::vector<uint8_t> noerror = {0x00, 42, 0x80, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(parse_reply(noerror, 42, kQuestion).kind, Reply::Kind::kStray)
      << "NOERROR must echo the question";
}

TEST(WireTest, TypesAndNames) {
  EXPECT_EQ(rr_type_from_name("A"), 1);
  EXPECT_EQ(rr_type_from_name("AAAA"), 28);
  EXPECT_EQ(rr_type_from_name("TXT"), 16);
  EXPECT_FALSE(rr_type_from_name("BOGUS"));
  EXPECT_TRUE(valid_domain_name("example.net"));
  EXPECT_TRUE(valid_domain_name("www.example.net."));
  EXPECT_FALSE(valid_domain_name(""));
  EXPECT_FALSE(valid_domain_name("a..b"));
  EXPECT_FALSE(valid_domain_name(std::string(64, 'a') + ".net"));
  EXPECT_FALSE(valid_domain_name(std::string(200, 'a') + "." + std::string(60, 'b')))
      << "label too long";
  std::string long_name;
  for (int i = 0; i < 50; ++i) long_name += "abcde.";
  EXPECT_FALSE(valid_domain_name(long_name)) << "300 bytes";
}

}  // namespace
}  // namespace blastlab::dnsprobe
