#!/usr/bin/env bash
# Runs every test of Formwerk on a fresh Debian machine with the Rust toolchain and Node.js.
#
# Installs what the tests beyond Rust need: Debian's chromium (never a downloaded browser),
# pdftotext, fonts, Java for the Nu HTML Checker, qpdf and strace (tests/reads_once.rs counts
# what a build reads with it), and Python's venv; the pinned Python helpers (jsonschema,
# pikepdf, pypdf) go into a virtual environment of this script's own; npm packages come from
# the lock files, no browser download. Then it runs the Rust tests with the tests that need
# those tools (`--features external-tools`), the PDF calculations in pdf.js and the
# real-browser tests.
#
# Plain `cargo test` needs only the Rust toolchain: it runs every crate's tests and lists the
# tests that need more as ignored, each naming what it needs.
set -euo pipefail
cd "$(dirname "$0")"

need=()
for pkg in chromium poppler-utils fonts-dejavu-core fonts-liberation qpdf python3-venv strace; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1; then
    sudo=sudo
  else
    echo "test.sh: these Debian packages are missing and there is neither root nor sudo here." >&2
    echo "Install them once as root, then run ./test.sh again:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${need[*]}" >&2
    exit 2
  fi
  echo "Installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The Python helpers, pinned, in a virtual environment of our own (Debian's python3 with
# python3-venv; never the system's site-packages): the reference JSON Schema validator for
# tests/toml_schema.rs and the independent PDF readers for the PDF tests (tests/pdf/pdf_tool.py).
venv=tests/.venv
requirements=(tests/schema/requirements.txt tests/pdf/requirements.txt tests/seal/requirements.txt)
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python3" ] || ! cat "${requirements[@]}" | cmp -s - "$stamp"; then
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check \
    -r tests/schema/requirements.txt -r tests/pdf/requirements.txt -r tests/seal/requirements.txt
  cat "${requirements[@]}" >"$stamp"
fi
# Every test that runs python3 finds the environment's.
PATH="$PWD/$venv/bin:$PATH"
export PATH

# Where Cargo puts the binary (CARGO_TARGET_DIR and .cargo/config.toml respected): the node
# tests run it from there.
target_dir=$(cargo metadata --format-version 1 --no-deps --locked |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
export FORMWERK_BIN="$target_dir/debug/formwerk"

cargo test --locked --workspace --all-targets --features external-tools
# The committed seed copy against the ministry's original, where it lies beside the repository.
if [ -f ../shared/seed/projektbeschreibung-gliederung.txt ]; then
  cargo test --locked --features external-tools --test bundled_site -- --ignored committed_seed_copy_matches_shared_seed
else
  echo "NOT RUN: committed_seed_copy_matches_shared_seed (no ../shared/seed beside the repository)"
fi
cargo build --locked

# The PDFs' calculations in pdf.js's own scripting sandbox (Firefox's PDF reader), against
# formwerk answers.
(cd tests/pdfjs && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && npm test)

cd tests/browser
# --ignore-scripts: vnu-jar's install script would try to download a Java runtime.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
npm test
