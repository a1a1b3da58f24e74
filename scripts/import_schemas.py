#!/usr/bin/env python3
"""Build the bundled Kubernetes JSON schemas used by the `schema-invalid` rule.

Input: the PyPI package `kubernetes-validate` (a wheel or its unpacked directory), which ships
standalone-strict JSON schemas per Kubernetes version:

    pip download kubernetes-validate==1.37.0 --no-deps -d /tmp/kv
    python3 scripts/import_schemas.py /tmp/kv/kubernetes_validate-1.37.0-py3-none-any.whl

The package's schemas carry no enumerations of field values; a short table below adds the
ones Kubernetes enforces on commonly written fields (`imagePullPolicy`, Service `type`, ...).

Output (re-runnable, byte-identical for the same input): `schemas/kubernetes/index.json` and
`schemas/kubernetes/defs.bin`. Each version's `_definitions.json` is reduced to what validation
uses (no descriptions, no formats, no patch/list metadata), then identical definitions are
stored once: definitions are grouped by the exact set of versions that share them, and each
group is one zlib stream in `defs.bin`. Loading a version inflates only the groups it is in.
"""

import argparse
import hashlib
import io
import json
import os
import re
import sys
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA_DIR = "kubernetes_validate/kubernetes-json-schema"
# Schema keywords kept; everything else (description, format, x-kubernetes-* metadata) goes.
# Enumerations the API server enforces (`+enum` types in the Kubernetes sources) that the
# package's schemas leave out: (definition suffix, property) -> allowed values. A listed
# property missing from every version is an error, so a typo here cannot go unnoticed.
CORE = "io.k8s.api.core.v1."
ENUMS = {
    (CORE + "Container", "imagePullPolicy"): ["Always", "IfNotPresent", "Never"],
    (CORE + "EphemeralContainer", "imagePullPolicy"): ["Always", "IfNotPresent", "Never"],
    (CORE + "Container", "terminationMessagePolicy"): ["FallbackToLogsOnError", "File"],
    (CORE + "EphemeralContainer", "terminationMessagePolicy"): ["FallbackToLogsOnError", "File"],
    (CORE + "ContainerPort", "protocol"): ["SCTP", "TCP", "UDP"],
    (CORE + "ServicePort", "protocol"): ["SCTP", "TCP", "UDP"],
    (CORE + "PodSpec", "restartPolicy"): ["Always", "Never", "OnFailure"],
    (CORE + "PodSpec", "dnsPolicy"): ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
    (CORE + "ServiceSpec", "type"): ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
    (CORE + "ServiceSpec", "sessionAffinity"): ["ClientIP", "None"],
    (CORE + "ServiceSpec", "externalTrafficPolicy"): ["Cluster", "Local"],
    (CORE + "ServiceSpec", "internalTrafficPolicy"): ["Cluster", "Local"],
    (CORE + "Toleration", "operator"): ["Equal", "Exists"],
    (CORE + "Toleration", "effect"): ["NoExecute", "NoSchedule", "PreferNoSchedule"],
    (CORE + "Taint", "effect"): ["NoExecute", "NoSchedule", "PreferNoSchedule"],
    (CORE + "NodeSelectorRequirement", "operator"): ["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"],
    (CORE + "TopologySpreadConstraint", "whenUnsatisfiable"): ["DoNotSchedule", "ScheduleAnyway"],
    (CORE + "HTTPGetAction", "scheme"): ["HTTP", "HTTPS"],
    (CORE + "SeccompProfile", "type"): ["Localhost", "RuntimeDefault", "Unconfined"],
    (CORE + "PersistentVolumeClaimSpec", "volumeMode"): ["Block", "Filesystem"],
    ("io.k8s.api.apps.v1.DeploymentStrategy", "type"): ["Recreate", "RollingUpdate"],
    ("io.k8s.api.apps.v1.StatefulSetSpec", "podManagementPolicy"): ["OrderedReady", "Parallel"],
    ("io.k8s.api.apps.v1.StatefulSetUpdateStrategy", "type"): ["OnDelete", "RollingUpdate"],
    ("io.k8s.api.apps.v1.DaemonSetUpdateStrategy", "type"): ["OnDelete", "RollingUpdate"],
    ("io.k8s.api.batch.v1.CronJobSpec", "concurrencyPolicy"): ["Allow", "Forbid", "Replace"],
    ("io.k8s.api.batch.v1.JobSpec", "completionMode"): ["Indexed", "NonIndexed"],
    ("io.k8s.api.networking.v1.HTTPIngressPath", "pathType"): ["Exact", "ImplementationSpecific", "Prefix"],
}
KEEP = {"type", "properties", "additionalProperties", "items", "required", "enum", "oneOf", "anyOf", "allOf", "$ref"}


