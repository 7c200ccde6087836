#!/usr/bin/env python3
"""Copies the policy part of a sinew checkpoint into a small folder that `sinew eval` and
`sinew play` read like a checkpoint: the policy network, the observation normalizer and the
config, with a manifest that lists only those files (size and SHA-256), so they are verified
on load. Optimizer state, batches and env state stay behind.

Usage: scripts/ship_policy.py <checkpoint-dir> <out-dir> [--note TEXT]
"""
import argparse
import hashlib
import json
import os
import shutil
import sys


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint")
    parser.add_argument("out")
    parser.add_argument("--note", default="", help="one line kept in the manifest")
    args = parser.parse_args()
    manifest_path = os.path.join(args.checkpoint, "manifest.json")
    if not os.path.isfile(manifest_path):
        sys.exit(f"{args.checkpoint}: not a checkpoint (no manifest.json)")
    manifest = json.load(open(manifest_path))
    listed = {f["path"]: f for f in manifest["files"]}
    wanted = [p for p in ("models/actor_critic.pt", "models/policy.pt",
                          "interaction/agent/obs_normalizer.json", "config.yaml") if p in listed]
    if "config.yaml" not in wanted or len(wanted) < 3:
        sys.exit(f"{args.checkpoint}: no policy network, normalizer and config listed")
    os.makedirs(args.out, exist_ok=True)
    files = []
    for relative in wanted:
        source = os.path.join(args.checkpoint, relative)
        if sha256(source) != listed[relative]["sha256"]:
            sys.exit(f"{source}: fails its SHA-256 check")
        target = os.path.join(args.out, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(source, target)
        files.append({"path": relative, "size": os.path.getsize(target), "sha256": sha256(target)})
    shipped = {k: v for k, v in manifest.items() if k != "files"}
    shipped["files"] = files
    shipped["reason"] = "shipped policy"
    if args.note:
        shipped["note"] = args.note
    shipped["format_version"] = 2
    text = json.dumps(shipped, indent=2) + "\n"
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        f.write(text)
    # the manifest's own checksum, in sha256sum format: sinew trusts no manifest without it
    digest = hashlib.sha256(text.encode()).hexdigest()
    with open(os.path.join(args.out, "manifest.sha256"), "w") as f:
        f.write(f"{digest}  manifest.json\n")
    total = sum(f["size"] for f in files)
    print(f"{args.out}: {len(files)} files, {total / 1e6:.2f} MB, step {manifest.get('step')}")


if __name__ == "__main__":
    main()
