#!/usr/bin/env bash
# reference_bench: the wall time of the reference experiment, as README's run command runs
# it, against its target (the whole default run under 3 minutes on 2 cores): one
# `blastlab run` of fb-2021-audit.yaml (the 2021 change alone) and, unless --run-only, the
# full `blastlab compare` of scripts/fb-2021-whatifs.yaml. The lab's bring-up time and
# memory are bringup_bench's (--shape fb-2021). Needs root; labs are named rb<pid>, and
# `blastlab run`/`compare` remove them, also on failure.
#
# usage: tests/bench/reference_bench.sh [--run-only] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
run_only=false
if [ "${1:-}" = "--run-only" ]; then
  run_only=true
  shift
fi
bin="${1:-build}/bin/blastlab"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
lab="rb$$"

now() { date +%s.%N; }
figure() { # name seconds target_s
  awk -v n="$1" -v s="$2" -v t="$3" 'BEGIN {
    printf "%-28s %7.1f s   target < %d s   %s\n", n, s, t, (s < t ? "ok" : "OVER") }'
}

start=$(now)
"$bin" run topologies/fb-2021.yaml scripts/fb-2021-audit.yaml --out "$out/run" --name "$lab" \
  >"$out/run.log" 2>&1 || { tail -20 "$out/run.log"; exit 1; }
run_s=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
converged=$(grep -o 'converged [0-9.]* s' "$out/run.log" | head -1)
echo "reference_bench: fb-2021 (32 nodes), lab ${converged:-converged ?}"
figure "run fb-2021-audit" "$run_s" 180
if ! $run_only; then
  start=$(now)
  "$bin" compare scripts/fb-2021-whatifs.yaml --out "$out/compare" --name "$lab" \
    >"$out/compare.log" 2>&1 || { tail -30 "$out/compare.log"; exit 1; }
  compare_s=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
  figure "compare (6 variants)" "$compare_s" 180
  grep -E '^== variant .*: (pass|fail|error)' "$out/compare.log" || true
fi
