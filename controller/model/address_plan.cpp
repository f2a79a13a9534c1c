// The address plan: everything the file left out is filled in deterministically, in file
// order, so that the same file always gives the same lab. Planned addresses never overlap
// an address the file gives explicitly, wherever in the file that one is.
#include <fmt/format.h>

#include <set>

#include "controller/model/draft.hpp"

namespace blastlab::model {

namespace {

constexpr uint32_t kFirstPeerAsn = 64512;
constexpr uint32_t kFirstDnsAsn = 65001;

// Hands out blocks of one length from a pool, in address order, skipping every block that
// overlaps a prefix the file gave.
class PoolAllocator {
 public:
  PoolAllocator(const Ipv4Prefix& pool, int length, uint64_t first_offset,
                const std::vector<Ipv4Prefix>& given)
      : pool_(pool.network()), length_(length), offset_(first_offset), given_(given) {}

  std::optional<Ipv4Prefix> next() {
    const uint64_t block = uint64_t{1} << (32 - length_);
    while (length_ >= pool_.length && offset_ + block <= pool_.size()) {
      Ipv4Prefix candidate{{pool_.address.value + static_cast<uint32_t>(offset_)}, length_};
      offset_ += block;
      bool taken = std::any_of(given_.begin(), given_.end(),
                               [&](const Ipv4Prefix& p) { return p.overlaps(candidate); });
      if (!taken) {
        ++handed_out_;
        return candidate;
      }
    }
    return std::nullopt;
  }

  size_t handed_out() const { return handed_out_; }

