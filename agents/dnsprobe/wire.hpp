// DNS on the wire, through ldns: the query dnsprobe sends and the verdict on a datagram that
// comes back. ldns is wrapped here and nowhere else; its packets never leave wire.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace blastlab::dnsprobe {

struct Question {
  std::string qname;  // absolute, without the trailing dot: "7-0c1d2e3f.probe.example.net"
  uint16_t qtype = 1;
};

// What a server said, from a datagram that answers our query.
struct Answer {
  int rcode = 0;           // with the EDNS extended bits
  std::string rcode_name;  // "NOERROR", "SERVFAIL", ... or "RCODE23"
  size_t answers = 0;      // records in the answer section
  std::optional<std::string> nsid;
};

// The verdict on one datagram received for a query.
struct Reply {
  enum class Kind {
    kAnswer,     // the answer to our query
    kStray,      // something else (another id, another question, not a response): ignore
    kMalformed,  // carries our id and the response bit, but ldns cannot parse it
  };
  Kind kind = Kind::kStray;
  Answer answer;      // for kAnswer
  std::string error;  // for kMalformed and kStray: why, in words
};

// The query packet: `id`, RD set (a resolver needs it, an authoritative server ignores it),
// one question `qname IN qtype`, and, when `nsid`, an EDNS OPT record asking for the NSID.
// Throws std::runtime_error naming the name when ldns cannot encode it.
std::vector<uint8_t> build_query(uint16_t id, const Question& question, bool nsid);

// Judges a datagram against the query that was sent with `id` for `question`.
Reply parse_reply(std::span<const uint8_t> datagram, uint16_t id, const Question& question);

// The RR type for "A", "AAAA", "TXT", "TYPE65", ...; nullopt when ldns does not know it.
std::optional<uint16_t> rr_type_from_name(std::string_view name);
// True when ldns accepts `name` as a domain name that fits in a query (labels of 1 to 63
// bytes, 255 bytes in all).
bool valid_domain_name(std::string_view name);
std::string rcode_name(int rcode);

}  // namespace blastlab::dnsprobe
