#!/usr/bin/env python3
"""Peak memory of `plimsoll check -` on a generated ~20 MB multi-document stream, for every
output format (the stream yields ~180k findings with the default rules).

Usage: scripts/memory.py [path/to/plimsoll] [megabytes]
Prints the input size and each format's peak RSS; exits 1 if any format reaches 25x the input
size (the requirement: a 20 MB stream must not take 500 MB).
"""
import resource
import subprocess
import sys

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/plimsoll"
target_mb = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0

DOC = """---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: team-{ns}
  labels: {{app: app-{i}, tier: "backend", version: "1.{i}"}}
  annotations:
    description: "Deployment number {i} with a unicode note: déploiement ✓"
spec:
  replicas: 3
  selector:
    matchLabels: {{app: app-{i}}}
  template:
    metadata:
      labels: {{app: app-{i}}}
    spec:
      containers:
        - name: app
          image: registry.example.com/team/app:1.{i}
          ports: [{{name: http, containerPort: 8080}}]
          env:
            - {{name: MODE, value: "yes"}}
            - {{name: INDEX, value: "{i}"}}
          readinessProbe: {{httpGet: {{path: /ready, port: http}}}}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
          command:
            - /bin/sh
            - -c
            - |
              echo starting {i}
              exec /app --port 8080
"""

parts, size, i = [], 0, 0
while size < target_mb * 1e6:
    d = DOC.format(i=i, ns=i % 17)
    parts.append(d)
    size += len(d.encode())
    i += 1
data = "".join(parts).encode()
worst = 0.0
for fmt in ["human", "json", "sarif", "github", "junit"]:
    # Each run is a separate child, so RUSAGE_CHILDREN's max is read with a fresh process.
    code = (
        "import resource,subprocess,sys;"
        f"p=subprocess.run([{binary!r},'check','-','--no-config','--format','{fmt}'],input=sys.stdin.buffer.read(),stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
        "sys.exit(2) if p.returncode not in (0,1) else print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    proc = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode())
        sys.exit(2)
    peak_mb = int(proc.stdout.decode().strip()) / 1024.0
    worst = max(worst, peak_mb)
    print(f"input: {len(data) / 1e6:.1f} MB, {i} documents; --format {fmt}: peak RSS {peak_mb:.0f} MB ({peak_mb / (len(data) / 1e6):.1f}x input)")
sys.exit(0 if worst < 25 * len(data) / 1e6 else 1)
