#!/usr/bin/env bash
# Builds the same generated corpus with Formwerk, Zola and Hugo (each when available), the
# fair way: on disk, every run of every tool into an output folder that does not exist yet
# (the previous one is renamed aside and deleted, and the disk synced, outside the timed
# run), the tools taking turns run by run. Prints wall time, CPU time (user+sys) and peak
# memory of every run, their medians and the ratios to Formwerk; then Formwerk's rebuild with
# nothing changed; and at the end a table ready to paste into docs/performance.md.
#
# Formwerk writes its search index; Zola's is switched off (on, Zola takes several times as
# long); Hugo has none. All three render comparable pages: navigation of the top sections with
# the current one marked, breadcrumbs, a table of contents, a section's list of its pages.
#
# usage: bench/compare.sh [PAGES=10000] [RUNS=5] [WORK_DIR]
#   TMPFS=0  skip the second column: every tool again with sources and output on /dev/shm
#            (on by default; not what a user sees, whose site lies on disk)
#   FORMWERK_ONLY=1  leave Zola and Hugo out even when they are on PATH
#   KEEP_OLD=0 delete each old output before the next run instead of after all runs (see
#              fresh() below)
#   FORMWERK=path  the formwerk binary (default: target/release/formwerk, built if missing)
#   BEFORE=path    another formwerk binary (an earlier commit's), measured as one more tool
#                  taking its turn on the same corpus: a change's before and after side by side;
#                  BEFORE_THEME=dir, the theme folder it needs if it is older than 0.2.0 (which
#                  built the theme in); a later binary needs none
# needs: python3, GNU time (/usr/bin/time); zola and hugo are compared when on PATH (Zola is
# not packaged: build it from github.com/getzola/zola with `cargo build --release`; Hugo:
# apt-get install -y hugo).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
pages=${1:-10000}
runs=${2:-5}
work=${3:-$(mktemp -d /var/tmp/formwerk-bench-XXXX)}
bin=${FORMWERK:-$repo/target/release/formwerk}
[ -x "$bin" ] || (cd "$repo" && cargo build --release --locked)
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install -y time" >&2; exit 1; }

tools=(formwerk)
before=${BEFORE:-}
if [ -n "$before" ]; then tools+=(before); fi
if [ -z "${FORMWERK_ONLY:-}" ]; then
  command -v zola >/dev/null && tools+=(zola)
  command -v hugo >/dev/null && tools+=(hugo)
fi

