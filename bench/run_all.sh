#!/usr/bin/env bash
# Prints sinew's throughput figures as JSON lines, each a ratio against a limit measured in the
# same run on the same machine:
#   env       env steps/s through the env interface vs raw mj_step on the same compiled model
#   learner   PPO learner samples/s vs raw LibTorch forward + backward + Adam on the same network
#   learner   MPO (gait_walk) gradient steps/s vs raw LibTorch doing the same networks' passes,
#             and the env steps/s the learner keeps up with at the configured replay ratio
#   training  end-to-end env steps/s of a short pendulum_ppo run (actors + learner)
# Usage: bench/run_all.sh [seconds per measurement, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
sinew=build/sinew
[ -x "$sinew" ] || { echo "build first: make build" >&2; exit 1; }

"$sinew" bench env=pendulum --seconds "$seconds" --json
"$sinew" bench experiment=pendulum_ppo --learner --seconds "$seconds" --json
"$sinew" bench experiment=gait_walk --learner --seconds "$seconds" --json

# end to end: a short training run in a scratch folder
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
start=$(date +%s.%N)
"$sinew" train experiment=pendulum_ppo trainer.total_steps=1e5 checkpoint.every_steps=0 \
  run.dir="$scratch" >/dev/null 2>"$scratch/err.txt"
end=$(date +%s.%N)
python3 - "$start" "$end" "$scratch" <<'PY'
import csv, glob, json, sys
start, end, scratch = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
rows = list(csv.DictReader(open(glob.glob(scratch + "/pendulum_ppo/*/metrics.csv")[0])))
steps = max(int(r["step"]) for r in rows)
rate = [float(r["value"]) for r in rows if r["name"] == "rollout/steps_per_second"]
print(json.dumps({"benchmark": "training", "experiment": "pendulum_ppo", "env_steps": steps,
                  "wall_seconds": round(end - start, 2),
                  "env_steps_per_second": round(steps / (end - start), 1),
                  "steady_env_steps_per_second": round(sorted(rate)[len(rate) // 2], 1)}))
PY
