#!/usr/bin/env bash
# Runs every test of Formwerk on a fresh Debian machine with the Rust toolchain and Node.js:
# installs what the browser tests need (Debian's chromium, pdftotext, fonts, Java for the Nu
# HTML Checker; npm packages from the lock file, no browser download), Python test helpers
# (jsonschema; pikepdf and pypdf for the PDF tests, all pinned), qpdf and strace (with which
# tests/reads_once.rs counts what a build reads), then runs the Rust tests, the PDF
# calculations in pdf.js (npm pdfjs-dist, pinned) and the real-browser tests.
set -euo pipefail
cd "$(dirname "$0")"

need=()
for pkg in chromium poppler-utils fonts-dejavu-core fonts-liberation qpdf python3-pip strace; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if ((${#need[@]})); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "Installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The reference JSON Schema validator for tests/toml_schema.rs and the independent PDF
# readers for tests/pdf_form.rs (tests/pdf/pdf_tool.py), pinned.
pip_args=(--quiet --disable-pip-version-check -r tests/schema/requirements.txt -r tests/pdf/requirements.txt)
python3 -m pip install "${pip_args[@]}" || python3 -m pip install --break-system-packages "${pip_args[@]}"

cargo test --locked --all-targets
# The committed seed copy against the ministry's original, where it lies beside the repository.
if [ -f ../shared/seed/projektbeschreibung-gliederung.txt ]; then
  cargo test --locked --test bundled_site -- --ignored committed_seed_copy_matches_shared_seed
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
