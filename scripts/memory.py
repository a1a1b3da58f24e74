#!/usr/bin/env python3
"""Peak memory of `plimsoll check -` on a generated ~20 MB multi-document stream.

Usage: scripts/memory.py [path/to/plimsoll] [megabytes]
Prints the input size and the child's peak RSS; exits 1 if RSS exceeds 10x the input size.
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
proc = subprocess.run([binary, "check", "-", "--no-config"], input=data, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if proc.returncode not in (0, 1):
    sys.stderr.write(proc.stderr.decode())
    sys.exit(2)
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
print(f"input: {len(data) / 1e6:.1f} MB, {i} documents; peak RSS: {peak_mb:.0f} MB ({peak_mb / (len(data) / 1e6):.1f}x input)")
sys.exit(0 if peak_mb <= 10 * len(data) / 1e6 else 1)
