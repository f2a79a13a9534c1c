#!/usr/bin/env bash
# blastlab's main job. Until the reference experiment lands, it brings the minimal lab up
# (FRR converged, anycast DNS announced), shows it, asks its resolver and the anycast name
# server for the zone's data, and takes it down again (also on Ctrl-C or failure).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

lab=demo
bin=build/bin/blastlab
trap '$bin down $lab >/dev/null 2>&1 || true' EXIT
$bin validate topologies/minimal.yaml
$bin up topologies/minimal.yaml --name $lab
$bin status $lab
echo "--- client1 asks its resolver (unbound) for www.example.net:"
$bin exec $lab client1 -- dig +tries=2 +time=1 +noall +comments +answer @127.0.0.1 www.example.net A |
  grep -E 'status|IN'
echo "--- client1 asks the anycast name server directly; NSID names the site that answered:"
$bin exec $lab client1 -- dig +tries=2 +time=1 +nsid +noall +comments +answer @198.51.100.12 www.example.net A |
  grep -E 'status|NSID|IN'
echo "--- transit1's view of the anycast prefix:"
$bin vtysh $lab transit1 -c 'show bgp ipv4 unicast 198.51.100.0/26'
$bin down $lab
trap - EXIT
