#!/usr/bin/env python3
"""Compare kubevet's `schema` findings with kubernetes-validate --strict, document by document.

    python3 bench/schema_agreement.py [DIR] [--kubernetes-version 1.37] [--kubevet PATH]

kubernetes-validate (PyPI) stops at the first file PyYAML cannot parse, so only files PyYAML
loads are given to both tools. A document counts as "rejected" by kubernetes-validate when it
prints ERROR for it, and by kubevet when it reports at least one `schema` finding for it;
documents neither tool has a schema for (custom resources, removed apiVersions) are counted
apart. Prints the counts, the agreement rate, and every document the two disagree on.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

import yaml

ap = argparse.ArgumentParser()
ap.add_argument("dir", nargs="?", default="../shared/corpus/public")
ap.add_argument("--kubernetes-version", default="1.37")
ap.add_argument("--kubevet", default="target/release/kubevet")
args = ap.parse_args()

files = []
for root, _, names in os.walk(args.dir):
    for n in names:
        if n.endswith((".yaml", ".yml", ".json")):
            p = os.path.join(root, n)
            try:
                with open(p, "rb") as f:
                    list(yaml.load_all(f, Loader=yaml.CSafeLoader))
                files.append(p)
            except Exception:
                pass
files.sort()

# kubernetes-validate: one line per resource.
kv = subprocess.run(
    ["kubernetes-validate", "--strict", "-k", args.kubernetes_version, *files],
    capture_output=True, text=True,
)
line_re = re.compile(r"^(INFO|ERROR|WARN) (\S+) (.*)$")
res_re = re.compile(r"resource (\S+?)/(\S+) against")
kind_re = re.compile(r"for kind (\S+) with api version")
kv_docs = collections.defaultdict(list)  # (path, kind) -> [verdict...]
kv_detail = {}
for line in (kv.stdout + kv.stderr).splitlines():
    m = line_re.match(line)
    if not m:
        continue
    level, path, rest = m.groups()
    r = res_re.search(rest)
    k = kind_re.search(rest)
    kind = (r.group(1) if r else k.group(1) if k else "?").lower()
    verdict = {"INFO": "accepted", "ERROR": "rejected", "WARN": "no-schema"}[level]
    if "could not be validated" in rest:
        verdict = "crashed"
    kv_docs[(path, kind)].append(verdict)
    kv_detail[(path, kind, len(kv_docs[(path, kind)]) - 1)] = rest

out = subprocess.run(
    [args.kubevet, "check", "--format", "json", "--kubernetes-version",
     args.kubernetes_version, "--fail-level", "never", *files],
    capture_output=True, text=True,
)
report = json.loads(out.stdout)
kubevet_docs = collections.defaultdict(lambda: collections.defaultdict(set))
for d in report["diagnostics"]:
    o = d.get("object") or {}
    kind = (o.get("kind") or "?").lower()
    kubevet_docs[(d["path"], kind)][d["document"]].add(d["rule"])

def kubevet_verdicts(path, kind, n):
    """kubevet's verdict for each of the n documents of this kind in this file, in order."""
    by_doc = kubevet_docs.get((path, kind), {})
    # kubevet numbers documents within the file; keep only those of this kind, in order.
    verdicts = []
    for doc in sorted(by_doc):
        rules = by_doc[doc]
        if "schema" in rules:
            verdicts.append("rejected")
        elif rules & {"missing-schema", "removed-api-version"}:
            verdicts.append("no-schema")
    # Documents without findings of those rules were accepted.
    verdicts += ["accepted"] * (n - len(verdicts))
    return sorted(verdicts)

agree = disagree = validated = rejected_both = 0
disagreements = []
for (path, kind), kvs in sorted(kv_docs.items()):
    mine = kubevet_verdicts(path, kind, len(kvs))
    for a, b in zip(sorted(kvs), mine):
        if a == "no-schema" and b == "no-schema":
            continue
        validated += 1
        if a == b:
            agree += 1
            rejected_both += a == "rejected"
        else:
            disagree += 1
            disagreements.append((path, kind, a, b))

print(f"files given to both: {len(files)}")
print(f"documents validated: {validated}; rejected by both: {rejected_both}")
print(f"agreement: {agree}/{validated} = {100.0 * agree / max(validated, 1):.1f}%")
for path, kind, a, b in disagreements:
    print(f"  {path} {kind}: kubernetes-validate {a}, kubevet {b}")
