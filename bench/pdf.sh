#!/usr/bin/env bash
# What PDFs add to a build: the PDF writer's own figures (cargo bench --bench pdf), then the
# generated corpus built with its forms' PDFs and without (pdf = false), alternately, with
# wall time, CPU time and peak memory of each run and the medians.
#
# usage: bench/pdf.sh [PAGES=10000] [RUNS=3] [FORMS=10] [WORK_DIR]
# needs: python3, GNU time (/usr/bin/time), a release build (cargo build --release).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
pages=${1:-10000}
runs=${2:-3}
forms=${3:-10}
work=${4:-$(mktemp -d /tmp/formwerk-pdf-bench-XXXX)}
bin=${FORMWERK:-$repo/target/release/formwerk}

(cd "$repo" && cargo bench --locked --bench pdf)
[ -x "$bin" ] || (cd "$repo" && cargo build --release --locked)

for variant in with without; do
  flag=""
  [ "$variant" = without ] && flag="--no-pdf"
  python3 "$here/generate.py" "$work/$variant" --pages "$pages" --forms "$forms" $flag >/dev/null
done
echo "corpus: $pages pages, $forms forms, in $work"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | sed -n 's/Model name: *//p' | head -1)"

results=$(mktemp)
for run in $(seq "$runs"); do
  for variant in with without; do
    rm -rf "$work/$variant/site" "$work/$variant/.site.formwerk-cache"
    out=$(mktemp)
    /usr/bin/time -o "$out" -f "%e %U %S %M" "$bin" build --root "$work/$variant" >/dev/null 2>&1
    awk -v l="$variant" '{ printf "%s %.3f %.3f %.0f\n", l, $1, $2 + $3, $4 / 1024 }' "$out" | tee -a "$results"
    rm -f "$out"
  done
done
echo "medians (wall s, cpu s, peak MiB):"
for variant in with without; do
  grep "^$variant " "$results" | awk '{print $2, $3, $4}' | sort -n | awk -v l="$variant" \
    '{ w[NR]=$1; c[NR]=$2; m[NR]=$3 } END { i=int((NR+1)/2); printf "  %-8s PDFs: %.3f s wall, %.3f s cpu, %.0f MiB\n", l, w[i], c[i], m[i] }'
done
pdfs=$(find "$work/with/site" -name '*.pdf' | wc -l)
echo "PDFs written: $pdfs, $(find "$work/with/site" -name '*.pdf' -print0 | xargs -0 cat | wc -c) bytes"
rm -f "$results"
