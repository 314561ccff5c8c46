#!/usr/bin/env python3
"""Side-by-side benchmark: kubevet against peers and floors on one generated corpus, in one run.

For each command: wall, user+sys CPU and peak RSS from GNU time (median of --reps runs),
files/s and MB/s, and the ratio to kubevet's full check.

  bench/compare.py --files 2000 --peers      # kubevet, parse-only, 1 thread, PyYAML, checkov, kubernetes-validate
  bench/compare.py --files 20000             # kubevet, parse-only, 1 thread, PyYAML

Needs: a release build (cargo build --release), python3 with PyYAML; for --peers,
`pip install checkov kubernetes-validate` (a virtualenv is best: checkov pins old versions of
common packages). `--peers-bin DIR` finds them in DIR (e.g. a virtualenv's bin/).
"""
import argparse, os, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

PYYAML = """
import os, sys, yaml
n = 0
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            n += sum(1 for _ in yaml.load_all(fh, Loader=yaml.CSafeLoader))
print(n)
"""

def timed(cmd):
    with tempfile.NamedTemporaryFile("r") as t:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", t.name] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, user, sys_, rss = t.read().strip().splitlines()[-1].split()
        return float(wall), float(user) + float(sys_), int(rss) / 1024

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--peers", action="store_true")
    ap.add_argument("--kubevet", default=os.path.join(ROOT, "target", "release", "kubevet"))
    ap.add_argument("--peers-bin", default="", help="directory holding checkov and kubernetes-validate")
    a = ap.parse_args()
    peer = lambda name: os.path.join(a.peers_bin, name) if a.peers_bin else name
    corpus = os.path.join(HERE, "out", f"corpus-{a.files}")
    if not os.path.isdir(corpus):
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), corpus, str(a.files)], check=True)
    files = [os.path.join(r, f) for r, _, fs in os.walk(corpus) for f in fs]
    mb = sum(os.path.getsize(f) for f in files) / 1e6
    k = a.kubevet
    common = ["--format", "json", "--fail-level", "never"]
    cmds = [
        ("kubevet check (all threads)", [k, "check", corpus] + common, a.reps),
        ("kubevet check --jobs 1", [k, "check", "--jobs", "1", corpus] + common, a.reps),
        ("kubevet parse-only (floor)", [k, "check", "--parse-only", corpus] + common, a.reps),
        ("PyYAML CSafeLoader load (floor)", [sys.executable, "-c", PYYAML, corpus], a.reps),
    ]
    if a.peers:
        cmds.append(("kubernetes-validate --strict", [peer("kubernetes-validate"), "--strict", "--quiet"] + sorted(files), 1))
        cmds.append(("checkov --framework kubernetes", [peer("checkov"), "-d", corpus, "--framework", "kubernetes", "--skip-download", "--quiet", "--compact"], 1))
    rows = []
    for name, cmd, reps in cmds:
        runs = [timed(cmd) for _ in range(reps)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        rss = statistics.median(r[2] for r in runs)
        rows.append((name, wall, cpu, rss, reps))
        print(f"  measured {name}: wall {wall:.2f}s cpu {cpu:.2f}s", file=sys.stderr)
    base_wall, base_cpu = rows[0][1], rows[0][2]
    machine = subprocess.run(["uname", "-srm"], capture_output=True, text=True).stdout.strip()
    version = subprocess.run([k, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {machine}; {version}")
    print(f"Corpus: {len(files)} files, {mb:.1f} MB (bench/generate.py, seed 42)\n")
    print("| command | runs | wall s | CPU s | files/s | MB/s | peak RSS MiB | wall / kubevet | CPU / kubevet |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, wall, cpu, rss, reps in rows:
        print(f"| {name} | {reps} | {wall:.2f} | {cpu:.2f} | {len(files) / max(wall, 1e-3):.0f} | {mb / max(wall, 1e-3):.1f} | {rss:.0f} | {wall / base_wall:.2f}x | {cpu / base_cpu:.2f}x |")

main()
