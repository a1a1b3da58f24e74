#!/usr/bin/env python3
"""How precisely chart findings point at what a person edits, over the whole shared corpus.

Lints every chart of ../shared/corpus/charts (default values and each ci/*.yaml variant) with
the release binary and prints:
  1. the share of chart findings whose primary location is one of the chart's own source
     files (values files, templates, Chart.yaml, crds/), not a rendered stream (goal 100%);
  2. of the findings whose value came from the values (the JSON `valuesPath`), the share
     that point at the values key rather than at the template (goal 100%);
  3. for honesty, findings left on a template line that reads `.Values`: places where a
     value may have come from the values without the source map seeing it print.
Exits 1 when share 1 is below 100%.

Usage: scripts/location_coverage.py [path/to/plimsoll]
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHARTS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "charts")


def main():
    if not os.path.isdir(CHARTS):
        print("SKIPPED: ../shared/corpus/charts not found")
        return 0
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "plimsoll")
    out = subprocess.run(
        [binary, "check", CHARTS, "--ci-values", "--no-config", "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    if out.returncode not in (0, 1):
        print(out.stderr, file=sys.stderr)
        return 2
    findings = json.loads(out.stdout)["findings"]
    charts_dir = os.path.realpath(CHARTS)

    def chart_source(path):
        real = os.path.realpath(path)
        return os.path.isfile(real) and real.startswith(charts_dir + os.sep)

    in_sources = [f for f in findings if chart_source(f["location"]["file"])]
    from_values = [f for f in findings if f["valuesPath"]]
    at_key = [f for f in from_values if "/templates/" not in f["location"]["file"]]
    reads_values = []
    for f in findings:
        loc = f["location"]
        if f["valuesPath"] or "/templates/" not in loc["file"] or not chart_source(loc["file"]):
            continue
        with open(loc["file"], encoding="utf-8", errors="replace") as fh:
            lines = fh.read().split("\n")
        if ".Values" in lines[loc["line"] - 1]:
            reads_values.append(f)

    def share(part, whole):
        return 100.0 * len(part) / len(whole) if whole else 100.0

    charts = len([d for d in os.listdir(CHARTS) if os.path.isdir(os.path.join(CHARTS, d))])
    print(f"location coverage over {charts} corpus charts (default values and ci/ variants):")
    print(f"  chart findings:                         {len(findings)}")
    print(f"  primary location in the chart's files:  {len(in_sources)} ({share(in_sources, findings):.1f}%)")
    print(f"  value came from values:                 {len(from_values)}")
    print(f"    ... pointing at the values key:       {len(at_key)} ({share(at_key, from_values):.1f}%)")
    print(f"  on a template line that reads .Values:  {len(reads_values)} (value not seen printed from values)")
    for f in findings:
        if f not in in_sources:
            print(f"  NOT IN CHART SOURCES: {f['rule']} {f['location']['file']}:{f['location']['line']}")
    return 0 if len(in_sources) == len(findings) else 1


if __name__ == "__main__":
    sys.exit(main())
