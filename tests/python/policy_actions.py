"""Runs a policy exported by `sinew export` on observations, as a Python user would.

usage: policy_actions.py POLICY.pt OBS.csv OUT.csv
OBS.csv: one observation per line, comma-separated. OUT.csv: one action per line.
Also checks that one observation (1-D input) gives the same action as its row of the batch.
"""
import sys

import torch


def main():
    policy_path, obs_path, out_path = sys.argv[1:4]
    policy = torch.jit.load(policy_path)
    rows = [[float(v) for v in line.split(",")] for line in open(obs_path) if line.strip()]
    obs = torch.tensor(rows, dtype=torch.float32)
    with torch.no_grad():
        actions = policy(obs)
        single = policy(obs[0])
    if actions.shape[0] != obs.shape[0] or actions.dtype != torch.float32:
        sys.exit(f"batch gave {tuple(actions.shape)} {actions.dtype}")
    if not torch.allclose(single, actions[0], rtol=0, atol=1e-6):
        sys.exit(f"one observation gave {single.tolist()}, its batch row {actions[0].tolist()}")
    with open(out_path, "w") as out:
        for row in actions.tolist():
            out.write(",".join(repr(v) for v in row) + "\n")


if __name__ == "__main__":
    main()