 private:
  Ipv4Prefix pool_;
  int length_;
  uint64_t offset_;
  const std::vector<Ipv4Prefix>& given_;
  size_t handed_out_ = 0;
};

// What wanted an address from an exhausted pool, for the one message about it.
struct Wanting {
  std::string field;
  SourceMark mark;
};

void report_exhausted(std::string_view pool_field, const Ipv4Prefix& pool,
                      const std::optional<Value>& pool_value, const PoolAllocator& allocator,
                      std::string_view noun, const std::vector<Wanting>& wanting,
                      Diagnostics& diagnostics) {
  if (wanting.empty()) return;
  SourceMark mark = pool_value ? pool_value->mark : wanting.front().mark;
  diagnostics.error(mark, std::string(pool_field),
                    fmt::format("pool {} exhausted after {} {}; {} more need one, the first "
                                "{} at line {}; give a larger pool",
                                pool.str(), allocator.handed_out(), noun, wanting.size(),
                                wanting.front().field, wanting.front().mark.line));
}

std::vector<Ipv4Prefix> given_prefixes(const Draft& draft) {
  std::vector<Ipv4Prefix> given;
  for (size_t i = 0; i < draft.nodes.size(); ++i) {
    if (draft.nodes[i].loopback) given.push_back(*draft.topology.nodes[i].loopback);
    if (draft.nodes[i].network) given.push_back(draft.nodes[i].network_prefix);
  }
  for (const LinkDraft& link : draft.links) {
    if (link.prefix) given.push_back(link.network);
  }
  return given;
}

void plan_loopbacks(Draft& draft, const std::vector<Ipv4Prefix>& given, Diagnostics& diagnostics) {
  const Ipv4Prefix& pool = draft.topology.addressing.loopbacks;
  PoolAllocator allocator(pool, 32, 1, given);
  std::vector<Wanting> wanting;
  for (size_t i = 0; i < draft.nodes.size(); ++i) {
    Node& node = draft.topology.nodes[i];
    if (draft.nodes[i].loopback || is_user_role(node.role)) continue;
    if (auto loopback = allocator.next()) {
      node.loopback = *loopback;
    } else {
      wanting.push_back({"nodes." + node.name, node.mark});
    }
  }
  report_exhausted("addressing.loopbacks", pool, draft.loopback_pool, allocator, "loopbacks",
                   wanting, diagnostics);
}

void plan_links(Draft& draft, const std::vector<Ipv4Prefix>& given, Diagnostics& diagnostics) {
  const Ipv4Prefix& pool = draft.topology.addressing.links;
  PoolAllocator allocator(pool, 31, 0, given);
  std::vector<Wanting> wanting;
  for (size_t i = 0; i < draft.links.size(); ++i) {
    const LinkDraft& link_draft = draft.links[i];
    Link& link = draft.topology.links[i];
    link.mtu = link_draft.mtu.value_or(draft.default_mtu);
    const Impairment& own = link_draft.impairment;
    const Impairment& defaults = draft.default_impairment;
    link.impairment.delay = own.delay ? own.delay : defaults.delay;
    link.impairment.jitter = own.jitter ? own.jitter : defaults.jitter;
    link.impairment.loss_percent = own.loss_percent ? own.loss_percent : defaults.loss_percent;
    link.impairment.rate_bits_per_second =
        own.rate_bits_per_second ? own.rate_bits_per_second : defaults.rate_bits_per_second;
    // A link inside the user's network is addressed by the user's configs.
    auto user_end = [&](const std::string& name) {
      const Node* node = draft.topology.find_node(name);
      return node && is_user_role(node->role);
    };
    if (!link_draft.prefix && user_end(link.a.node) && user_end(link.b.node)) continue;
    std::optional<Ipv4Prefix> network =
        link_draft.prefix ? std::optional(link_draft.network) : allocator.next();
    if (!network) {
      wanting.push_back({fmt::format("links[{}]", i), link.mark});
      continue;
    }
    // A /31 has no network or broadcast address (RFC 3021); shorter prefixes leave the
    // network address unused.
    uint32_t first = network->address.value + (network->length == 31 ? 0 : 1);
    link.a.address = {{first}, network->length};
    link.b.address = {{first + 1}, network->length};
  }
  report_exhausted("addressing.links", pool, draft.link_pool, allocator, "links", wanting,
                   diagnostics);
}

void plan_clients(Draft& draft, const std::vector<Ipv4Prefix>& given, Diagnostics& diagnostics) {
  const Ipv4Prefix& pool = draft.topology.addressing.clients;
  PoolAllocator allocator(pool, 28, 0, given);
  std::vector<Wanting> wanting;
  for (size_t i = 0; i < draft.nodes.size(); ++i) {
    Node& node = draft.topology.nodes[i];
    if (node.role != Role::kClient || !draft.nodes[i].role_known || draft.nodes[i].network) {
      continue;
    }
    if (auto network = allocator.next()) {
      node.network = Ipv4Prefix{{network->address.value + 1}, network->length};
    } else {
      wanting.push_back({"nodes." + node.name, node.mark});
    }
  }
  report_exhausted("addressing.clients", pool, draft.client_pool, allocator, "client networks",
                   wanting, diagnostics);
}

void plan_asns(Draft& draft) {
  Topology& topology = draft.topology;
  std::set<uint32_t> used{topology.asn};
  for (size_t i = 0; i < topology.nodes.size(); ++i) {
    if (draft.nodes[i].asn) used.insert(topology.nodes[i].asn);
  }
  uint32_t next_peer = kFirstPeerAsn;
  uint32_t next_dns = kFirstDnsAsn;
  auto take = [&](uint32_t& next) {
    while (used.count(next)) ++next;
    used.insert(next);
    return next;
  };
  for (size_t i = 0; i < topology.nodes.size(); ++i) {
    Node& node = topology.nodes[i];
    switch (node.role) {
      case Role::kDatacenter:
      case Role::kBackbone:
      case Role::kEdge:
        node.asn = topology.asn;
        break;
      case Role::kPeer:
        if (!draft.nodes[i].asn) node.asn = take(next_peer);
        break;
      case Role::kDns:
        if (!draft.nodes[i].asn) node.asn = take(next_dns);
        break;
      case Role::kClient:
      case Role::kRouter:
      case Role::kHost:
        node.asn = 0;
        break;
    }
  }
}

void plan_services(Draft& draft) {
  Topology& topology = draft.topology;
  if (topology.services.dns && !draft.targets) {
    for (const Node& node : topology.nodes) {
      if (node.role == Role::kDatacenter)
        topology.services.dns->health.targets.push_back(node.name);
    }
  }
  for (OperatorPrefix& prefix : topology.services.prefixes) {
    if (!prefix.from.empty()) continue;
    for (const Node& node : topology.nodes) {
      if (node.role == Role::kBackbone) prefix.from.push_back(node.name);
    }
  }
}

}  // namespace

void plan_topology(Draft& draft, Diagnostics& diagnostics) {
  std::vector<Ipv4Prefix> given = given_prefixes(draft);
  plan_loopbacks(draft, given, diagnostics);
  plan_links(draft, given, diagnostics);
  plan_clients(draft, given, diagnostics);
  plan_asns(draft);
  plan_services(draft);
}

}  // namespace blastlab::model
