#!/usr/bin/env bash
# Writes theme-0.1.txt: the SHA-256 of every version of every file of the default theme that
# a Formwerk before 0.2.0 could have copied into a site (`formwerk init` copied the whole theme
# until 0.2.0 built it in), from the repository's history. `formwerk upgrade` removes a site's
# theme file that matches one of them (the editor did not change it), and the build names such
# copies (`old-theme-copy`). Run from the repository; the output is committed and not made
# again: later releases do not copy the theme, so the list is complete.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
last=${1:-02885d0}  # the last commit before the theme moved into the binary
out=crates/render/history/theme-0.1.txt
{
  echo "# sha256 path (below the theme's folder) first-seen-date first-seen-commit"
  git log --reverse --format='%h %cs' "$last" -- themes/default | while read -r commit date; do
    git ls-tree -r "$commit" -- themes/default | while read -r _ _ blob path; do
      echo "$(git cat-file blob "$blob" | sha256sum | cut -d' ' -f1) ${path#themes/default/} $date $commit"
    done
  done | sort -k1,2 -u -s | sort -k2,2 -k3,3 -s | awk '!seen[$1 " " $2]++'
} >"$out"
echo "wrote $out: $(grep -vc '^#' "$out") file versions"
