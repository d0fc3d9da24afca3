"""Headless diagnostic: what each group of the desk's start-up imports costs.

The real-terminal figure is `bench/terminal/term_startup.py --programs
bare,bare+imports,desk`: the bare app after importing every module the desk
loads before its live screen. This script says which libraries that time
belongs to: in one fresh process it imports what the bare app needs
(Textual's App, Header, Static, Footer), then each group of the desk's
start-up modules in turn, so a module shared by two groups is paid by the
first. Medians of fresh processes; absolute milliseconds, so compare groups
with each other and with the `textual (bare app)` row, not across machines.

Run: .venv/bin/python bench/bench_startup_imports.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.terminal.common import PY, ROOT, compile_agentdesk, desk_startup_modules

GROUPS: dict[str, tuple[str, ...]] = {
    "pydantic": ("pydantic", "pydantic_core", "annotated_types", "typing_inspection"),
    "h11 (the HTTP wire's protocol)": ("h11",),
    "httpx, httpcore, anyio (none, since the HTTP wire)": ("httpx", "httpcore", "anyio", "idna",
                                                            "certifi"),
    "websockets": ("websockets",),
    "keyring": ("keyring", "keyrings", "jaraco", "importlib_metadata", "more_itertools",
                "backports", "zipp"),
    "agentdesk (not ui)": ("agentdesk",),
    "agentdesk.ui": ("agentdesk.ui",),
}

CHILD = """
import importlib, json, sys, time
groups, modules = json.loads(sys.argv[1]), json.loads(sys.argv[2])
t = time.perf_counter()
from textual.app import App
from textual.widgets import Footer, Header, Static
out = {"textual (bare app)": time.perf_counter() - t}
from agentdesk.cli.lean_imports import defer_httpx_cli
defer_httpx_cli()

# Of agentdesk's own time: making its dataclasses and its pydantic models
# (a private hook of each library: a diagnostic, not product code).
import dataclasses
made = {"dataclasses": [0, 0.0], "pydantic models": [0, 0.0]}

def timed(kind, make):
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        cls = make(*args, **kwargs)
        if cls.__module__.startswith("agentdesk."):
            made[kind][0] += 1
            made[kind][1] += time.perf_counter() - t
        return cls
    return wrapper

dataclasses._process_class = timed("dataclasses", dataclasses._process_class)


def hook_models():  # after the pydantic group, so that group is timed whole
    from pydantic._internal._model_construction import ModelMetaclass
    new = ModelMetaclass.__new__
    ModelMetaclass.__new__ = timed("pydantic models", lambda *a, **k: new(*a, **k))

def member(name, prefixes):
    return any(name == p or name.startswith(p + ".") for p in prefixes)

for group, prefixes in groups.items():
    t = time.perf_counter()
    for m in modules:
        if member(m, prefixes) and not (group == "agentdesk (not ui)" and member(m, ["agentdesk.ui"])):
            importlib.import_module(m)
    out[group] = time.perf_counter() - t
    if group == "pydantic":
        hook_models()
t = time.perf_counter()
for m in modules:
    importlib.import_module(m)
out["the rest (standard library)"] = time.perf_counter() - t
for kind, (n, spent) in made.items():
    out[f"  of which agentdesk's {n} {kind}"] = spent
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_agentdesk()
    modules = desk_startup_modules()
    runs = []
    for _ in range(args.runs + 1):  # the first fills the caches, as any later start finds them
        done = subprocess.run([PY, "-c", CHILD, json.dumps(GROUPS), json.dumps(modules)],
                              cwd=ROOT, capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout))
    runs = runs[1:]
    print(f"{len(modules)} modules; median of {args.runs} fresh processes (headless diagnostic)")
    print("| imported | ms |\n|---|---|")
    for name in runs[0]:
        print(f"| {name} | {statistics.median(r[name] for r in runs) * 1000:.0f} |")
    print("(the dataclass and model rows are part of the two agentdesk rows above them)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
