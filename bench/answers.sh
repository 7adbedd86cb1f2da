#!/usr/bin/env bash
# `formwerk answers` on generated answers files of the bundled form: wall time, CPU time and
# peak memory (GNU time) for XLSX and CSV together, at several file counts, so that memory can
# be seen growing with the answers (their bytes on disk are printed beside), not with copies.
# Per run also the load average (the machine is shared); then the median of each count.
#
# usage: bench/answers.sh [--pdf] [--encrypted] [COUNTS="1000 5000 20000"] [RUNS=3] [WORK_DIR]
#   --pdf        write one filled PDF per application (--pdf DIR) instead of XLSX and CSV
#                (issue 28: 500 files ≤ 10 s)
#   --encrypted  the files as the page's encrypted submissions (.jwe) of the bundled form with
#                `[submission] encrypt_to` (bench/encrypted_site.sh), read with --key and
#                --passphrase-file: the key file opened once, every file decrypted
#                (issue 28: 500 files ≤ 3 s; plain files: 5,000 ≤ 0.5 s)
# needs: node, GNU time (/usr/bin/time), a release build (cargo build --release).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
pdf=false
encrypted=false
while [ $# -gt 0 ]; do
  case "$1" in
    --pdf) pdf=true ;;
    --encrypted) encrypted=true ;;
    --*) echo "unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
counts=${1:-1000 5000 20000}
runs=${2:-3}
work=${3:-$(mktemp -d /tmp/formwerk-answers-XXXX)}
bin=${FORMWERK:-$repo/target/release/formwerk}
[ -x "$bin" ] || (cd "$repo" && cargo build --release --locked)

if $encrypted; then
  keyfile=$("$here/encrypted_site.sh" "$work")
  root="$work/enc/root"
  site="$root/site"
  seal_args=(--key "$keyfile" --passphrase-file "$work/enc/passphrase")
  gen_args=(--encrypted)
  kind=encrypted
else
  root="$repo"
  site="$work/site"
  [ -d "$site" ] || "$bin" build --root "$repo" --output "$site" >/dev/null
  seal_args=()
  gen_args=()
  kind=plain
fi
if $pdf; then
  out_args=(--pdf "$work/pdf-out")
  out_what="PDFs"
else
  out_args=(--xlsx "$work/out.xlsx" --csv "$work/out.csv")
  out_what="XLSX + CSV"
fi
echo "date: $(date -Is)"
echo "commit: $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- . ':!bench' || echo ' (with changes)')"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | sed -n 's/Model name: *//p' | head -1)"
echo "binary: $bin; $kind answers files, writing $out_what; work dir $work"
printf '%8s %10s %10s %10s %10s %10s %8s\n' files "MB in" "wall s" "cpu s" "peak MiB" "out MB" load
results=$(mktemp)
for n in $counts; do
  dir="$work/answers-$kind-$n"
  [ -f "$dir/manifest.json.txt" ] || node "$repo/tests/answers/generate.mjs" "$site/projektbeschreibung/index.html" "$dir" --count "$n" "${gen_args[@]}" >/dev/null
  files=$(find "$dir" -type f \( -name '*.json' -o -name '*.jwe' \) | wc -l)
  mb=$(du -sb "$dir" | awk '{printf "%.1f", $1 / 1e6}')
  for ((r = 1; r <= runs; r++)); do
    rm -rf "$work/pdf-out" "$work/out.xlsx" "$work/out.csv"
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" answers --root "$root" projektbeschreibung "$dir" \
      "${out_args[@]}" "${seal_args[@]}" >"$work/stdout" || true
    read -r wall user sys peak < <(tail -1 "$work/time")
    out_mb=$(du -scb "$work/pdf-out" "$work/out.xlsx" "$work/out.csv" 2>/dev/null | awk '$2 == "total" {printf "%.1f", $1 / 1e6}' || true)
    printf '%8s %10s %10s %10.2f %10.1f %10s %8s\n' "$files" "$mb" "$wall" "$(echo "$user + $sys" | bc)" \
      "$(echo "$peak / 1024" | bc -l)" "$out_mb" "$load" | tee -a "$results"
  done
  tail -1 "$work/stdout"
done
echo "median run (by wall time):"
for n in $counts; do
  files=$(find "$work/answers-$kind-$n" -type f \( -name '*.json' -o -name '*.jwe' \) | wc -l)
  awk -v f="$files" '$1 == f {print $3, $4, $5}' "$results" | sort -n | awk -v f="$files" \
    '{ w[NR]=$1; c[NR]=$2; m[NR]=$3 } END { i=int((NR+1)/2); printf "  %6s files: %.2f s wall, %.2f s cpu, %.1f MiB peak\n", f, w[i], c[i], m[i] }'
done
rm -f "$results"
