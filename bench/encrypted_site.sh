#!/usr/bin/env bash
# The bundled site with encrypted submissions, for the benchmarks of encrypted answers files
# (bench/answers.sh --encrypted, bench/inbox.mjs --encrypted, bench/attachment.mjs): a key
# pair made as the ministry makes it (`formwerk keys new --passphrase-file`, RSA 4096, the key
# file with 600,000 PBKDF2 rounds), the bundled form's `[submission] encrypt_to` naming the
# public key, the site built (by this binary, every time; keys and sources are made once per
# WORK_DIR and reused).
#
# usage: bench/encrypted_site.sh WORK_DIR
# writes: WORK_DIR/enc/root (the site's sources; built into root/site), WORK_DIR/enc/keys
#   (the key pair, outside the site: never beside its sources), WORK_DIR/enc/passphrase;
#   prints the key file's path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
work=${1:?usage: bench/encrypted_site.sh WORK_DIR}
bin=${FORMWERK:-$repo/target/release/formwerk}
enc="$work/enc"
if [ ! -f "$enc/ready" ]; then
  rm -rf "$enc"
  mkdir -p "$enc/root/schluessel"
  cp -r "$repo/formwerk.toml" "$repo/content" "$enc/root/"
  for extra in static templates themes; do
    [ ! -e "$repo/$extra" ] || cp -r "$repo/$extra" "$enc/root/"
  done
  echo "Benchmark Passphrase 2026" >"$enc/passphrase"
  "$bin" keys new --out "$enc/keys" --passphrase-file "$enc/passphrase" >/dev/null 2>&1
  cp "$enc"/keys/*.public.jwk.json "$enc/root/schluessel/ministerium.jwk"
  form="$enc/root/content/projektbeschreibung.form.toml"
  grep -q '^\[submission\]' "$form" && { echo "$form already has [submission]" >&2; exit 1; }
  printf '\n[submission]\nencrypt_to = "schluessel/ministerium.jwk"\n' >>"$form"
  touch "$enc/ready"
fi
# Built every time: the site is this binary's.
"$bin" build --root "$enc/root" >/dev/null
ls "$enc"/keys/*.key.jwe
