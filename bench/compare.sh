#!/usr/bin/env bash
# Builds the same generated corpus with Formwerk and with Hugo, alternately, and prints wall
# time, CPU time (user+sys) and peak memory of each run, the medians and their ratio; then
# Formwerk's rebuild with nothing changed.
#
# usage: bench/compare.sh [PAGES=10000] [RUNS=3] [WORK_DIR]
# needs: python3, GNU time (/usr/bin/time), hugo (apt-get install -y hugo), a release build
# (cargo build --release).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
pages=${1:-10000}
runs=${2:-3}
work=${3:-$(mktemp -d /tmp/formwerk-bench-XXXX)}
bin=${FORMWERK:-$repo/target/release/formwerk}

[ -x "$bin" ] || (cd "$repo" && cargo build --release --locked)
command -v hugo >/dev/null || { echo "hugo is missing: apt-get install -y hugo" >&2; exit 1; }

python3 "$here/generate.py" "$work/formwerk" --pages "$pages" >/dev/null  # starts afresh
cp -r "$repo/themes" "$work/formwerk/themes"
rm -rf "$work/hugo"
mkdir -p "$work/hugo"
cp -r "$work/formwerk/content" "$work/hugo/content"
cp -r "$here/hugo/hugo.toml" "$here/hugo/layouts" "$work/hugo/"
bytes=$(find "$work/formwerk/content" -name '*.md' -print0 | xargs -0 cat | wc -c)
echo "corpus: $pages pages, $((bytes / 1000000)) MB of Markdown, in $work"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | sed -n 's/Model name: *//p' | head -1)"
echo "hugo: $(hugo version | cut -d' ' -f2)"

measure() { # label, command... → "label wall cpu peak_mib"
  local label=$1; shift
  local out
  out=$(mktemp)
  /usr/bin/time -o "$out" -f "%e %U %S %M" "$@" >/dev/null 2>&1
  awk -v l="$label" '{ printf "%-22s %7.2f s wall %7.2f s cpu %6.0f MiB\n", l, $1, $2 + $3, $4 / 1024 }' "$out"
  rm -f "$out"
}

results=$(mktemp)
for i in $(seq 1 "$runs"); do
  rm -rf "$work/formwerk/site" "$work/formwerk/.site.formwerk-cache"
  measure formwerk-build "$bin" build --root "$work/formwerk" | tee -a "$results"
  rm -rf "$work/hugo/public"
  measure hugo hugo --source "$work/hugo" --quiet | tee -a "$results"
done
for i in $(seq 1 "$runs"); do
  measure formwerk-no-change "$bin" build --root "$work/formwerk" | tee -a "$results"
done

median() { grep "^$1 " "$results" | awk '{print $'"$2"'}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
fw=$(median formwerk-build 2); hu=$(median hugo 2); nc=$(median formwerk-no-change 2)
fwc=$(median formwerk-build 5); huc=$(median hugo 5)
fwm=$(median formwerk-build 8); hum=$(median hugo 8)
echo
echo "median wall: formwerk $fw s, hugo $hu s → ratio $(awk -v a="$fw" -v b="$hu" 'BEGIN {printf "%.2f", a / b}')"
echo "median cpu: formwerk $fwc s, hugo $huc s"
echo "median peak: formwerk $fwm MiB, hugo $hum MiB"
echo "no-change rebuild: $nc s = $(awk -v a="$nc" -v b="$fw" 'BEGIN {printf "%.2f", a / b}') of a full build"
