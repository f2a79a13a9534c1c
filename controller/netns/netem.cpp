#include "controller/netns/netem.hpp"

#include <fmt/format.h>
#include <netlink/route/qdisc/netem.h>
#include <netlink/route/qdisc/tbf.h>
#include <netlink/route/tc.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>
#include <optional>

#include "controller/netns/links.hpp"

namespace blastlab::netns {
namespace {

constexpr uint32_t kNetemHandle = TC_HANDLE(1, 0);
constexpr uint32_t kTbfParent = TC_HANDLE(1, 1);
constexpr uint32_t kTbfHandle = TC_HANDLE(10, 0);
// netem's delay and jitter travel as 32-bit scheduler ticks (64 ns each on current kernels).
constexpr int64_t kMaxDelayMicros = 100'000'000;
// libnl's tbf takes the rate as an int of bytes per second.
constexpr uint64_t kMaxRateBits = uint64_t{INT_MAX} * 8;
// tbf's bucket must hold a couple of full packets; rate / HZ (250) keeps the shaper smooth.
// A small bucket keeps a low rate honest: a large one lets a burst through at line rate.
constexpr int64_t kMinBurstBytes = 4 * 1024;
constexpr int64_t kHz = 250;

Status failed(const std::string& what, const NamespaceHandle& handle, const SysError& error) {
  return Status::error(fmt::format("{} in ns {}: {}", what, handle.name(), error.text), error.code);
}

std::string describe(const NetemSpec& spec) {
  if (spec.empty()) return "none";
  return fmt::format("delay {}us jitter {}us loss {}% rate {}bit/s", spec.delay.count(),
                     spec.jitter.count(), spec.loss_percent, spec.rate_bits_per_second);
}

std::string check_spec(const NetemSpec& spec) {
  if (spec.delay.count() < 0 || spec.delay.count() > kMaxDelayMicros) {
    return fmt::format("delay {}us: must be 0 to {}us", spec.delay.count(), kMaxDelayMicros);
  }
  if (spec.jitter.count() < 0 || spec.jitter.count() > kMaxDelayMicros) {
    return fmt::format("jitter {}us: must be 0 to {}us", spec.jitter.count(), kMaxDelayMicros);
  }
  if (!(spec.loss_percent >= 0 && spec.loss_percent <= 100)) {
    return fmt::format("loss {}%: must be 0 to 100", spec.loss_percent);
  }
  if (spec.rate_bits_per_second > kMaxRateBits) {
    return fmt::format("rate {}bit/s: at most {}bit/s", spec.rate_bits_per_second, kMaxRateBits);
  }
  return {};
}

QdiscPtr new_qdisc(int ifindex, uint32_t parent, uint32_t handle_id, const char* kind) {
  QdiscPtr qdisc(rtnl_qdisc_alloc());
  if (!qdisc) return qdisc;
  rtnl_tc_set_ifindex(TC_CAST(qdisc.get()), ifindex);
  rtnl_tc_set_parent(TC_CAST(qdisc.get()), parent);
  if (handle_id != 0) rtnl_tc_set_handle(TC_CAST(qdisc.get()), handle_id);
  if (kind != nullptr && rtnl_tc_set_kind(TC_CAST(qdisc.get()), kind) < 0) qdisc.reset();
  return qdisc;
}

// Deletes the qdisc at parent; ENOENT (nothing there) and EINVAL (the kernel's own default
// qdisc, which cannot be deleted) mean there was nothing of ours to remove.
SysError delete_qdisc(NamespaceHandle& handle, int ifindex, uint32_t parent, uint32_t handle_id) {
  QdiscPtr qdisc = new_qdisc(ifindex, parent, handle_id, nullptr);
  if (!qdisc) return sys_error(ENOMEM);
  SysError error =
      handle.call([&](nl_sock* socket) { return rtnl_qdisc_delete(socket, qdisc.get()); });
  if (error.code == ENOENT || error.code == EINVAL) return SysError{};
  return error;
}

// The qdisc of kind at parent on ifindex in a qdisc cache, or nullptr.
rtnl_qdisc* find_qdisc(nl_cache* qdiscs, int ifindex, uint32_t parent, const char* kind) {
  for (nl_object* object = nl_cache_get_first(qdiscs); object != nullptr;
       object = nl_cache_get_next(object)) {
    auto* qdisc = reinterpret_cast<rtnl_qdisc*>(object);
    const char* k = rtnl_tc_get_kind(TC_CAST(qdisc));
    if (rtnl_tc_get_ifindex(TC_CAST(qdisc)) == ifindex &&
        rtnl_tc_get_parent(TC_CAST(qdisc)) == parent && k != nullptr && std::strcmp(k, kind) == 0)
      return qdisc;
  }
  return nullptr;
}

// The rate of a root tbf on ifindex (a rate-only impairment), if there is one.
std::optional<uint64_t> root_tbf_rate(NamespaceHandle& handle, int ifindex, SysError& error) {
  nl_cache* raw_qdiscs = nullptr;
  error = handle.call([&](nl_sock* socket) { return rtnl_qdisc_alloc_cache(socket, &raw_qdiscs); });
  CachePtr qdiscs(raw_qdiscs);
  if (!error.ok()) return std::nullopt;
  rtnl_qdisc* tbf = find_qdisc(qdiscs.get(), ifindex, TC_H_ROOT, "tbf");
  if (tbf == nullptr) return std::nullopt;
  return static_cast<uint64_t>(rtnl_qdisc_tbf_get_rate(tbf)) * 8;
}

SysError add_root_tbf(NamespaceHandle& handle, int ifindex, uint64_t rate_bits_per_second) {
  QdiscPtr tbf = make_tbf_qdisc(ifindex, rate_bits_per_second, /*at_root=*/true);
  if (!tbf) return sys_error(ENOMEM);
  return handle.call([&](nl_sock* socket) {
    return rtnl_qdisc_add(socket, tbf.get(), NLM_F_CREATE | NLM_F_REPLACE);
  });
}

}  // namespace

uint32_t loss_probability(double percent) {
  return static_cast<uint32_t>(std::llround(percent / 100.0 * double{UINT32_MAX}));
}

QdiscPtr make_netem_qdisc(int ifindex, const NetemSpec& spec) {
  QdiscPtr netem = new_qdisc(ifindex, TC_H_ROOT, kNetemHandle, "netem");
  if (!netem) return netem;
  rtnl_netem_set_delay(netem.get(), static_cast<int>(spec.delay.count()));
  rtnl_netem_set_jitter(netem.get(), static_cast<int>(spec.jitter.count()));
  rtnl_netem_set_loss(netem.get(), static_cast<int>(loss_probability(spec.loss_percent)));
  return netem;
}

QdiscPtr make_tbf_qdisc(int ifindex, uint64_t rate_bits_per_second, bool at_root) {
  const int64_t rate_bytes = std::max<int64_t>(1, static_cast<int64_t>(rate_bits_per_second / 8));
  const int64_t burst = std::max(kMinBurstBytes, rate_bytes / kHz);
  const int64_t limit = std::min<int64_t>(INT_MAX, burst + rate_bytes / 10);  // 100 ms queue
  QdiscPtr tbf = new_qdisc(ifindex, at_root ? TC_H_ROOT : kTbfParent, kTbfHandle, "tbf");
  if (!tbf) return tbf;
  rtnl_qdisc_tbf_set_rate(tbf.get(), static_cast<int>(rate_bytes), static_cast<int>(burst), 0);
  rtnl_qdisc_tbf_set_limit(tbf.get(), static_cast<int>(limit));
  return tbf;
}

Status apply_netem(NamespaceHandle& handle, const std::string& ifname, const NetemSpec& spec) {
  const std::string what = fmt::format("set netem ({}) on {}", describe(spec), ifname);
  if (auto status = validate_ifname(ifname); !status) return status;
  if (auto problem = check_spec(spec); !problem.empty()) {
    return Status::error(fmt::format("{} in ns {}: {}", what, handle.name(), problem), EINVAL);
  }
  SysError error;
  LinkPtr link = find_link(handle, ifname, error);
  if (!error.ok()) return failed(what, handle, error);
  const int ifindex = rtnl_link_get_ifindex(link.get());

  if (spec.empty()) {
    error = delete_qdisc(handle, ifindex, TC_H_ROOT, 0);
    return error.ok() ? Status::ok() : failed(what, handle, error);
  }

  const bool needs_netem =
      spec.delay.count() != 0 || spec.jitter.count() != 0 || spec.loss_percent != 0;
  if (!needs_netem) {
    // A rate alone needs no netem: tbf at the root shapes it, also on kernels built without
    // sch_netem.
    error = delete_qdisc(handle, ifindex, TC_H_ROOT, 0);
    if (error.ok()) error = add_root_tbf(handle, ifindex, spec.rate_bits_per_second);
    return error.ok() ? Status::ok() : failed(what + ": rate", handle, error);
  }

  // A root tbf (an earlier rate-only impairment) makes way for netem, and comes back if netem
  // cannot be added, so a failed change leaves the link as it was.
  std::optional<uint64_t> earlier_rate = root_tbf_rate(handle, ifindex, error);
  if (!error.ok()) return failed(what, handle, error);
  if (earlier_rate) {
    error = delete_qdisc(handle, ifindex, TC_H_ROOT, 0);
    if (!error.ok()) return failed(what, handle, error);
  }
  QdiscPtr netem = make_netem_qdisc(ifindex, spec);
  if (!netem) return failed(what, handle, sys_error(ENOMEM));
  error = handle.call([&](nl_sock* socket) {
    return rtnl_qdisc_add(socket, netem.get(), NLM_F_CREATE | NLM_F_REPLACE);
  });
  if (error.code == ENOENT) {
    error.text += " (the kernel has no netem qdisc: load sch_netem or enable CONFIG_NET_SCH_NETEM)";
  }
  if (!error.ok()) {
    if (earlier_rate) (void)add_root_tbf(handle, ifindex, *earlier_rate);
    return failed(what, handle, error);
  }

  if (spec.rate_bits_per_second == 0) {
    // A netem root that was already there may still carry a shaper from an earlier spec.
    error = delete_qdisc(handle, ifindex, kTbfParent, kTbfHandle);
    return error.ok() ? Status::ok() : failed(what + ": remove rate", handle, error);
  }
  QdiscPtr tbf = make_tbf_qdisc(ifindex, spec.rate_bits_per_second, /*at_root=*/false);
  if (!tbf) return failed(what, handle, sys_error(ENOMEM));
  error = handle.call([&](nl_sock* socket) {
    return rtnl_qdisc_add(socket, tbf.get(), NLM_F_CREATE | NLM_F_REPLACE);
  });
  return error.ok() ? Status::ok() : failed(what + ": rate", handle, error);
}

std::optional<NetemSpec> netem_of(nl_cache* qdiscs, int ifindex) {
  rtnl_qdisc* root = find_qdisc(qdiscs, ifindex, TC_H_ROOT, "netem");
  rtnl_qdisc* shaper = find_qdisc(qdiscs, ifindex, kTbfParent, "tbf");
  rtnl_qdisc* rate_only = find_qdisc(qdiscs, ifindex, TC_H_ROOT, "tbf");
  if (root == nullptr && rate_only != nullptr) {
    NetemSpec spec;
    spec.rate_bits_per_second = static_cast<uint64_t>(rtnl_qdisc_tbf_get_rate(rate_only)) * 8;
    return spec;
  }
  if (root == nullptr) return std::nullopt;
  NetemSpec spec;
  spec.delay = std::chrono::microseconds(std::max(0, rtnl_netem_get_delay(root)));
  spec.jitter = std::chrono::microseconds(std::max(0, rtnl_netem_get_jitter(root)));
  const int loss = rtnl_netem_get_loss(root);
  if (loss != -NLE_NOATTR) {
    spec.loss_percent = static_cast<uint32_t>(loss) / double{UINT32_MAX} * 100.0;
  }
  if (shaper != nullptr && rtnl_tc_get_handle(TC_CAST(root)) == kNetemHandle) {
    spec.rate_bits_per_second = static_cast<uint64_t>(rtnl_qdisc_tbf_get_rate(shaper)) * 8;
  }
  return spec;
}

}  // namespace blastlab::netns