# The Zola side: the same content, templates like Formwerk's default theme.
zola_site() { # dir
  local dir=$1
  cat >"$dir/config.toml" <<'EOF'
base_url = "/"
title = "Benchmark"
default_language = "de"
compile_sass = false
build_search_index = false
generate_feeds = false
EOF
  mkdir -p "$dir/templates" "$dir/static"
  cat >"$dir/templates/base.html" <<'EOF'
<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %} – {{ config.title }}</title>
<link rel="stylesheet" href="{{ get_url(path='formwerk.css') }}"></head>
<body>
<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>
<header class="site-header"><div class="wrap"><a class="site-title" href="{{ config.base_url }}">{{ config.title }}</a></div>
{% set home = get_section(path="_index.md", metadata_only=true) %}
<nav class="site-nav" aria-label="Hauptnavigation"><ul class="wrap">
<li><a href="{{ home.permalink }}"{% if current_path == "/" %} aria-current="page"{% endif %}>{{ home.title }}</a></li>
{% for s in home.subsections | slice(end=11) %}{% set sec = get_section(path=s, metadata_only=true) %}<li><a href="{{ sec.permalink }}"{% if current_path is starting_with(sec.path) %} aria-current="page"{% endif %}>{{ sec.title }}</a></li>
{% endfor %}{% if home.subsections | length > 11 %}<li><a href="{{ home.permalink }}#children-title">Alle Bereiche</a></li>{% endif %}</ul></nav></header>
<main id="inhalt" class="wrap" tabindex="-1">
{% block crumbs %}{% endblock %}
{% block main %}{% endblock %}
</main>
<footer class="site-footer"><div class="wrap"><p>{{ config.title }}</p></div></footer>
</body></html>
EOF
  cat >"$dir/templates/crumbs.html" <<'EOF'
{% macro crumbs(ancestors, title) %}<nav class="breadcrumbs" aria-label="Sie sind hier"><ol>{% for a in ancestors %}{% set s = get_section(path=a, metadata_only=true) %}<li><a href="{{ s.permalink }}">{{ s.title }}</a></li>{% endfor %}<li aria-current="page">{{ title }}</li></ol></nav>{% endmacro %}
EOF
  cat >"$dir/templates/section.html" <<'EOF'
{% extends "base.html" %}{% import "crumbs.html" as c %}
{% block title %}{{ section.title }}{% endblock %}
{% block crumbs %}{% if section.ancestors | length > 0 %}{{ c::crumbs(ancestors=section.ancestors, title=section.title) }}{% endif %}{% endblock %}
{% block main %}<article class="prose"><h1>{{ section.title }}</h1>{{ section.content | safe }}</article>
<section class="children"><h2 id="children-title">Seiten in diesem Bereich</h2><ul class="cards">
{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li class="card"><a href="{{ sub.permalink }}">{{ sub.title }}</a>{% if sub.description %}<p>{{ sub.description }}</p>{% endif %}</li>
{% endfor %}{% for p in section.pages %}<li class="card"><a href="{{ p.permalink }}">{{ p.title }}</a>{% if p.description %}<p>{{ p.description }}</p>{% endif %}</li>
{% endfor %}</ul></section>{% endblock %}
EOF
  cp "$dir/templates/section.html" "$dir/templates/index.html"
  cat >"$dir/templates/page.html" <<'EOF'
{% extends "base.html" %}{% import "crumbs.html" as c %}
{% block title %}{{ page.title }}{% endblock %}
{% block crumbs %}{{ c::crumbs(ancestors=page.ancestors, title=page.title) }}{% endblock %}
{% block main %}<article class="prose"><h1>{{ page.title }}</h1>
{% if page.toc | length > 2 %}<nav class="toc"><h2>Inhalt dieser Seite</h2><ol>{% for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a>{% if h.children %}<ol>{% for s in h.children %}<li><a href="#{{ s.id }}">{{ s.title }}</a></li>{% endfor %}</ol>{% endif %}</li>{% endfor %}</ol></nav>{% endif %}
{{ page.content | safe }}</article>
<nav class="pager">{% if page.lower %}<a rel="prev" href="{{ page.lower.permalink }}">{{ page.lower.title }}</a>{% endif %}{% if page.higher %}<a rel="next" href="{{ page.higher.permalink }}">{{ page.higher.title }}</a>{% endif %}</nav>{% endblock %}
EOF
  # Sections list their pages by weight, as Formwerk and the Hugo layouts do.
  find "$dir/content" -name _index.md -exec sed -i '2i sort_by = "weight"' {} +
  # Forms are Formwerk's; Zola would only copy them.
  find "$dir/content" -name '*.form.toml' -delete
}

prepare() { # base dir: writes the corpus for every tool below it
  local base=$1
  python3 "$here/generate.py" "$base/formwerk" --pages "$pages" >/dev/null # starts afresh
  if [ -n "$before" ]; then
    # Its own copy; a binary from before 0.2.0 has no built-in theme: it gets BEFORE_THEME.
    rm -rf "$base/before"
    cp -r "$base/formwerk" "$base/before"
    if [ -n "${BEFORE_THEME:-}" ]; then
      mkdir -p "$base/before/themes"
      cp -r "$BEFORE_THEME" "$base/before/themes/default"
    fi
  fi
  rm -rf "$base/hugo" "$base/zola"
  mkdir -p "$base/hugo" "$base/zola"
  cp -r "$base/formwerk/content" "$base/hugo/content"
  cp -r "$here/hugo/hugo.toml" "$here/hugo/layouts" "$base/hugo/"
  cp -r "$base/formwerk/content" "$base/zola/content"
  zola_site "$base/zola"
}

build_cmd() { # tool base output → the command line
  case $1 in
    formwerk) echo "$bin build --root $2/formwerk --output $3" ;;
    before) echo "$before build --root $2/before --output $3" ;;
    zola) echo "zola --root $2/zola build --output-dir $3" ;;
    hugo) echo "hugo --source $2/hugo --destination $3 --quiet" ;;
  esac
}

