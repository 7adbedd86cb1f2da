#!/usr/bin/env bash
# `formwerk answers` on generated answers files of the bundled form: wall time, CPU time and
# peak memory (GNU time) for XLSX and CSV together, at several file counts, so that memory can
# be seen growing with the answers (their bytes on disk are printed beside), not with copies.
#
# usage: bench/answers.sh [COUNTS="1000 5000 20000"] [RUNS=3] [WORK_DIR]
# needs: node, GNU time (/usr/bin/time), a release build (cargo build --release).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
counts=${1:-1000 5000 20000}
runs=${2:-3}
work=${3:-$(mktemp -d /tmp/formwerk-answers-XXXX)}
bin=${FORMWERK:-$repo/target/release/formwerk}
[ -x "$bin" ] || (cd "$repo" && cargo build --release --locked)

"$bin" build --root "$repo" --output "$work/site" >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | sed -n 's/Model name: *//p' | head -1)"
printf '%8s %10s %10s %10s %10s %10s\n' files "MB in" "wall s" "cpu s" "peak MiB" "xlsx MB"
for n in $counts; do
  dir="$work/answers-$n"
  [ -f "$dir/manifest.json.txt" ] || node "$repo/tests/answers/generate.mjs" "$work/site/projektbeschreibung/index.html" "$dir" --count "$n" >/dev/null
  mb=$(du -sm --apparent-size "$dir" | cut -f1)
  for ((r = 1; r <= runs; r++)); do
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" answers --root "$repo" projektbeschreibung "$dir" \
      --xlsx "$work/out.xlsx" --csv "$work/out.csv" >/dev/null || true
    read -r wall user sys peak < <(tail -1 "$work/time")
    printf '%8s %10s %10s %10.2f %10.1f %10.1f\n' "$n" "$mb" "$wall" "$(echo "$user + $sys" | bc)" \
      "$(echo "$peak / 1024" | bc -l)" "$(echo "$(stat -c %s "$work/out.xlsx") / 1000000" | bc -l)"
  done
done
