#!/usr/bin/env bash
# Runs every test of Formwerk on a fresh Debian machine with the Rust toolchain and Node.js:
# installs what the browser tests need (Debian's chromium, pdftotext, fonts, Java for the Nu
# HTML Checker; npm packages from the lock file, no browser download) and what the PDF tests
# need (qpdf; pikepdf and pypdf from PyPI, pinned), then runs the Rust tests and the
# real-browser tests.
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

# Independent readers for the PDF tests (tests/pdf/pdf_tool.py).
if ! python3 -c 'import pikepdf, pypdf, sys; sys.exit(pikepdf.__version__ != "10.17.0" or pypdf.__version__ != "7.1.0")' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check -r tests/pdf/requirements.txt \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages -r tests/pdf/requirements.txt
fi

cargo test --locked --all-targets
cargo build --locked

cd tests/browser
# --ignore-scripts: vnu-jar's install script would try to download a Java runtime.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
npm test