# Times one command; appends "label wall cpu peak_mib" to $results and shows it.
measure() { # label command...
  local label=$1 out
  shift
  out=$(mktemp)
  if ! /usr/bin/time -o "$out" -f "%e %U %S %M" "$@" >/dev/null 2>"$out.err"; then
    echo "$label failed:" >&2
    cat "$out.err" >&2
    exit 1
  fi
  awk -v l="$label" '{ printf "%s %.3f %.3f %.1f\n", l, $1, $2 + $3, $4 / 1024 }' "$out" | tee -a "$results" |
    awk '{ printf "  %-26s %7.2f s wall %7.2f s cpu %6.0f MiB\n", $1, $2, $3, $4 }'
  rm -f "$out" "$out.err"
}

# A fresh output folder: the last one is moved into a folder of old outputs that is deleted
# only when all runs are done. Deleting it here would tax the next run: on ext4 without a
# journal (as on this benchmark's machine; /proc/fs/jbd2 lists none) a freed inode is not
# used again for 60 s (6 minutes while its inode table is unwritten), and ext4 looking for a
# free one reads every such inode again for each file and folder it creates
# (recently_deleted() in fs/ext4/ialloc.c). A build started after deleting the last build's
# 100,000 files and folders spends seconds in that loop, more the bigger the site and the
# more runs came before, whichever tool builds: a cost of the benchmark, not of building.
# KEEP_OLD=0 deletes at once and measures it.
fresh() { # output
  if [ -e "$1" ]; then
    if [ "${KEEP_OLD:-1}" = 1 ]; then
      mkdir -p "$(dirname "$1")/old-outputs"
      mv "$1" "$(dirname "$1")/old-outputs/$(basename "$1").$(date +%s%N)"
    else
      mv "$1" "$1.old"
      rm -rf "$1.old"
    fi
  fi
  rm -f "$(dirname "$1")/.$(basename "$1").formwerk-"*
  sync
}

round() { # base suffix: one timed run of every tool, in turn
  local base=$1 suffix=$2 tool
  for tool in "${tools[@]}"; do
    fresh "$base/out-$tool"
    # shellcheck disable=SC2046
    measure "$tool$suffix" $(build_cmd "$tool" "$base" "$base/out-$tool")
  done
}

results=$(mktemp)
prepare "$work"
bytes=$(find "$work/formwerk/content" -name '*.md' -print0 | xargs -0 cat | wc -c)
tmpfs=${TMPFS:-1}
cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -1)
machine="$cpu, $(nproc) cores (nproc), $(free -g | awk '/Mem:/ {print $2}') GiB"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
disk=$(df -T "$work" | awk 'NR == 2 {print $2 " on " $1}')
versions="formwerk $("$bin" --version 2>/dev/null | cut -d' ' -f2)"
command -v zola >/dev/null && versions+=", $(zola --version)"
command -v hugo >/dev/null && versions+=", hugo $(hugo version | cut -d' ' -f2)"
echo "corpus: $pages pages, $((bytes / 1000000)) MB of Markdown, in $work ($disk)"
echo "machine: $machine"
echo "tools: $versions"
echo "runs: $runs of each, in turn"
for i in $(seq 1 "$runs"); do
  echo "run $i"
  round "$work" ""
