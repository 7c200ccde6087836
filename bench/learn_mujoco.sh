#!/usr/bin/env bash
# Learning on a standard MuJoCo task against the published figures (issue: "the learners match
# published results"). For each seed: trains the experiment for its trainer.total_steps (1 M for
# walker2d_ppo), then reads the training episodic return over the last 10 % of steps (what the
# published tables report) from metrics.csv and evaluates the final checkpoint (deterministic,
# 10 episodes). Extra overrides select a setting, e.g. runtime.synchronous=true for the
# synchronous comparison (actors wait for each update) or algo.normalize_returns=false.
# Prints one JSON line per run and a summary line: experiment, overrides, seeds, train_return
# mean/std, eval_return mean/std, mean policy lag, wall time, env steps/s.
# Usage: bench/learn_mujoco.sh [seeds, default 5] [extra overrides...]
#   EXPERIMENT=walker2d_ppo (default)   LEARN_MUJOCO_RUNS=<folder> (default runs/learn_mujoco)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-5}
shift || true
sinew=build/sinew
[ -x "$sinew" ] || { echo "build first: make build" >&2; exit 1; }
experiment=${EXPERIMENT:-walker2d_ppo}
root=${LEARN_MUJOCO_RUNS:-runs/learn_mujoco}
rows=()
for seed in $(seq 1 "$seeds"); do
  dir="$root/seed$seed"
  rm -rf "$dir"
  start=$(date +%s.%N)
  "$sinew" train experiment="$experiment" run.dir="$dir" trainer.seed="$seed" \
    logging.episode_every_minutes=0 "$@" >&2
  end=$(date +%s.%N)
  run=$(ls -d "$dir/$experiment"/*/ | tail -n 1)
  run=${run%/}
  "$sinew" eval "$run" --episodes 10 --json > "$run/eval.json"
  row=$(python3 - "$run" "$start" "$end" "$experiment" "$seed" "$*" <<'PY'
import csv, json, sys
run, start, end, experiment, seed, overrides = sys.argv[1:7]
rows = list(csv.DictReader(open(run + "/metrics.csv")))
returns = [(int(r["step"]), float(r["value"])) for r in rows if r["name"] == "rollout/return"]
lags = [float(r["value"]) for r in rows if r["name"] == "train/policy_lag"]
last = returns[-1][0] if returns else 0
tail = [v for s, v in returns if s >= 0.9 * last]
ev = json.load(open(run + "/eval.json"))
wall = float(end) - float(start)
print(json.dumps({"experiment": experiment, "overrides": overrides, "seed": int(seed),
                "env_steps": last, "train_return": sum(tail) / max(len(tail), 1),
                "eval_return": ev["return_mean"], "eval_length": ev["length_mean"],
                "policy_lag": round(sum(lags) / max(len(lags), 1), 3),
                "wall_s": round(wall, 1), "env_steps_per_s": round(last / wall)}))
PY
)
  echo "$row"
  rows+=("$row")
done
printf '%s\n' "${rows[@]}" | python3 -c '
import json, statistics as st, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
def ms(k):
    v = [r[k] for r in rows]
    return {"mean": round(st.mean(v), 1), "std": round(st.pstdev(v), 1)}
print(json.dumps({"summary": rows[0]["experiment"], "overrides": rows[0]["overrides"],
                  "seeds": len(rows),
                  "train_return": ms("train_return"), "eval_return": ms("eval_return"),
                  "policy_lag": ms("policy_lag"),
                  "wall_s": ms("wall_s"), "env_steps_per_s": ms("env_steps_per_s")}))'
