#!/usr/bin/env bash
# Gait initiation figure: how often a gait policy sets off from quiet standing and walks, as the
# initial perturbation grows. For each sd of the initial joint angles (env.position_noise [rad],
# joint velocities env.velocity_noise = 2 x that), evaluates the checkpoint over 10 episodes of
# 10 s that all start standing (deterministic) and prints one JSON line: noise, fall_rate,
# completed, velocity (m/s over each episode, falls included), gait similarity.
# Usage: bench/gait_start.sh <checkpoint or policy folder> [episodes, default 10]
#   bench/gait_start.sh assets/policies/gait_walker
set -euo pipefail
cd "$(dirname "$0")/.."
sinew=build/sinew
[ -x "$sinew" ] || { echo "build first: make build" >&2; exit 1; }
[ $# -ge 1 ] || { echo "usage: bench/gait_start.sh <checkpoint> [episodes]" >&2; exit 2; }
checkpoint=$1
episodes=${2:-10}
for noise in 0 0.01 0.02 0.03 0.05; do
  velocity_noise=$(python3 -c "print(2 * $noise)")
  "$sinew" eval "$checkpoint" env.init_pose=stand env.position_noise="$noise" \
    env.velocity_noise="$velocity_noise" --episodes "$episodes" --json --no-conditions |
    python3 -c '
import json, sys
ev = json.loads(sys.stdin.read())
row = {"benchmark": "gait_start", "checkpoint": sys.argv[1], "position_noise": float(sys.argv[2]),
       "velocity_noise": float(sys.argv[3]), "episodes": ev["episodes"]}
for k in ["fall_rate", "completed", "velocity", "gait_similarity/hip", "gait_similarity/knee",
          "gait_similarity/ankle", "cost_of_transport"]:
    row[k] = ev.get(k)
print(json.dumps(row))' "$checkpoint" "$noise" "$velocity_noise"
done
