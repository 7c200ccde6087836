#!/usr/bin/env python3
"""Checks sinew's layering: every #include under src/sinew goes to the same folder or to a folder
below it, and torch and MuJoCo headers appear only in the layers that may use them.

Layers, lowest first (a folder may include only the folders listed for it):
  core       config, logging, checkpoints' manifests, plain statistics
  env        the env interface (no physics engine, no torch)
  transport  trajectory blocks and parameter snapshots, and where they come from and go to
  sim        MuJoCo envs
  nn         LibTorch networks
  algo       learning algorithms
  serve      the HTTP server and control API
  store      the model store
  runtime    actors, learner, the training run
  cli        the sinew command

Usage: check_layers.py SRC_DIR   (exit 1 listing every violation)
"""
import pathlib
import re
import sys

ALLOWED = {
    "core": {"core"},
    "env": {"core", "env"},
    "transport": {"core", "transport"},
    "sim": {"core", "env", "sim"},
    "nn": {"core", "transport", "nn"},
    "algo": {"core", "env", "transport", "nn", "algo"},
    "serve": {"core", "serve"},
    "store": {"core", "serve", "store"},
    "runtime": {"core", "env", "transport", "sim", "nn", "algo", "serve", "store", "runtime"},
    "cli": {"core", "env", "transport", "sim", "nn", "algo", "serve", "store", "runtime", "cli"},
}
# third-party headers only some layers may include
RESTRICTED = {
    "torch/": {"nn", "algo", "runtime", "cli"},
    "ATen/": {"nn", "algo", "runtime", "cli"},
    "c10/": {"nn", "algo", "runtime", "cli"},
    "mujoco/": {"sim"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def main():
    src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src/sinew")
    problems = []
    folders = set()
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cc"):
            continue
        layer = path.relative_to(src).parts[0]
        folders.add(layer)
        if layer not in ALLOWED:
            problems.append(f"{path}: folder '{layer}' is not in the layer table of {__file__}")
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(2)
            if target.startswith("sinew/"):
                to = target.split("/")[1]
                if to not in ALLOWED[layer]:
                    problems.append(f"{path}:{number}: {layer}/ includes {target} "
                                    f"({to}/ is not below {layer}/)")
            for prefix, layers in RESTRICTED.items():
                if target.startswith(prefix) and layer not in layers:
                    problems.append(f"{path}:{number}: {layer}/ includes {target} "
                                    f"(only {', '.join(sorted(layers))} may)")
    if not folders:
        problems.append(f"{src}: no sources found")
    for p in problems:
        print(p)
    print(f"{len(problems)} layering problem(s) in {len(folders)} folders")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
