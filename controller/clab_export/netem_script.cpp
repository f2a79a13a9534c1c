// Link impairments as containerlab sets them: a topology file has no place for them, so
// netem.sh runs `containerlab tools netem set` on both ends of every impaired link, once the
// lab is deployed. The flags are containerlab's (cmd/tools_netem.go, docs/cmd/tools/netem/
// set.md): --delay and --jitter as Go durations, jitter only with a delay, --loss in
// percent, --rate in kbit/s (1000 bit/s). blastlab puts a link's impairment on each end's
// egress, and so does netem on each end's interface: the same delay per direction.
#include <fmt/format.h>

#include <cmath>

#include "controller/clab_export/export_parts.hpp"

namespace blastlab::clab_export {
namespace {

std::string go_duration(std::chrono::microseconds d) {
  if (d.count() % 1000 == 0) return fmt::format("{}ms", d.count() / 1000);
  return fmt::format("{}us", d.count());
}

std::string link_name(const model::Link& link) {
  return fmt::format("{}:{}-{}:{}", link.a.node, link.a.ifname, link.b.node, link.b.ifname);
}

}  // namespace

std::string render_netem_script(const model::Topology& topology, const std::string& lab,
                                std::vector<std::string>& warnings) {
  std::string out = fmt::format(
      "#!/bin/sh\n"
      "# Link impairments of lab {lab} (written by blastlab export), which a containerlab\n"
      "# topology cannot carry: run once the lab is deployed, as root (`bash netem.sh`).\n"
      "# Each end of an impaired link gets the link's delay, jitter, loss and rate on its\n"
      "# egress, as blastlab gives them. Containers are clab-{lab}-NODE.\n"
      "set -e\n",
      fmt::arg("lab", lab));
  int impaired = 0;
  for (const auto& link : topology.links) {
    const model::Impairment& impairment = link.impairment;
    if (!impairment.any()) continue;
    ++impaired;
    std::string flags;
    if (impairment.delay) flags += " --delay " + go_duration(*impairment.delay);
    if (impairment.jitter) {
      if (impairment.delay && impairment.delay->count() > 0) {
        flags += " --jitter " + go_duration(*impairment.jitter);
      } else {
        warnings.push_back(
            fmt::format("link {}: jitter without a delay is left out of netem.sh "
                        "(containerlab's netem takes jitter only with a delay)",
                        link_name(link)));
      }
    }
    if (impairment.loss_percent) flags += fmt::format(" --loss {}", *impairment.loss_percent);
    if (impairment.rate_bits_per_second) {
      uint64_t bits = *impairment.rate_bits_per_second;
      uint64_t kbit = std::max<uint64_t>(1, (bits + 500) / 1000);
      if (kbit * 1000 != bits) {
        warnings.push_back(
            fmt::format("link {}: rate {} bit/s becomes {} kbit/s in netem.sh "
                        "(containerlab's netem takes whole kbit/s)",
                        link_name(link), bits, kbit));
      }
      flags += fmt::format(" --rate {}", kbit);
    }
    for (const auto* end : {&link.a, &link.b}) {
      out += fmt::format("containerlab tools netem set -n clab-{}-{} -i {}{}\n", lab, end->node,
                         end->ifname, flags);
    }
  }
  if (impaired == 0) out += "# The lab has no impaired link.\n";
  return out;
}

}  // namespace blastlab::clab_export
