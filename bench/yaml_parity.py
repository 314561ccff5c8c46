#!/usr/bin/env python3
"""Reference verdicts for the YAML parity corpus in tests/data/yaml-parity/.

kubevet must call a file a `yaml-syntax` error exactly when kubectl cannot read it. This script
asks the readers that Kubernetes users actually run, for every case file of the corpus:

  kustomize  `kubectl kustomize DIR`, DIR holding the case as its one resource
             (kyaml: go-yaml v3; documents split at `---` lines)
  apply      `kubectl label --local -f CASE KEY=VALUE` (the reader of `kubectl apply -f` and
             `kubectl create -f`: documents split at `---` lines, each decoded by go-yaml v2
             through sigs.k8s.io/yaml); `--local` needs no cluster
  libyaml    PyYAML's C parser (libyaml, which go-yaml was ported from): the event stream of
             every document, plus the one rule every loader adds, that an alias must name an
             anchor defined before it in its document (PyYAML's composer is not used: it also
             rejects a redefined anchor, which go-yaml and the YAML spec allow)

and writes manifest.json: for each case its verdict, which readers decided it, and what each
reader answered. Verdicts: `accept`, `reject`, and two kinds of readable YAML that kubectl
still refuses in an object: `duplicate-key` (a mapping repeats a key) and `complex-key` (a
mapping key is a sequence or a mapping, which has no JSON form).

A kubectl reader that accepted abstains (`partial`) when it provably did not read the whole
file: both decode only the first document of each chunk between `---` lines, so whatever
follows that document in the chunk (text after a `...` end marker, a stray `]`) is never read;
the apply reader also stops at the first document that is not a Kubernetes object. There the
grammar both go-yaml and libyaml implement decides. The verdict is the majority of the readers that did not abstain; two that
disagree leave the case `disputed` (listed, not asserted by the test).

Usage:
  python3 bench/yaml_parity.py                     # recompute manifest.json
  python3 bench/yaml_parity.py --import-suite DIR  # first copy the cases of a checkout of the
                                                   # yaml-test-suite `data` branch into suite/
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "tests", "data", "yaml-parity")


def import_suite(src, data):
    """Copy every `in.yaml` of the yaml-test-suite data branch to suite/ID[-NN].yaml, and its
    title and YAML 1.2 verdict to suite/index.json."""
    out = os.path.join(data, "suite")
    os.makedirs(out, exist_ok=True)
    index = {}
    for root, _, files in os.walk(src):
        if "in.yaml" not in files:
            continue
        rel = os.path.relpath(root, src).split(os.sep)
        case_id = "-".join(rel)
        title_dir = root if os.path.exists(os.path.join(root, "===")) else os.path.dirname(root)
        with open(os.path.join(title_dir, "==="), encoding="utf-8") as f:
            title = f.read().strip()
        shutil.copyfile(os.path.join(root, "in.yaml"), os.path.join(out, case_id + ".yaml"))
        index[case_id] = {"title": title, "error": os.path.exists(os.path.join(root, "error"))}
    with open(os.path.join(out, "index.json"), "w", encoding="utf-8") as f:
        json.dump(dict(sorted(index.items())), f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"imported {len(index)} suite cases into {out}")


# --- the three readers -------------------------------------------------------------------

def libyaml(data):
    """(verdict, message, complex_key): complex_key when a mapping key is a collection."""
    anchors = set()
    # One frame per open collection: [is_mapping, nodes seen so far].
    stack = []
    complex_key = False
    try:
        for ev in yaml.parse(data, Loader=yaml.CSafeLoader):
            if isinstance(ev, yaml.DocumentStartEvent):
                anchors = set()
            elif isinstance(ev, yaml.AliasEvent):
                if ev.anchor not in anchors:
                    return "reject", f"undefined alias {ev.anchor!r}", complex_key
            elif getattr(ev, "anchor", None) is not None:
                anchors.add(ev.anchor)
            if isinstance(ev, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                if stack:
                    frame = stack[-1]
                    if frame[0] and frame[1] % 2 == 0 and isinstance(ev, yaml.CollectionStartEvent):
                        complex_key = True
                    frame[1] += 1
                if isinstance(ev, yaml.CollectionStartEvent):
                    stack.append([isinstance(ev, yaml.MappingStartEvent), 0])
            elif isinstance(ev, yaml.CollectionEndEvent):
                stack.pop()
    except yaml.YAMLError as e:
        return "reject", " ".join(str(e).split()), complex_key
    return "accept", "", complex_key


def kustomize(data, work):
    d = os.path.join(work, "k")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "kustomization.yaml"), "w") as f:
        f.write("resources:\n- case.yaml\n")
    with open(os.path.join(d, "case.yaml"), "wb") as f:
        f.write(data)
    p = subprocess.run(["kubectl", "kustomize", d], capture_output=True, text=True)
    err = " ".join(p.stderr.split())
    if p.returncode == 0:
        return "accept", ""
    if "already defined at line" in err:
        return "duplicate-key", err
    if "invalid map key" in err:
        return "complex-key", err
    if "MalformedYAMLError" in err or "invalid document separator" in err:
        return "reject", err
    # Every chunk is parsed before the objects are looked at: an object error means the YAML
    # was read.
    if "missing Resource metadata" in err or "missing metadata" in err:
        return "accept", err
    return "unknown", err


def apply(data, work):
    path = os.path.join(work, "case.yaml")
    with open(path, "wb") as f:
        f.write(data)
    env = dict(os.environ, KUBECONFIG=os.devnull)
    p = subprocess.run(
        ["kubectl", "label", "--local", "-f", path, "yaml-parity=x", "-o", "name"],
        capture_output=True, text=True, env=env)
    err = " ".join(p.stderr.split())
    if p.returncode == 0:
        return "accept", ""
    if "invalid map key" in err:
        return "complex-key", err
    if "error parsing" in err:
        # Its document splitter, its JSON sniffing (a file starting with `{` is read as JSON)
        # or go-yaml refused the text.
        return "reject", err
    if "unable to decode" in err:
        # It stops at the first document that is not an object: only a file of one document
        # was read whole.
        return ("accept" if count_separators(data) == 0 else "partial"), err
    return "unknown", err


def count_separators(data):
    text = data.decode("utf-8", "replace")
    lines = text.splitlines()
    seen_content = False
    n = 0
    for line in lines:
        if re.match(r"---(\s|#|$)", line):
            if seen_content:
                n += 1
        elif line.strip() and not line.lstrip().startswith("#"):
            seen_content = True
    return n


SEPARATOR = re.compile(rb"---[ \t]*(#.*)?\r?$")


def kubectl_chunks(data):
    """The file cut where kubectl's readers cut it: at every `---` line, which belongs to no
    chunk (so each chunk is a stream of its own: a byte order mark after `---` starts it)."""
    chunks, current = [], []
    for line in data.splitlines(keepends=True):
        if SEPARATOR.match(line.rstrip(b"\n")):
            chunks.append(b"".join(current))
            current = []
        else:
            current.append(line)
    chunks.append(b"".join(current))
    return chunks


def kubectl_skips_text(data):
    """True when some `---` chunk holds YAML after the end of its first document (a second
    document, or an error libyaml finds there): kubectl's readers decode one document per
    chunk and never read that text, so their acceptance says nothing about it."""
    for chunk in kubectl_chunks(data):
        ends = 0
        try:
            for ev in yaml.parse(chunk, Loader=yaml.CSafeLoader):
                if isinstance(ev, yaml.DocumentEndEvent):
                    ends += 1
                elif isinstance(ev, yaml.DocumentStartEvent) and ends > 0:
                    return True
        except yaml.YAMLError:
            if ends > 0:
                return True
    return False


# --- the verdict -------------------------------------------------------------------------

def decide(answers, unread, complex_key):
    votes = {}
    for name in ("kustomize", "apply", "libyaml"):
        v = answers[name]
        if name != "libyaml" and unread and v != "reject":
            v = "partial"
        if v in ("partial", "unknown"):
            continue
        votes[name] = "accept" if v in ("duplicate-key", "complex-key") else v
    tally = {}
    for name, v in votes.items():
        tally.setdefault(v, []).append(name)
    ranked = sorted(tally.items(), key=lambda kv: -len(kv[1]))
    if not ranked or (len(ranked) > 1 and len(ranked[0][1]) == len(ranked[1][1])):
        return "disputed", ""
    syntax, who = ranked[0]
    if syntax == "accept" and complex_key:
        return "complex-key", "+".join(n for n in votes if answers[n] == "complex-key") or "libyaml"
    if syntax == "accept" and answers["kustomize"] == "duplicate-key":
        return "duplicate-key", "kustomize"
    return syntax, "+".join(who)


def check_case(data_dir, rel):
    with open(os.path.join(data_dir, rel), "rb") as f:
        data = f.read()
    work = tempfile.mkdtemp(prefix="yaml-parity-")
    try:
        k, kwhy = kustomize(data, work)
        a, awhy = apply(data, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    l, lwhy, complex_key = libyaml(data)
    answers = {"kustomize": k, "apply": a, "libyaml": l}
    unread = kubectl_skips_text(data)
    verdict, reference = decide(answers, unread, complex_key)
    entry = {"file": rel, "verdict": verdict, "reference": reference, **answers}
    if unread:
        entry["note"] = "kubectl decodes one document per `---` chunk and never reads the rest"
    if len({k, a, l}) > 1:
        # The readers differ: keep what the refusing ones said.
        for name, why in (("kustomize", kwhy), ("apply", awhy), ("libyaml", lwhy)):
            if why and answers[name] != "accept":
                entry[name + "_said"] = short(why)
    return entry


def short(message):
    """The reader's message without the log prefix and the temporary paths."""
    message = re.sub(r"^E\d+ [\d:.]+ +\d+ run\.go:\d+\] ", "", message)
    message = re.sub(r"/tmp/yaml-parity-[^/]+/(k/)?", "", message)
    message = re.sub(r'^"command failed" err=[<"] ?', "", message)
    message = re.sub(r"^(error: )?(accumulating resources: )*", "", message)
    return message[:160]


