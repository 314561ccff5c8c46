#!/usr/bin/env python3
"""Generate a reproducible corpus of Kubernetes manifest files for benchmarks.

Seeds are the public manifests in ../shared/corpus/public (those PyYAML can load, so every
peer can read every generated file). Each generated file is one seed document or several
joined as a multi-document stream, with seeded mistakes mixed in (an untagged image, a
misspelt field, a pod-level field inside a container, a removed apiVersion), so the rules
and the schema errors are exercised, not only the happy path.

Usage: bench/generate.py OUT_DIR N [--seed S] [--seed-dir DIR]
"""
import argparse, os, random, sys
import yaml

def seeds(seed_dir):
    docs = []
    for root, _, files in os.walk(seed_dir):
        for f in sorted(files):
            if not f.endswith((".yaml", ".yml")):
                continue
            p = os.path.join(root, f)
            try:
                text = open(p, encoding="utf-8").read()
                if "{{" in text:
                    continue
                loaded = [d for d in yaml.load_all(text, Loader=yaml.CSafeLoader) if isinstance(d, dict) and "kind" in d]
            except Exception:
                continue
            # Keep the source text of each document so comments and layout are realistic.
            parts = [p for p in text.split("\n---") if p.strip()]
            if len(parts) == len(loaded):
                docs.extend(part.strip("\n") + "\n" for part in parts)
    docs.sort()
    return docs

MISTAKES = [
    ("restartPolicy: Always", "restartPolicy: OnFailure"),
    (":latest", ""),
    ("imagePullPolicy:", "imagePullpolicy:"),
    ("containerPort:", "containerport:"),
    ("apiVersion: apps/v1\n", "apiVersion: apps/v1beta2\n"),
]

def mutate(doc, rng):
    if rng.random() < 0.15:
        old, new = rng.choice(MISTAKES)
        if old in doc:
            return doc.replace(old, new, 1)
    return doc

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=42)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--seed-dir", default=os.path.join(here, "..", "..", "shared", "corpus", "public"))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    pool = seeds(a.seed_dir)
    if not pool:
        sys.exit("no seed manifests found")
    os.makedirs(a.out, exist_ok=True)
    total = 0
    for i in range(a.n):
        k = rng.choice([1, 1, 1, 2, 3, 5])
        docs = [mutate(rng.choice(pool), rng) for _ in range(k)]
        text = "---\n".join(docs)
        sub = os.path.join(a.out, f"d{i % 100:02d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"m{i:05d}.yaml"), "w", encoding="utf-8") as f:
            f.write(text)
        total += len(text.encode())
    print(f"{a.n} files, {total / 1e6:.1f} MB, from {len(pool)} seed documents (seed {a.seed})")

main()
