#!/usr/bin/env bash
# Set-up, then every test: unit tests in parallel, then the root lab tests one at a time
# (they time real packets). Fails if any test fails or if anything of a lab is left on the
# host afterwards. Under CI=true a skipped lab test fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || exit $?

netns_before=$(ls /run/netns 2>/dev/null | sort || true)
status=0
# A package this machine has but setup.sh does not install breaks a fresh machine's build.
scripts/check-deps.sh || status=1
ctest --test-dir build -L unit -j"$(nproc)" --output-on-failure --timeout 120 || status=1
lab_log=$(mktemp)
trap 'rm -f "$lab_log"' EXIT
ctest --test-dir build -L lab --output-on-failure --timeout 600 | tee "$lab_log" || status=1
if ! grep -q "tests passed" "$lab_log"; then
  echo "test.sh: the lab tests did not run" >&2
  status=1
fi
# A lab test that skips (no root, no FRR) proves nothing: under CI it fails the run.
if [ "${CI:-}" = "true" ] && grep -q "(Skipped)" "$lab_log"; then
  echo "test.sh: lab tests were skipped under CI=true; that is a failure" >&2
  status=1
fi

netns_after=$(ls /run/netns 2>/dev/null | sort || true)
if [ "$netns_before" != "$netns_after" ]; then
  echo "test.sh: the tests left namespaces behind:" >&2
  comm -13 <(echo "$netns_before") <(echo "$netns_after") >&2
  status=1
fi
exit $status
