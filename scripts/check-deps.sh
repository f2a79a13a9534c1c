#!/usr/bin/env bash
# Fails when the build used a Debian package that scripts/debian-packages.txt does not
# bring in. A developer's machine has packages a fresh one lacks; a build that compiles
# here only because of one of them breaks README's commands for a new user. This maps
# every header the compiler read (ninja's dependency log), every library and tool the
# link and compile lines name, to the package that owns it (dpkg -S), and checks each
# package is listed, pulled in by a listed one through Depends/Pre-Depends, or part of
# every Debian installation (Essential or Priority required).
#   scripts/check-deps.sh [BUILD_DIR]      (after a build; default build/)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
if [ ! -f "$build/build.ninja" ]; then
  echo "check-deps.sh: no ninja build in $build/ (run scripts/setup.sh first)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The files the build used: headers from the dependency log, then the absolute paths
#    on the compile and link lines (compiler, libraries, linker inputs).
{
  ninja -C "$build" -t deps | awk '/^    \// {print $1}'
  ninja -C "$build" -t commands | tr ' ' '\n' | grep -E '^/usr/' || true
} | grep -vE "^$(pwd)/" | sort -u >"$work/files"

# 2. Their packages, from dpkg's own file lists (one dpkg-query -S per file takes
#    minutes). dpkg knows a file by the path it installed, which may be a symlink's or
#    the other half of the merged /usr, so look up the path, its target and both halves.
awk '{p = FILENAME; sub(/.*\//, "", p); sub(/\.list$/, "", p); sub(/:.*/, "", p); print $0 "\t" p}' \
  /var/lib/dpkg/info/*.list >"$work/dpkg-files"
while read -r f; do
  printf '%s\t%s\n' "$f" "$f" "$(readlink -f "$f")" "$f" "${f#/usr}" "$f"
done <"$work/files" >"$work/candidates"
# candidates: "lookup<TAB>file"; the first owner found for a file wins
awk -F'\t' 'NR == FNR {owner[$1] = $2; next}
  !($2 in done) && ($1 in owner) {print owner[$1], $2; done[$2]}
  {seen[$2]} END {for (f in seen) if (!(f in done)) print f > "/dev/stderr"}' \
  "$work/dpkg-files" "$work/candidates" >"$work/owners" 2>"$work/unowned"

# 3. What setup.sh's list brings in: the listed packages, everything they depend on, and
#    what every Debian system has. Alternatives count when one of them is installed;
#    a virtual package stands for the installed packages that provide it.
dpkg-query -W -f='${Package}\t${Provides}\n' | awk -F'\t' '
  { n = split($2, p, /, */); for (i = 1; i <= n; i++) { split(p[i], w, / /); print w[1], $1 } }' \
  >"$work/provides"
dpkg-query -W -f='${Package}\t${Essential}\t${Priority}\t${db:Status-Abbrev}\n' |
  awk -F'\t' '$4 ~ /^ii/ {print $1 > "'"$work/installed"'"} $4 ~ /^ii/ && ($2 == "yes" || $3 == "required") {print $1}' \
    >"$work/queue"
sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' scripts/debian-packages.txt >>"$work/queue"
sort -u "$work/queue" -o "$work/queue"
: >"$work/closure"
while [ -s "$work/queue" ]; do
  sort -u "$work/closure" "$work/queue" -o "$work/closure"
  # shellcheck disable=SC2046
  dpkg-query -W -f='${Depends}, ${Pre-Depends}\n' $(cat "$work/queue") 2>/dev/null |
    tr ',' '\n' | sed -e 's/([^)]*)//g' -e 's/:any//g' -e 's/^ *//' -e 's/ *$//' -e '/^$/d' |
    tr '|' '\n' | sed -e 's/^ *//' -e 's/ *$//' | sort -u >"$work/deps"
  # a name is a package when installed, else a virtual one: take its providers
  {
    grep -Fxf "$work/installed" "$work/deps" || true
    awk 'NR == FNR {want[$1]; next} $1 in want {print $2}' "$work/deps" "$work/provides"
  } | sort -u | comm -23 - "$work/closure" >"$work/queue"
done

# 4. Every package the build used must be in that closure.
status=0
sort -k1,1 -u "$work/owners" | while read -r pkg file; do
  if ! grep -Fxq "$pkg" "$work/closure"; then
    echo "check-deps.sh: the build used $file from the Debian package $pkg," \
      "which scripts/debian-packages.txt does not bring in: add $pkg there" >&2
    echo missing
  fi
done >"$work/missing"
[ -s "$work/missing" ] && status=1
if [ -s "$work/unowned" ]; then
  echo "check-deps.sh: the build used files no Debian package owns (installed by hand?):" >&2
  sed 's/^/  /' "$work/unowned" >&2
  status=1
fi
used=$(cut -d' ' -f1 "$work/owners" | sort -u | wc -l)
if [ $status -eq 0 ]; then
  echo "check-deps.sh: the build used $(wc -l <"$work/files") files from $used Debian packages, all brought in by scripts/debian-packages.txt"
fi
exit $status
