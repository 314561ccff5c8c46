#!/usr/bin/env python3
"""The cost budget of a full check: its work against kubevet's own `--parse-only` on the two
bench corpora (2,000 small single-object files, `--profile small`; and the mixed corpus of
public manifests, large CRDs included).

The budget is 1.5x parse-only's CPU (DESIGN.md). CPU on a shared machine moves by tens of
percent from run to run, and the full check's extra work (JSON values, typed views,
validation) is more memory-bound than the parser, so it suffers more from a noisy neighbour.
This script therefore reports two things:

- instructions, counted by callgrind over the whole process (`--jobs 1`): deterministic to
  a fraction of a percent, so a rule that adds work shows here whatever the machine's load.
  The run fails (exit 1) when a corpus's full/parse-only instruction ratio exceeds `--max`
  (1.5 by default): run it after adding rules;
- CPU (user+sys), paired runs pinned to one core, median of the ratios: for information.

  bench/budget.py                       # both corpora, 2,000 files each
  bench/budget.py --corpus small --cpu-pairs 0

Needs a release build (cargo build --release), valgrind, python3 with PyYAML (the generator),
and `taskset` for the CPU pairs.
"""
import argparse, os, re, shutil, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def corpus(name, files):
    out = os.path.join(HERE, "out", f"budget-{name}-{files}")
    if not os.path.isdir(out):
        args = [sys.executable, os.path.join(HERE, "generate.py"), out, str(files)]
        if name == "small":
            args += ["--profile", "small"]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return out


def instructions(cmd):
    r = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"I\s+refs:\s+([\d,]+)", r.stderr)
    if not m:
        sys.exit(f"callgrind gave no count for {' '.join(cmd)}:\n{r.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def cpu(cmd):
    t = os.times()
    subprocess.run(["taskset", "-c", "1"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    u = os.times()
    return (u.children_user - t.children_user) + (u.children_system - t.children_system)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", choices=["small", "mixed", "both"], default="both")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--max", type=float, default=1.5, help="largest full/parse-only instruction ratio")
    ap.add_argument("--cpu-pairs", type=int, default=15, help="paired CPU runs per corpus (0: none)")
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    ap.add_argument("--kubevet", default=os.path.join(target, "release", "kubevet"))
    a = ap.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is needed to count instructions")
    if not os.path.exists(a.kubevet):
        sys.exit(f"no kubevet at {a.kubevet}: cargo build --release first")
    names = ["small", "mixed"] if a.corpus == "both" else [a.corpus]
    over = []
    for name in names:
        path = corpus(name, a.files)
        full = [a.kubevet, "check", "--jobs", "1", "--fail-level", "never", path]
        floor = full[:2] + ["--parse-only"] + full[2:]
        fi, pi = instructions(full), instructions(floor)
        ratio = fi / pi
        line = f"{name:6} instructions: full {fi / 1e9:.3f} G, parse-only {pi / 1e9:.3f} G = {ratio:.2f}x"
        if a.cpu_pairs > 0 and shutil.which("taskset"):
            ratios = []
            for _ in range(a.cpu_pairs):
                f, p = cpu(full), cpu(floor)
                ratios.append(f / p if p > 0 else float("nan"))
            line += f"; CPU {statistics.median(ratios):.2f}x (median of {a.cpu_pairs} pairs, {min(ratios):.2f}-{max(ratios):.2f})"
        print(line)
        if ratio > a.max:
            over.append(f"{name}: {ratio:.2f}x")
    if over:
        print(f"over the {a.max}x instruction budget: {', '.join(over)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
