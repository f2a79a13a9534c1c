// The blastlab node image: Debian 12 with FRR, NSD and unbound from Debian's archive (the
// versions a blastlab lab runs) and blastlab's agents, copied into the build context by
// write_export. Its entry script is the same for every node: FRR from the files bound into
// /etc/frr, then the node's own start script, then nothing but waiting, under tini, which
// reaps what the services leave.
#include <fmt/format.h>

#include "controller/clab_export/export_parts.hpp"

namespace blastlab::clab_export {

const std::vector<std::string>& agent_programs() {
  static const std::vector<std::string> programs = {"blastlab-healthd",    "blastlab-backendd",
                                                    "blastlab-dnsprobe",   "blastlab-routewatch",
                                                    "blastlab-querywatch", "blastlab-reachprobe"};
  return programs;
}

std::vector<File> render_image() {
  std::string copies;
  for (const auto& program : agent_programs()) copies += " " + program;
  std::string dockerfile = fmt::format(
      "# The blastlab node image (written by blastlab export): Debian 12 with FRR, NSD and\n"
      "# unbound from Debian's archive and blastlab's agents, for the nodes of an exported lab\n"
      "# that run more than FRR. Build it from this directory:\n"
      "#   docker build -t blastlab-node .\n"
      "# The agents are the exporting machine's build (Debian 12): the libraries they link\n"
      "# are installed below.\n"
      "FROM debian:bookworm\n"
      "RUN apt-get update \\\n"
      " && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\\n"
      "      frr nsd unbound iproute2 iputils-ping dnsutils procps tini \\\n"
      "      libfmt9 libspdlog1.10 libldns3 libboost-filesystem1.74.0 \\\n"
      " && rm -rf /var/lib/apt/lists/*\n"
      "COPY{} /usr/local/bin/\n"
      "COPY blastlab-node /usr/local/bin/blastlab-node\n"
      "RUN chmod 0755 /usr/local/bin/blastlab-* && mkdir -p {} /etc/blastlab\n"
      "ENTRYPOINT [\"/usr/bin/tini\", \"--\", \"/usr/local/bin/blastlab-node\"]\n",
      copies, kServiceDir);
  std::string entry = fmt::format(
      "#!/bin/bash\n"
      "# The blastlab node image's entry script (written by blastlab export). It starts FRR\n"
      "# when the node's frr.conf and daemons are bound into /etc/frr, as FRR's own image\n"
      "# does, then sources the node's start script ({start}, bound in from the export's\n"
      "# nodes/NODE/start.sh) for its services, and stays as the container's process.\n"
      "set -u\n"
      "mkdir -p {dir}\n"
      "\n"
      "# containerlab adds a node's addresses with its exec lines once the container runs:\n"
      "# a service that listens on one waits for it (two minutes at most).\n"
      "wait_for_addresses() {{\n"
      "  local address deadline=$((SECONDS + 120))\n"
      "  for address in \"$@\"; do\n"
      "    until ip -o -4 address show | grep -q \" inet ${{address}}/\"; do\n"
      "      if [ \"$SECONDS\" -ge \"$deadline\" ]; then\n"
      "        echo \"blastlab-node: ${{address}} is on no interface; starting anyway\" >&2\n"
      "        break\n"
      "      fi\n"
      "      sleep 0.2\n"
      "    done\n"
      "  done\n"
      "}}\n"
      "\n"
      "if [ -r /etc/frr/frr.conf ] && [ -r /etc/frr/daemons ]; then\n"
      "  /usr/lib/frr/frrinit.sh start\n"
      "fi\n"
      "if [ -r {start} ]; then\n"
      "  . {start}\n"
      "fi\n"
      "exec sleep infinity\n",
      fmt::arg("start", kStartScript), fmt::arg("dir", kServiceDir));
  return {{"image/Dockerfile", dockerfile}, {"image/blastlab-node", entry, true}};
}

}  // namespace blastlab::clab_export