def reduce(schema):
    """Strip a schema to its validating keywords. Property names are data, never stripped."""
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key not in KEEP:
            continue
        if key == "properties":
            out[key] = {name: reduce(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties"):
            out[key] = reduce(value)
        elif key in ("oneOf", "anyOf", "allOf"):
            out[key] = [reduce(sub) for sub in value]
        else:
            out[key] = value
    # int-or-string / quantity are `oneOf` of bare types, each allowing null: a null would
    # match both branches and fail `oneOf`. A type union says the same without that trap.
    branches = out.get("oneOf")
    if branches and all(isinstance(b, dict) and set(b) == {"type"} for b in branches):
        types = []
        for b in branches:
            for t in b["type"] if isinstance(b["type"], list) else [b["type"]]:
                if t not in types:
                    types.append(t)
        del out["oneOf"]
        out["type"] = types
    return out


def gvks(schema):
    return [(g.get("group", ""), g["version"], g["kind"]) for g in schema.get("x-kubernetes-group-version-kind", [])]


def open_source(path):
    """Return a function reading `<version dir>/<file>` from a wheel or a directory."""
    if os.path.isfile(path):
        wheel = zipfile.ZipFile(path)
        names = set(wheel.namelist())

        def read(rel):
            name = f"{SCHEMA_DIR}/{rel}"
            return wheel.read(name) if name in names else None

        dirs = {n[len(SCHEMA_DIR) + 1 :].split("/")[0] for n in names if n.startswith(SCHEMA_DIR + "/")}
        return read, dirs
    base = path
    if os.path.isdir(os.path.join(path, SCHEMA_DIR)):
        base = os.path.join(path, SCHEMA_DIR)

    def read(rel):
        full = os.path.join(base, rel)
        return open(full, "rb").read() if os.path.exists(full) else None

    return read, set(os.listdir(base))


def minor(text):
    m = re.fullmatch(r"1\.(\d+)", text)
    if not m:
        raise SystemExit(f"version `{text}` must look like 1.30")
    return int(m.group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", help="kubernetes-validate wheel (.whl) or unpacked directory")
    ap.add_argument("--min", default="1.25", help="oldest minor version to bundle (default 1.25)")
    ap.add_argument("--max", default="1.37", help="newest minor version to bundle (default 1.37)")
    ap.add_argument("--out", default=os.path.join(ROOT, "schemas", "kubernetes"))
    args = ap.parse_args()
    read, dirs = open_source(args.source)

    # (name, canonical text) -> versions using it; `apiVersion/kind` -> definition name (a kind
    # exists in a version when its definition does).
    variants = {}
    used_enums = set()
    versions = []
    kinds = {}
    for m in range(minor(args.min), minor(args.max) + 1):
        vdir = f"v1.{m}.0-local-strict"
        if vdir not in dirs:
            print(f"skip 1.{m}: not in the package", file=sys.stderr)
            continue
        defs = json.loads(read(f"{vdir}/_definitions.json"))["$defs"]
        version = f"1.{m}"
        versions.append(version)
        for (name, prop), values in ENUMS.items():
            field = defs.get(name, {}).get("properties", {}).get(prop)
            if field is not None:
                # Optional fields accept null, and "" is defaulted like an absent value.
                field["enum"] = values + ["", None]
                used_enums.add((name, prop))
        for name, schema in defs.items():
            found = gvks(schema)
            # Kinds a manifest can hold: one group/version/kind (DeleteOptions & co list dozens).
            if len(found) == 1:
                group, ver, kind = found[0]
                api_version = f"{group}/{ver}" if group else ver
                key = f"{api_version}/{kind}"
                if kinds.setdefault(key, name) != name:
                    raise SystemExit(f"{key} names two definitions: {kinds[key]} and {name}")
            text = json.dumps(reduce(schema), sort_keys=True, separators=(",", ":"))
            variants.setdefault((name, text), []).append(version)
    if not versions:
        raise SystemExit("no versions found")
    unused = sorted(set(ENUMS) - used_enums)
    if unused:
        raise SystemExit(f"enum supplement names properties no version has: {unused}")

    groups = {}
    for (name, text), vs in variants.items():
        groups.setdefault(tuple(vs), []).append((name, text))
    blob = io.BytesIO()
    index_groups = []
    # Biggest groups first (the definitions every version shares), then by versions.
    for vs in sorted(groups, key=lambda k: (-len(k), [minor(v) for v in k])):
        entries = sorted(groups[vs])
        doc = "{" + ",".join(json.dumps(n) + ":" + t for n, t in entries) + "}"
        packed = zlib.compress(doc.encode(), 9)
        index_groups.append({"versions": list(vs), "offset": blob.tell(), "length": len(packed), "count": len(entries)})
        blob.write(packed)
    data = blob.getvalue()
    index = {
        "source": "kubernetes-validate (PyPI), *-local-strict schemas",
        "sha256": hashlib.sha256(data).hexdigest(),
        "versions": versions,
        "groups": index_groups,
        "kinds": dict(sorted(kinds.items())),
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "defs.bin"), "wb") as f:
        f.write(data)
    with open(os.path.join(args.out, "index.json"), "w") as f:
        json.dump(index, f, indent=None, separators=(",", ":"), sort_keys=False)
        f.write("\n")
    print(
        f"{len(versions)} versions ({versions[0]}..{versions[-1]}), {len(variants)} unique definitions "
        f"({len(index_groups)} groups), defs.bin {len(data)} bytes, index.json "
        f"{os.path.getsize(os.path.join(args.out, 'index.json'))} bytes",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
