#!/usr/bin/env bash
# Runs every test of Formwerk on a fresh Debian machine with the Rust toolchain.
set -euo pipefail
cd "$(dirname "$0")"
cargo test --locked --all-targets