done
echo "Formwerk, nothing changed since the last build"
for i in $(seq 1 "$runs"); do
  measure formwerk-no-change $(build_cmd formwerk "$work" "$work/out-formwerk")
  if [ -n "$before" ]; then
    measure before-no-change $(build_cmd before "$work" "$work/out-before")
  fi
done
if [ "$tmpfs" = 1 ]; then
  shm=$(mktemp -d /dev/shm/formwerk-bench-XXXX)
  prepare "$shm"
  for i in $(seq 1 "$runs"); do
    echo "run $i on tmpfs"
    round "$shm" "-tmpfs"
  done
  rm -rf "$shm"
fi

median() { # label column
  grep "^$1 " "$results" | awk -v c="$2" '{print $c}' | sort -n |
    awk '{a[NR] = $1} END {if (NR) print a[int((NR + 1) / 2)]}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
f2() { awk -v a="$1" 'BEGIN {printf "%.2f", a}'; }
fw=$(median formwerk 2)
nc=$(median formwerk-no-change 2)
echo
echo "medians of $runs:"
for tool in "${tools[@]}"; do
  echo "  $tool: $(median "$tool" 2) s wall, $(median "$tool" 3) s cpu, $(median "$tool" 4) MiB peak"
done
echo "  formwerk, nothing changed: $nc s = $(ratio "$nc" "$fw") of a full build"
if [ -n "$before" ]; then
  bnc=$(median before-no-change 2)
  echo "  before, nothing changed: $bnc s = $(ratio "$bnc" "$(median before 2)") of its full build"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# The table for docs/performance.md.
label() {
  case $1 in
    formwerk) echo "Formwerk (search index on)" ;;
    before) echo "Formwerk before ($("$before" --version | cut -d' ' -f2-))" ;;
    zola) echo "$(zola --version | sed 's/zola/Zola/') (search index off)" ;;
    hugo) echo "Hugo $(hugo version | cut -d' ' -f2 | sed 's/^v//; s/-.*//')" ;;
  esac
}
echo
echo "--- table for docs/performance.md ---"
echo "$(date -u '+%Y-%m-%d %H:%M') UTC; $machine; load average $load_before before, $load_after after;"
echo "$pages pages ($((bytes / 1000000)) MB of Markdown), output on $disk; $versions;"
echo "medians of $runs runs per tool, taken in turn, each into a new output folder (bench/compare.sh $pages $runs):"
echo
fwcpu=$(median formwerk 3)
if [ "$tmpfs" = 1 ]; then
  fwt=$(median formwerk-tmpfs 2)
  echo "| | wall (disk) | Formwerk/tool | CPU (user+sys) | Formwerk/tool | peak memory | wall (tmpfs) | Formwerk/tool |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
else
  echo "| | wall (disk) | Formwerk/tool | CPU (user+sys) | Formwerk/tool | peak memory |"
  echo "|---|---:|---:|---:|---:|---:|"
fi
for tool in "${tools[@]}"; do
  wall=$(median "$tool" 2)
  tcpu=$(median "$tool" 3)
  row="| $(label "$tool") | $(f2 "$wall") s | $(ratio "$fw" "$wall") | $(f2 "$tcpu") s | $(ratio "$fwcpu" "$tcpu") | $(median "$tool" 4 | cut -d. -f1) MiB |"
  if [ "$tmpfs" = 1 ]; then
    twall=$(median "$tool-tmpfs" 2)
    row+=" $(f2 "$twall") s | $(ratio "$fwt" "$twall") |"
  fi
  echo "$row"
done
echo "| Formwerk, nothing changed | $(f2 "$nc") s ($(ratio "$nc" "$fw") of a full build) | | $(f2 "$(median formwerk-no-change 3)") s | | $(median formwerk-no-change 4 | cut -d. -f1) MiB |"
rm -f "$results"
rm -rf "$work/old-outputs"
