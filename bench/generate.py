#!/usr/bin/env python3
"""Generates a benchmark corpus: N Markdown pages in sections (TOML front matter between +++
lines; headings, lists, tables, emphasis; about 4 KB each), some forms, and a formwerk.toml.
The same content builds with Hugo and Zola too (see bench/compare.sh).

usage: bench/generate.py OUT_DIR [--pages 10000] [--sections 100] [--forms 10] [--seed 1]
"""
import argparse
import os
import random
import shutil

WORDS = (
    "Bestandsaufnahme Handlungskonzept Integration Teilhabe Kommune Landkreis Bildung Beruf "
    "Sprache Gleichstellung Ehrenamt Engagement Öffnung Maßnahme Ziel Bevölkerung Arbeitsmarkt "
    "Soziales Koordinierung Vernetzung Projekt Veranstaltung Fachtagung Fortbildung Struktur "
    "Träger Organisation Verwaltung Beratung Förderung Bewilligung Antrag Planung Umsetzung "
    "und der die das mit für von zu im auf bei nach über unter sowie oder auch sind wird werden"
).split()


def sentence(rng, n=None):
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(8, 18))]
    if rng.random() < 0.3:
        i = rng.randrange(len(words))
        words[i] = f"*{words[i]}*"
    if rng.random() < 0.2:
        i = rng.randrange(len(words))
        words[i] = f"**{words[i]}**"
    return " ".join(words).capitalize() + "."


def page(rng, title, weight):
    out = [
        "+++",
        f'title = "{title}"',
        f'description = "{sentence(rng, 8)[:-1]}"',
        f"weight = {weight}",
        "+++",
        "",
        " ".join(sentence(rng) for _ in range(4)),
        "",
    ]
    for h in range(rng.randint(3, 4)):
        out += [f"## {sentence(rng, 3)[:-1]} {h + 1}", ""]
        out += [" ".join(sentence(rng) for _ in range(rng.randint(3, 5))), ""]
        out += [f"- {sentence(rng, 6)}" for _ in range(rng.randint(3, 5))] + [""]
        if h == 1:
            out += ["| Bereich | Anzahl | Anteil |", "|---|---:|---:|"]
            out += [f"| {rng.choice(WORDS)} | {rng.randint(1, 9999)} | {rng.randint(1, 99)} % |" for _ in range(5)]
            out += [""]
        out += [" ".join(sentence(rng) for _ in range(rng.randint(2, 4))), ""]
    return "\n".join(out) + "\n"


FORM = """title = "Formular {n}"
version = "1"
intro = "Einleitung zum Formular {n}."

[[sections]]
id = "angaben"
title = "Angaben"

[[sections.fields]]
id = "name"
kind = "text"
label = "Name"
required = true

[[sections.fields]]
id = "bereiche"
kind = "multi_choice"
label = "Bereiche"
options = ["Bevölkerung", "Bildung", "Soziales"]
other = "Sonstiges"

[[sections.fields]]
id = "planung"
kind = "textarea"
label = "Planung"
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--sections", type=int, default=100)
    ap.add_argument("--forms", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-pdf", action="store_true", help="forms without their PDF (pdf = false)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    content = os.path.join(args.out, "content")
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(content)
    with open(os.path.join(args.out, "formwerk.toml"), "w") as f:
        f.write('title = "Benchmark"\nlanguage = "de"\ntheme = "default"\n\n[variables]\njahr = 2026\n')
    with open(os.path.join(content, "_index.md"), "w") as f:
        f.write('+++\ntitle = "Start"\n+++\n\nBenchmark-Korpus.\n')
    per_section = max(1, args.pages // args.sections)
    for s in range(args.sections):
        d = os.path.join(content, f"bereich-{s:03d}")
        os.makedirs(d)
        with open(os.path.join(d, "_index.md"), "w") as f:
            f.write(f'+++\ntitle = "Bereich {s}"\nweight = {s}\n+++\n\n{sentence(rng)}\n')
        for p in range(per_section):
            with open(os.path.join(d, f"seite-{p:04d}.md"), "w") as f:
                f.write(page(rng, f"Seite {s}-{p}", p))
    for n in range(args.forms):
        with open(os.path.join(content, f"bereich-{n % args.sections:03d}", f"formular-{n}.form.toml"), "w") as f:
            f.write(("pdf = false\n" if args.no_pdf else "") + FORM.format(n=n))


if __name__ == "__main__":
    main()
