#!/usr/bin/env python3
"""Scaffold a new object rule: its file under src/rules/, its registry line, its document
rules/<id>.md and its fixtures (a failing and a passing case), all to be filled in.

Usage: scripts/new-rule.py ID [--severity error|warning|info] [--category correctness|
reliability|security|deprecation] [--inspects Objects|Pods|'Kinds(("", "Service"))']

Then: write the check, the document (its Example must report the rule, its Use instead must
not) and the fixtures' `# expect:` marks, and run `cargo test`.
"""
import argparse, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("id")
    ap.add_argument("--severity", default="warning", choices=["error", "warning", "info"])
    ap.add_argument("--category", default="correctness",
                    choices=["correctness", "reliability", "security", "deprecation"])
    ap.add_argument("--inspects", default="Pods")
    a = ap.parse_args()
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", a.id):
        sys.exit(f"rule ids are kebab-case: {a.id!r}")
    module = a.id.replace("-", "_")
    ty = "".join(w.capitalize() for w in a.id.split("-"))
    paths = {
        "code": os.path.join(ROOT, "src", "rules", f"{module}.rs"),
        "doc": os.path.join(ROOT, "rules", f"{a.id}.md"),
        "fixtures": os.path.join(ROOT, "fixtures", "rules", a.id),
    }
    for p in paths.values():
        if os.path.exists(p):
            sys.exit(f"{p} exists already")

    with open(paths["code"], "w") as f:
        f.write(f'''//! `{a.id}`: TODO what it reports, and why.

use super::{{Context, Finding, Rule}};

declare_rule! {{
    pub struct {ty} {{
        id: "{a.id}",
        severity: {a.severity.capitalize()},
        category: {a.category.capitalize()},
        inspects: {a.inspects},
    }}
}}

impl Rule for {ty} {{
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {{
        let _ = (cx, out);
        todo!("report with Finding::new({ty}::ID, pointer, message)")
    }}
}}
''')

    with open(paths["doc"], "w") as f:
        f.write(f"""# {a.id}

TODO: one sentence that says what is reported.

## What it does
TODO

## Why it matters
TODO

## Example
```yaml
TODO: a complete manifest that reports {a.id}
```

## Use instead
```yaml
TODO: the same manifest, fixed
```

## Fix
Not automatic.
""")

    os.makedirs(paths["fixtures"])
    for name, note in [("fail", f"# expect: {a.id} at the end of each line that starts a finding"),
                       ("pass", "cases at every edge that must report nothing")]:
        with open(os.path.join(paths["fixtures"], f"{name}.yaml"), "w") as f:
            f.write(f"# TODO: {note}\n")

    registry = os.path.join(ROOT, "src", "rules", "mod.rs")
    text = open(registry).read()
    marker = "    object: [\n"
    i = text.index(marker) + len(marker)
    j = text.index("    ],", i)
    lines = text[i:j].splitlines(keepends=True) + [f"        {module}::{ty},\n"]
    text = text[:i] + "".join(lines) + text[j:]
    open(registry, "w").write(text)
    for p in paths.values():
        print("created", os.path.relpath(p, ROOT))
    print("registered", f"{module}::{ty}", "in src/rules/mod.rs")


main()
