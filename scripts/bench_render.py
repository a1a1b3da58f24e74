#!/usr/bin/env python3
"""Render the whole shared corpus with plimsoll and, in the same run, with the real Helm v4
engine (the helm-python-sdk library behind ../shared/tools/helm-render, called in-process
after a warm-up, so Python start-up is not counted). Prints both times and the ratio.

Usage: scripts/bench_render.py [--helm-iterations K] [--iterations K]
Needs: pip install helm-python-sdk (the script says SKIPPED without it or without the corpus).
"""
import importlib.machinery
import importlib.util
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
CORPUS = os.path.join(SHARED, "corpus")
TOOL = os.path.join(SHARED, "tools", "helm-render")


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def main():
    if not os.path.exists(os.path.join(CORPUS, "index.json")) or not os.path.exists(TOOL):
        print("SKIPPED: ../shared/corpus or ../shared/tools/helm-render not found")
        return 0
    loader = importlib.machinery.SourceFileLoader("helm_render", TOOL)
    spec = importlib.util.spec_from_loader("helm_render", loader)
    helm_render = importlib.util.module_from_spec(spec)
    try:
        loader.exec_module(helm_render)
    except SystemExit:
        print("SKIPPED: helm-python-sdk is not installed (pip install helm-python-sdk)")
        return 0

    index = json.load(open(os.path.join(CORPUS, "index.json")))
    variants = []
    for name, chart in sorted(index["charts"].items()):
        d = os.path.join(CORPUS, "charts", name)
        for v in chart["variants"]:
            variants.append((d, [os.path.join(d, f) for f in v["values"]]))

    def helm_pass():
        for d, files in variants:
            try:
                values = helm_render.load_values_files(files)
                helm_render.template(d, values)
            except Exception:  # Helm failures are part of the workload, as they are for plimsoll
                pass

    helm_iterations = arg("--helm-iterations", 2)
    helm_pass()  # warm-up
    best_helm = min(timed(helm_pass) for _ in range(helm_iterations))

    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "render_bench"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "examples", "render_bench")
    results = {}
    for threads in (1, 2):
        out = subprocess.run([exe, "--threads", str(threads), "--iterations", str(arg("--iterations", 5)), "--source-map"], capture_output=True, text=True, check=True).stdout
        print(out.strip())
        results[threads] = float(re.search(r"([\d.]+) ms", out).group(1)) / 1000.0

    print(f"helm (helm-python-sdk, in-process, sequential): {len(variants)} variants, best of {helm_iterations}: {best_helm * 1000:.1f} ms")
    print(f"speed-up vs Helm: {best_helm / results[2]:.1f}x on 2 threads (target >= 5x), {best_helm / results[1]:.1f}x on 1 thread")
    return 0


def timed(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


if __name__ == "__main__":
    sys.exit(main())
