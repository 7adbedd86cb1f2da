#!/usr/bin/env bash
# The fuzz targets of tests/fuzz.rs (answers file parse + check, PDF read_answers, German
# numbers, expressions) with many inputs each, in a release build: no panic, and no input may
# take longer than MAX_MS (a hang). Prints per target how many inputs ran and the slowest.
#
# usage: bench/fuzz.sh [CASES=100000] [MAX_MS=2000]
# needs: the Rust toolchain only (proptest runs on stable; cargo-fuzz would need nightly).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cases=${1:-100000}
max_ms=${2:-2000}
cd "$repo"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/Model name: *//p' | head -1)"
start=$(date +%s)
FUZZ_CASES=$cases FUZZ_MAX_MS=$max_ms cargo test --release --locked --test fuzz -- \
  --nocapture --test-threads=1 2>&1 | grep -E 'inputs, slowest|^test |test result|panicked'
echo "fuzz: $cases inputs per target in $(( $(date +%s) - start )) s"
