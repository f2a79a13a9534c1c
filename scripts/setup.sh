#!/usr/bin/env bash
# Installs the Debian packages blastlab needs (only the missing ones; fast when all are
# present) and builds Release into build/. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# scripts/debian-packages.txt lists them, one per line (# starts a comment).
mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' scripts/debian-packages.txt)

if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: run as root (it installs packages and the lab needs network namespaces)" >&2
  exit 3
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup.sh: installing ${missing[*]}"
  # The lab runs FRR, NSD and unbound inside its own namespaces only: keep the packages'
  # services from starting on the host while they are installed.
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
    made_policy=1
  fi
  trap '[ "$made_policy" = 1 ] && rm -f "$policy"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
