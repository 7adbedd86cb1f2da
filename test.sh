#!/usr/bin/env bash
# Runs every test of Formwerk on a fresh Debian machine with the Rust toolchain and Node.js:
# installs what the browser tests need (Debian's chromium, pdftotext, fonts, Java for the Nu
# HTML Checker; npm packages from the lock file, no browser download), Python test helpers
# (jsonschema; pikepdf and pypdf for the PDF tests, all pinned) and qpdf, then runs the Rust
# tests and the real-browser tests.
set -euo pipefail
cd "$(dirname "$0")"

need=()
for pkg in chromium poppler-utils fonts-dejavu-core fonts-liberation qpdf python3-pip; do
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
cargo build --locked

cd tests/browser
# --ignore-scripts: vnu-jar's install script would try to download a Java runtime.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
npm test