def tool_versions():
    kubectl = subprocess.run(["kubectl", "version", "--client"], capture_output=True, text=True)
    return {
        "kubectl": " ".join(kubectl.stdout.split()),
        "pyyaml": f"PyYAML {yaml.__version__}, libyaml {yaml_libyaml_version()}",
    }


def yaml_libyaml_version():
    try:
        from yaml import _yaml
        return _yaml.get_version_string()
    except Exception:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--import-suite", metavar="DIR")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()
    data_dir = os.path.abspath(a.data)
    if a.import_suite:
        import_suite(a.import_suite, data_dir)
    if not yaml.__with_libyaml__:
        sys.exit("PyYAML was built without libyaml (install a wheel with the C extension)")
    rels = []
    for sub in ("cases", "suite"):
        for f in sorted(os.listdir(os.path.join(data_dir, sub))):
            if f.endswith(".yaml"):
                rels.append(f"{sub}/{f}")
    suite_index = {}
    index_path = os.path.join(data_dir, "suite", "index.json")
    if os.path.exists(index_path):
        with open(index_path, encoding="utf-8") as f:
            suite_index = json.load(f)
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        entries = list(pool.map(lambda r: check_case(data_dir, r), rels))
    for e in entries:
        if e["file"].startswith("suite/"):
            info = suite_index.get(e["file"][len("suite/"):-len(".yaml")], {})
            e["title"] = info.get("title", "")
            e["yaml_1_2_error"] = info.get("error", False)
    unknown = [e for e in entries if "unknown" in (e["kustomize"], e["apply"])]
    for e in unknown:
        print(f"unclassified kubectl error in {e['file']}: {e.get('kustomize_said')} {e.get('apply_said')}", file=sys.stderr)
    manifest = {
        "generated_by": "bench/yaml_parity.py",
        "readers": tool_versions(),
        "cases": entries,
    }
    with open(os.path.join(data_dir, "manifest.json"), "w", encoding="utf-8") as f:
        # One case per line, so a change of verdict reads as a one-line diff.
        head = {k: v for k, v in manifest.items() if k != "cases"}
        f.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "cases": [\n')
        f.write(",\n".join(json.dumps(e, ensure_ascii=False) for e in entries))
        f.write("\n]}\n")
    counts = {}
    for e in entries:
        counts[e["verdict"]] = counts.get(e["verdict"], 0) + 1
    refs = {}
    for e in entries:
        refs[e["reference"]] = refs.get(e["reference"], 0) + 1
    print(f"{len(entries)} cases: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    print("decided by: " + ", ".join(f"{k or '-'} {v}" for k, v in sorted(refs.items(), key=lambda kv: -kv[1])))
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
