#!/usr/bin/env python3
"""Run action.yml's composite steps the way the GitHub runner does, without GitHub.

Each `run:` step is written to a file and run with `bash --noprofile --norc -eo pipefail`
(the runner's `shell: bash`), in the workspace, with the step's `env:` evaluated from the
inputs (defaults from action.yml), `github.*`, `runner.*` and earlier steps' outputs, and with
GITHUB_OUTPUT / GITHUB_PATH files read back after each step. `uses:` steps are simulated:
only actions/cache is known (a hit or a miss, as asked). `if:` conditions of the form
`A == 'x'` / `A != 'x'` are evaluated; anything else stops the run, so a change to the action
that this script does not understand fails loudly instead of being skipped.

Usage: run_action.py ACTION_YML --workspace DIR --action-path DIR --home DIR [--cache hit|miss]
                     [--input NAME=VALUE ...] [--extra-path DIR ...] [--logs DIR]
Exit status: that of the first failing step (as the job would), else 0.
"""
import argparse, os, re, subprocess, sys, tempfile
import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("action")
    ap.add_argument("--workspace", required=True)
    ap.add_argument("--action-path", required=True)
    ap.add_argument("--home", required=True)
    ap.add_argument("--cache", choices=["hit", "miss"], default="miss")
    ap.add_argument("--input", action="append", default=[])
    ap.add_argument("--extra-path", action="append", default=[])
    ap.add_argument("--action-repository", default="")
    ap.add_argument("--logs", default=None)
    a = ap.parse_args()

    action = yaml.safe_load(open(a.action, encoding="utf-8"))
    inputs = {k: str(v.get("default", "")) for k, v in action.get("inputs", {}).items()}
    for item in a.input:
        name, _, value = item.partition("=")
        if name not in inputs:
            sys.exit(f"run_action: action.yml has no input `{name}`")
        inputs[name] = value.replace("\\n", "\n")
    temp = tempfile.mkdtemp(prefix="runner-temp-")
    contexts = {
        "inputs": inputs,
        "github": {
            "action_path": a.action_path,
            "action_repository": a.action_repository,
            "workspace": a.workspace,
        },
        "runner": {"os": "Linux", "arch": "X64", "temp": temp},
        "steps": {},
    }

    def lookup(path):
        node = contexts
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                sys.exit(f"run_action: unknown expression `{path}`")
            node = node[part]
        return node

    def evaluate(text):
        return EXPR.sub(lambda m: str(lookup(m.group(1))), str(text))

    def condition(expr):
        expr = EXPR.sub(lambda m: m.group(1), expr).strip()
        m = re.fullmatch(r"([\w.-]+)\s*(==|!=)\s*'([^']*)'", expr)
        if not m:
            sys.exit(f"run_action: cannot evaluate `if: {expr}`")
        value = str(lookup(m.group(1)) if m.group(1).startswith(("steps.", "inputs.")) else "")
        return (value == m.group(3)) == (m.group(2) == "==")

    path_file = os.path.join(temp, "github_path")
    open(path_file, "w").close()
    logs = a.logs or temp
    os.makedirs(logs, exist_ok=True)
    for i, step in enumerate(action["runs"]["steps"]):
        sid = step.get("id", f"step{i}")
        name = step.get("name", sid)
        if "if" in step and not condition(step["if"]):
            print(f"run_action: skip  {name}")
            continue
        if "uses" in step:
            if not step["uses"].startswith("actions/cache@"):
                sys.exit(f"run_action: cannot simulate `uses: {step['uses']}`")
            key = evaluate(step["with"]["key"])
            if not key or "${{" in key:
                sys.exit(f"run_action: cache key did not evaluate: {key!r}")
            hit = "true" if a.cache == "hit" else "false"
            contexts["steps"][sid] = {"outputs": {"cache-hit": hit}}
            print(f"run_action: cache {'hit' if hit == 'true' else 'miss'} for key {key}")
            continue
        script = step["run"]
        if "${{" in script:
            # Inputs go through env:, never into the script text (injection).
            sys.exit(f"run_action: step `{name}` has an expression in its script")
        if step.get("shell") != "bash":
            sys.exit(f"run_action: step `{name}` does not use bash")
        output_file = os.path.join(temp, f"output-{i}")
        open(output_file, "w").close()
        added = [l for l in open(path_file).read().splitlines() if l]
        env = dict(os.environ)
        env.update({
            "HOME": a.home,
            "GITHUB_OUTPUT": output_file,
            "GITHUB_PATH": path_file,
            "GITHUB_ACTION_PATH": a.action_path,
            "GITHUB_WORKSPACE": a.workspace,
            "RUNNER_TEMP": temp,
            "RUNNER_OS": "Linux",
            "PATH": os.pathsep.join(list(reversed(added)) + a.extra_path + [os.environ["PATH"]]),
        })
        for k, v in (step.get("env") or {}).items():
            env[k] = evaluate(v)
        script_file = os.path.join(temp, f"step-{i}.sh")
        with open(script_file, "w", encoding="utf-8") as f:
            f.write(script)
        print(f"run_action: run   {name}")
        with open(os.path.join(logs, f"{sid}.out"), "wb") as out, open(os.path.join(logs, f"{sid}.err"), "wb") as err:
            rc = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", script_file],
                                 cwd=a.workspace, env=env, stdout=out, stderr=err)
        outputs = {}
        for line in open(output_file, encoding="utf-8").read().splitlines():
            k, sep, v = line.partition("=")
            if sep:
                outputs[k] = v
        contexts["steps"][sid] = {"outputs": outputs}
        if rc != 0:
            print(f"run_action: step `{name}` exited {rc}")
            return rc
    return 0


sys.exit(main())
