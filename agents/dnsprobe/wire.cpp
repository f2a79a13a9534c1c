#include "agents/dnsprobe/wire.hpp"

#include <ldns/ldns.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace blastlab::dnsprobe {
namespace {

// Smaller than any path MTU of the lab, so an answer carrying NSID never fragments.
constexpr uint16_t kEdnsBufferSize = 1232;

struct PktFree {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
struct RdfFree {
  void operator()(ldns_rdf* r) const { ldns_rdf_deep_free(r); }
};
using PktPtr = std::unique_ptr<ldns_pkt, PktFree>;
using RdfPtr = std::unique_ptr<ldns_rdf, RdfFree>;

RdfPtr dname(std::string_view name) {
  std::string text(name);
  if (text.empty() || text.back() != '.') text += '.';
  return RdfPtr(ldns_dname_new_frm_str(text.c_str()));
}

// NSD and unbound put a configured text there; anything unprintable is shown as hex, the
// way dig does, so the event stays one readable string.
std::string nsid_text(const uint8_t* data, size_t size) {
  bool printable = size > 0;
  for (size_t i = 0; i < size; ++i) printable = printable && data[i] >= 0x20 && data[i] < 0x7f;
  if (printable) return std::string(reinterpret_cast<const char*>(data), size);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (size_t i = 0; i < size; ++i) {
    hex += kHex[data[i] >> 4];
    hex += kHex[data[i] & 0xf];
  }
  return hex;
}

std::optional<std::string> find_nsid(ldns_pkt* pkt) {
  ldns_edns_option_list* options = ldns_pkt_edns_get_option_list(pkt);
  if (options == nullptr) return std::nullopt;
  for (size_t i = 0; i < ldns_edns_option_list_get_count(options); ++i) {
    ldns_edns_option* option = ldns_edns_option_list_get_option(options, i);
    if (option != nullptr && ldns_edns_get_code(option) == LDNS_EDNS_NSID)
      return nsid_text(ldns_edns_get_data(option), ldns_edns_get_size(option));
  }
  return std::nullopt;
}

bool same_question(ldns_pkt* pkt, const Question& question) {
  ldns_rr_list* questions = ldns_pkt_question(pkt);
  if (questions == nullptr || ldns_rr_list_rr_count(questions) != 1) return false;
  ldns_rr* rr = ldns_rr_list_rr(questions, 0);
  RdfPtr asked = dname(question.qname);
  return asked && ldns_dname_compare(ldns_rr_owner(rr), asked.get()) == 0 &&
         ldns_rr_get_type(rr) == question.qtype && ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN;
}

}  // namespace

std::vector<uint8_t> build_query(uint16_t id, const Question& question, bool nsid) {
  RdfPtr name = dname(question.qname);
  if (!name) throw std::runtime_error("encode query for '" + question.qname + "': not a name");
  // ldns_pkt_query_new takes the name over.
  PktPtr pkt(ldns_pkt_query_new(name.release(), static_cast<ldns_rr_type>(question.qtype),
                                LDNS_RR_CLASS_IN, LDNS_RD));
  if (!pkt) throw std::runtime_error("encode query for '" + question.qname + "': out of memory");
  ldns_pkt_set_id(pkt.get(), id);
  if (nsid) {
    ldns_pkt_set_edns_udp_size(pkt.get(), kEdnsBufferSize);
    ldns_edns_option_list* options = ldns_edns_option_list_new();
    // An empty NSID option is the request (RFC 5001 section 2.1); the packet owns the list.
    if (options == nullptr ||
        !ldns_edns_option_list_push(options, ldns_edns_new(LDNS_EDNS_NSID, 0, nullptr))) {
      ldns_edns_option_list_deep_free(options);
      throw std::runtime_error("encode query for '" + question.qname + "': out of memory");
    }
    ldns_pkt_set_edns_option_list(pkt.get(), options);
  }
  uint8_t* wire = nullptr;
  size_t size = 0;
  ldns_status status = ldns_pkt2wire(&wire, pkt.get(), &size);
  if (status != LDNS_STATUS_OK) {
    std::free(wire);
    throw std::runtime_error("encode query for '" + question.qname +
                             "': " + ldns_get_errorstr_by_id(status));
  }
  std::vector<uint8_t> bytes(wire, wire + size);
  std::free(wire);
  return bytes;
}

Reply parse_reply(std::span<const uint8_t> datagram, uint16_t id, const Question& question) {
  ldns_pkt* raw = nullptr;
  ldns_status status = ldns_wire2pkt(&raw, datagram.data(), datagram.size());
  PktPtr pkt(raw);
  if (status != LDNS_STATUS_OK) {
    // Only a datagram that claims to answer us (our id, QR set) makes the query fail.
    bool ours =
        datagram.size() >= 3 && (datagram[0] << 8 | datagram[1]) == id && (datagram[2] & 0x80) != 0;
    std::string why = std::string("unparsable answer: ") + ldns_get_errorstr_by_id(status);
    return {ours ? Reply::Kind::kMalformed : Reply::Kind::kStray, {}, why};
  }
  if (ldns_pkt_id(pkt.get()) != id) return {Reply::Kind::kStray, {}, "another id"};
  if (!ldns_pkt_qr(pkt.get())) return {Reply::Kind::kStray, {}, "not a response"};
  int rcode = ldns_pkt_get_rcode(pkt.get()) | ldns_pkt_edns_extended_rcode(pkt.get()) << 4;
  // A server that cannot parse a query may answer FORMERR or the like without echoing the
  // question; with our id, from the connected server, that is still its answer.
  bool no_question = ldns_pkt_qdcount(pkt.get()) == 0 && rcode != LDNS_RCODE_NOERROR;
  if (!no_question && !same_question(pkt.get(), question))
    return {Reply::Kind::kStray, {}, "another question"};
  Answer answer;
  answer.rcode = rcode;
  answer.rcode_name = rcode_name(rcode);
  answer.answers = ldns_pkt_ancount(pkt.get());
  answer.nsid = find_nsid(pkt.get());
  return {Reply::Kind::kAnswer, std::move(answer), {}};
}

std::optional<uint16_t> rr_type_from_name(std::string_view name) {
  std::string text(name);
  ldns_rr_type type = ldns_get_rr_type_by_name(text.c_str());
  if (type == 0) return std::nullopt;
  return static_cast<uint16_t>(type);
}

bool valid_domain_name(std::string_view name) {
  if (name.empty() || name.find("..") != std::string_view::npos || name.front() == '.')
    return false;
  RdfPtr rdf = dname(name);
  return rdf && ldns_rdf_size(rdf.get()) <= LDNS_MAX_DOMAINLEN;
}

std::string rcode_name(int rcode) {
  ldns_lookup_table* entry = ldns_lookup_by_id(ldns_rcodes, rcode);
  if (entry != nullptr && entry->name != nullptr) return entry->name;
  return "RCODE" + std::to_string(rcode);
}

}  // namespace blastlab::dnsprobe
