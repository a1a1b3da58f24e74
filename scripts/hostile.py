#!/usr/bin/env python3
"""Time and peak memory of `plimsoll check` on every hostile chart (fixtures/hostile/cases.json).

Usage: python3 scripts/hostile.py [PLIMSOLL_BINARY]   (default target/release/plimsoll)

Each case runs as its own process beside a good chart and a good manifest (as the test does);
prints wall time, peak RSS (wait4 rusage), exit code and the limit or error hit. Exits 1 if a
case crashes (exit not 1/2), takes more than 30 s or uses more than 1 GiB. Figures only, no
assertions on speed beyond those bounds.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/plimsoll"))


def expand(spec):
    if isinstance(spec, str):
        return spec
    return "".join(text * count for text, count in spec)


def main():
    cases = json.load(open(os.path.join(ROOT, "fixtures/hostile/cases.json")))["cases"]
    bad = 0
    print(f"{'case':32} {'exit':>4} {'seconds':>8} {'peak MiB':>9}  diagnostic")
    for case in cases:
        with tempfile.TemporaryDirectory() as d:
            chart = os.path.join(d, "hostile")
            os.makedirs(os.path.join(chart, "templates"))
            open(os.path.join(chart, "Chart.yaml"), "w").write("apiVersion: v2\nname: hostile\nversion: 0.1.0\n")
            open(os.path.join(chart, "values.yaml"), "w").write("replicas: 1\n")
            open(os.path.join(chart, "templates", "t.yaml"), "w").write(expand(case["template"]))
            args = [BIN, "check", "--no-config", "--fail-on", "warning", "--format", "json", "hostile",
                    os.path.join(ROOT, "fixtures/hostile/good-chart"), os.path.join(ROOT, "fixtures/hostile/good-manifest.yaml")]
            args += [expand(a) for a in case.get("args", [])]
            out = tempfile.TemporaryFile()
            start = time.monotonic()
            proc = subprocess.Popen(args, cwd=d, stdout=out, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.monotonic() - start
            code = os.waitstatus_to_exitcode(status)
            peak_mib = usage.ru_maxrss / 1024
            out.seek(0)
            try:
                findings = json.load(out).get("findings", [])
            except ValueError:
                findings = []
            diag = next((f["message"].splitlines()[-1].strip() for f in findings
                         if f["location"]["file"].startswith("hostile") and f["rule"] == case["expect"]), "-")
            ok = code in (1, 2) and seconds <= 30 and peak_mib <= 1024
            bad += not ok
            print(f"{case['name']:32} {code:>4} {seconds:8.2f} {peak_mib:9.1f}  {'' if ok else 'FAIL '}{diag[:90]}")
    print(f"hostile charts: {len(cases) - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
