#!/usr/bin/env bash
# Learns to walk from scratch (experiment gait_walk: MPO + DEP exploration + adaptive energy
# cost on the 18-muscle gait model) for a wall-time budget, then evaluates the final checkpoint
# over 10 episodes of 10 s and records one episode as a motion file (.sto) and as the gait
# viewer (.html).
# Prints one JSON line: env steps, wall seconds, eval velocity (m/s), fall rate, distance,
# gait similarity of hip/knee/ankle with the normative curves, and the files written.
# Usage: bench/learn_gait.sh [budget minutes, default 60] [extra overrides...]
#   e.g. bench/learn_gait.sh 60 runtime.learner_threads=1
#   EXPERIMENT=gait_walk_ppo bench/learn_gait.sh 60    # the PPO baseline instead
#   LEARN_GAIT_RUNS=<folder> sets where the run goes (default runs/learn_gait)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-60}
shift || true
sinew=build/sinew
[ -x "$sinew" ] || { echo "build first: make build" >&2; exit 1; }
runs=${LEARN_GAIT_RUNS:-runs/learn_gait}
experiment=${EXPERIMENT:-gait_walk}

# SIGINT at the budget: sinew stops and writes a final checkpoint
start=$(date +%s.%N)
timeout -s INT --kill-after=300 "$((minutes * 60))" \
  "$sinew" train experiment="$experiment" run.dir="$runs" "$@" >&2 || true
end=$(date +%s.%N)

run=$(ls -d "$runs/$experiment"/*/ | sort | tail -n 1)
run=${run%/}
checkpoint=$(ls -d "$run"/checkpoints/step_* | awk -F_ '{print $NF, $0}' | sort -n | tail -n 1 | cut -d" " -f2-)
"$sinew" eval "$checkpoint" --episodes 10 --json > "$run/eval.json"
"$sinew" play "$checkpoint" --out "$run/walk.sto" >&2
"$sinew" play "$checkpoint" --out "$run/walk.html" >&2
python3 - "$start" "$end" "$run" "$checkpoint" "$experiment" <<'PY'
import json, sys
start, end, run, checkpoint, experiment = (float(sys.argv[1]), float(sys.argv[2]), sys.argv[3],
                                           sys.argv[4], sys.argv[5])
ev = json.load(open(run + "/eval.json"))
print(json.dumps({
    "benchmark": "learn_gait", "experiment": experiment,
    "env_steps": ev["step"], "wall_seconds": round(end - start, 1),
    "velocity": ev.get("velocity"), "fall_rate": ev.get("fall_rate"),
    "distance": ev.get("distance"), "return_mean": ev.get("return_mean"),
    "gait_similarity/hip": ev.get("gait_similarity/hip"),
    "gait_similarity/knee": ev.get("gait_similarity/knee"),
    "gait_similarity/ankle": ev.get("gait_similarity/ankle"),
    "walks": bool((ev.get("velocity") or 0) >= 1.0 and ev.get("fall_rate") == 0),
    "checkpoint": checkpoint, "motion": run + "/walk.sto", "viewer": run + "/walk.html"}))
PY
