#!/usr/bin/env python3
"""Edit-to-output latency of `formwerk watch`: on a generated site (default 10,000 pages),
edit one page's body at a time and measure from the write until the page's new output is on
disk. Prints p50, p95 and max over the runs.

usage: bench/watch_latency.py [--pages 10000] [--runs 100] [--binary target/release/formwerk]
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--binary", default=os.path.join(REPO, "target", "release", "formwerk"))
    ap.add_argument("--debounce-ms", type=int, default=20)
    ap.add_argument("--theme", help="a theme folder to copy into the site (for binaries before 0.2.0)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="formwerk-latency-")
    site = os.path.join(work, "site-src")
    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), site, "--pages", str(args.pages)], check=True)
    # A binary from before 0.2.0 has no built-in theme: --theme names the folder it needs.
    if args.theme:
        shutil.copytree(args.theme, os.path.join(site, "themes", "default"))
    watcher = subprocess.Popen(
        [args.binary, "watch", "--root", site, "--debounce-ms", str(args.debounce_ms)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        for line in watcher.stdout:
            if line.startswith("start:"):
                print("initial build:", line.strip())
                break
        rng = random.Random(7)
        sections = sorted(d for d in os.listdir(os.path.join(site, "content")) if d.startswith("bereich-"))
        latencies = []
        for run in range(args.runs):
            section = rng.choice(sections)
            pages = sorted(p for p in os.listdir(os.path.join(site, "content", section)) if p.startswith("seite-"))
            name = rng.choice(pages)
            source = os.path.join(site, "content", section, name)
            output = os.path.join(site, "site", section, name[:-3], "index.html")
            marker = f"Messpunkt-{run}-{time.time_ns()}"
            with open(source, encoding="utf-8") as f:
                text = f.read()
            start = time.perf_counter()
            with open(source, "w", encoding="utf-8") as f:
                f.write(text.rstrip("\n") + f"\n\n{marker}\n")
            deadline = start + 10
            while True:
                try:
                    with open(output, encoding="utf-8") as f:
                        if marker in f.read():
                            break
                except FileNotFoundError:
                    pass
                if time.perf_counter() > deadline:
                    sys.exit(f"run {run}: no new output after 10 s")
                time.sleep(0.0005)
            latencies.append((time.perf_counter() - start) * 1000)
            watcher.stdout.readline()  # the rebuild's line
            time.sleep(0.05)
        latencies.sort()
        p = lambda q: latencies[min(len(latencies) - 1, int(round(q * (len(latencies) - 1))))]
        print(f"pages={args.pages} runs={args.runs} debounce={args.debounce_ms} ms")
        print(f"p50={p(0.50):.1f} ms p95={p(0.95):.1f} ms max={latencies[-1]:.1f} ms mean={statistics.mean(latencies):.1f} ms")
    finally:
        watcher.terminate()
        watcher.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
