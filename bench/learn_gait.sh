#!/usr/bin/env bash
# Learns to walk on the 18-muscle gait model for a wall-time budget, keeping a checkpoint every
# EVAL_EVERY minutes of run time; afterwards (so evaluation never slows training) evaluates each
# checkpoint over 10 episodes of 10 s and reports the learning curve and time-to-walk: the run
# time and env steps of the first checkpoint that walks (all 10 episodes last their 10 s without
# a fall, velocity >= 1.0 m/s). The last checkpoint is also recorded as a motion file (.sto) and as the
# gait viewer (.html).
# Prints one JSON line: experiment, seed, time_to_walk_s / time_to_walk_steps (null when it
# never walked), final env steps, velocity, fall rates (normal, from standing, under a push),
# gait similarity of hip/knee/ankle with the normative curves, cost of transport, the curve
# file (one JSON line per checkpoint) and the files written.
# Usage: bench/learn_gait.sh [budget minutes, default 15] [extra overrides...]
#   EXPERIMENT=gait_track_ppo bench/learn_gait.sh 60     # another experiment (default gait_walk_ppo)
#   EVAL_EVERY=2 bench/learn_gait.sh 60                  # checkpoint every 2 minutes (default 1)
#   LEARN_GAIT_RUNS=<folder> sets where the run goes (default runs/learn_gait)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-15}
shift || true
sinew=build/sinew
[ -x "$sinew" ] || { echo "build first: make build" >&2; exit 1; }
runs=${LEARN_GAIT_RUNS:-runs/learn_gait}
experiment=${EXPERIMENT:-gait_walk_ppo}
every=${EVAL_EVERY:-1}

# SIGINT at the budget: sinew stops and writes a final checkpoint
start=$(date +%s.%N)
timeout -s INT --kill-after=300 "$(python3 -c "print(int($minutes * 60))")" \
  "$sinew" train experiment="$experiment" run.dir="$runs" trainer.total_steps=1e10 \
  checkpoint.every_minutes="$every" checkpoint.every_steps=0 checkpoint.keep_last=0 "$@" >&2 || true
end=$(date +%s.%N)

run=$(ls -d "$runs/$experiment"/*/ | sort | tail -n 1)
run=${run%/}
: > "$run/curve.jsonl"
for checkpoint in $(ls -d "$run"/checkpoints/step_* | awk -F_ '{print $NF, $0}' | sort -n | cut -d" " -f2-); do
  "$sinew" eval "$checkpoint" --episodes 10 --json | python3 -c '
import json, sys
ev = json.loads(sys.stdin.read())
manifest = json.load(open(sys.argv[1] + "/manifest.json"))
keep = ["step", "velocity", "fall_rate", "completed", "duration_mean_s", "distance",
        "return_mean",
        "gait_similarity/hip", "gait_similarity/knee", "gait_similarity/ankle",
        "cost_of_transport", "standing/fall_rate", "standing/velocity", "standing/completed",
        "push/fall_rate", "push/completed"]
row = {k: ev.get(k) for k in keep}
row["run_seconds"] = round(manifest.get("wall_time_s", 0.0), 1)
print(json.dumps(row))' "$checkpoint" >> "$run/curve.jsonl"
done
checkpoint=$(ls -d "$run"/checkpoints/step_* | awk -F_ '{print $NF, $0}' | sort -n | tail -n 1 | cut -d" " -f2-)
"$sinew" play "$checkpoint" --out "$run/walk.sto" >&2
"$sinew" play "$checkpoint" --out "$run/walk.html" >&2
python3 - "$start" "$end" "$run" "$checkpoint" "$experiment" "$@" <<'PY'
import json, sys
start, end, run, checkpoint, experiment = (float(sys.argv[1]), float(sys.argv[2]), sys.argv[3],
                                           sys.argv[4], sys.argv[5])
overrides = sys.argv[6:]
curve = [json.loads(line) for line in open(run + "/curve.jsonl")]
# walking: every one of the 10 episodes lasts its 10 s without a fall, at >= 1.0 m/s
walks = lambda r: ((r.get("velocity") or 0) >= 1.0 and r.get("fall_rate") == 0
                   and r.get("completed") == 1)
first = next((r for r in curve if walks(r)), None)
last = curve[-1] if curve else {}
seed = next((o.split("=", 1)[1] for o in overrides if o.startswith("trainer.seed=")), "1")
out = {"benchmark": "learn_gait", "experiment": experiment, "seed": int(seed),
       "overrides": overrides, "wall_seconds": round(end - start, 1),
       "time_to_walk_s": first["run_seconds"] if first else None,
       "time_to_walk_steps": first["step"] if first else None,
       "env_steps": last.get("step"), "walks": bool(curve and walks(last))}
for k in ["velocity", "fall_rate", "completed", "standing/fall_rate", "push/fall_rate", "distance",
          "return_mean", "gait_similarity/hip", "gait_similarity/knee", "gait_similarity/ankle",
          "cost_of_transport"]:
    out[k] = last.get(k)
out.update({"checkpoint": checkpoint, "curve": run + "/curve.jsonl",
            "motion": run + "/walk.sto", "viewer": run + "/walk.html"})
print(json.dumps(out))
PY
