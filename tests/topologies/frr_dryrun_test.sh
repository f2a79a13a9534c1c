#!/usr/bin/env bash
# Every FRR configuration shipped with a topology (topologies/*/*.conf) passes FRR's own
# dry run, `vtysh --dryrun`: a config that FRR would refuse line by line must not reach a
# lab, where it would show only as a router that never converges.
#   tests/topologies/frr_dryrun_test.sh [SOURCE_DIR]
set -euo pipefail
cd "${1:-$(dirname "$0")/../..}"
config_dir=$(mktemp -d)
trap 'rm -rf "$config_dir"' EXIT
: >"$config_dir/vtysh.conf"  # vtysh reads one from its config directory first
shopt -s nullglob
configs=(topologies/*/*.conf)
if [ ${#configs[@]} -eq 0 ]; then
  echo "frr_dryrun_test: no topologies/*/*.conf found" >&2
  exit 1
fi
failed=0
for conf in "${configs[@]}"; do
  if out=$(vtysh --dryrun --config_dir "$config_dir" -f "$conf" 2>&1); then
    echo "ok   $conf"
  else
    echo "FAIL $conf:"
    echo "$out" | sed 's/^/     /'
    failed=1
  fi
done
exit $failed
