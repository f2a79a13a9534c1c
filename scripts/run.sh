#!/usr/bin/env bash
# blastlab's main job: the reference experiment. It replays, on a fresh fb-2021 lab, the
# backbone "capacity assessment" of 4 October 2021 let through by a buggy audit tool
# (scripts/fb-2021-audit.yaml), then each what-if of scripts/fb-2021-whatifs.yaml on a
# fresh lab of its own: the audit tool without its bug, healthd failing static, degrade
# instead of withdraw, a guard keeping the last sites announcing, a staged rollout halted
# by a gate. It prints the 2021 run's summary, the side-by-side comparison and the paths
# of the HTML reports (runs/fb-2021/); exit 1 if a variant's expectation failed. Every lab
# is removed when its variant ends, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

out=runs/fb-2021
rm -rf "$out"
build/bin/blastlab compare scripts/fb-2021-whatifs.yaml --out "$out" --name fb2021
