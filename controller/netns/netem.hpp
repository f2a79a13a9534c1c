// Link impairments as traffic control: a netem root qdisc (handle 1:) for delay, jitter and
// loss, and, when a rate is asked for, a tbf qdisc under it (parent 1:1, handle 10:) that
// shapes what netem releases. A rate alone is a root tbf (handle 10:), which works on kernels
// built without netem. Callers hold the handle's lock.
#pragma once

#include <optional>
#include <string>

#include "controller/netns/libnl_owners.hpp"
#include "controller/netns/namespace_handle.hpp"
#include "controller/netns/netlink.hpp"

namespace blastlab::netns {

// Replaces the root qdisc of ifname with what spec asks for; an empty spec removes the root
// qdisc (the kernel's default comes back), and a missing one is fine.
Status apply_netem(NamespaceHandle& handle, const std::string& ifname, const NetemSpec& spec);

// The qdisc objects apply_netem sends, exposed so that their encoding can be checked against
// what tc sends. Delay and jitter go to libnl in microseconds (it converts them to scheduler
// ticks); loss goes as a probability scaled to UINT32_MAX, as tc encodes "loss 0.5%".
uint32_t loss_probability(double percent);
QdiscPtr make_netem_qdisc(int ifindex, const NetemSpec& spec);
// rate / 8 bytes per second, a burst of rate/HZ but at least 32 KiB, and room for 100 ms.
// at_root: a rate-only impairment (tbf is the root qdisc); otherwise tbf sits under netem.
QdiscPtr make_tbf_qdisc(int ifindex, uint64_t rate_bits_per_second, bool at_root);

// What the netem root qdisc of ifindex (and a tbf under it) apply, if there is one.
std::optional<NetemSpec> netem_of(nl_cache* qdiscs, int ifindex);

}  // namespace blastlab::netns
