#!/usr/bin/env bash
# blastlab's main job. Until the reference experiment lands, it brings the minimal lab up,
# shows its status and takes it down again (also on Ctrl-C or failure).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

lab=demo
bin=build/bin/blastlab
trap '$bin down $lab >/dev/null 2>&1 || true' EXIT
$bin validate topologies/minimal.yaml
$bin up topologies/minimal.yaml --name $lab
$bin status $lab
$bin down $lab
trap - EXIT
