#!/usr/bin/env bash
# blastlab's main job: a change script run end to end on a fresh lab, with its report.
# Until the reference experiment (fb-2021) lands, it runs scripts/backbone-shutdown.yaml on
# minimal.yaml: every backbone link shut at once, the DNS sites withdrawing, the peers
# losing the anycast prefix, the client's resolver failing, then the rollback. It prints the
# terminal summary and the paths of report.html/json; exit 1 if an expectation failed.
# `blastlab run` removes its lab itself, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

out=runs/backbone-shutdown
rm -rf "$out"
build/bin/blastlab run topologies/minimal.yaml scripts/backbone-shutdown.yaml --out "$out" \
  --name demo
