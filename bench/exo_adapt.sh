#!/usr/bin/env bash
# How much the walker's re-adaptation to a device matters: fine-tunes the shipped walker
# (experiment gait_finetune_ppo) twice for the same env steps from the same start and seed,
# once without the device and once wearing it (exo=<device>, with the profile a search found
# when its result.json is given), then evaluates both over 10 episodes, and the walker as
# shipped wearing the same device. Prints one JSON line: the metabolic change of the re-adapted
# walker against the baseline fine-tuned without the device (fraction, negative = saving), the
# same for the frozen walker against the shipped one, cost of transport and velocity of each,
# device positive work per stride, energy ratio (metabolic saving / positive device work, both
# per metre), gait similarity, and the wall time.
# Usage: bench/exo_adapt.sh [env steps, default 1e6] [device, default ankle] [result.json] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-1e6}
device=${2:-ankle}
result=${3:-}
seed=${4:-1}
sinew=build/sinew
[ -x "$sinew" ] || { echo "build first: make build" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
profile=()
if [ -n "$result" ]; then
  mapfile -t profile < <(python3 -c "import json,sys; print('\n'.join(json.load(open(sys.argv[1]))['best_overrides']))" "$result")
fi
walker=assets/policies/gait_walker
start=$(date +%s.%N)
for arm in without with; do
  extra=()
  [ "$arm" = with ] && extra=("exo=$device" "${profile[@]}")
  "$sinew" train experiment=gait_finetune_ppo trainer.total_steps="$steps" trainer.seed="$seed" \
    checkpoint.every_steps=0 run.dir="$scratch/$arm" "${extra[@]}" >/dev/null 2>"$scratch/$arm.log"
  run=$(ls -d "$scratch/$arm"/gait_finetune_ppo/*/ | head -1)
  "$sinew" eval "$run" --episodes 10 --no-conditions --json > "$scratch/$arm.json"
done
"$sinew" eval "$walker" --episodes 10 --no-conditions --json > "$scratch/frozen_without.json"
"$sinew" eval "$walker" --episodes 10 --no-conditions --json "exo=$device" "${profile[@]}" \
  > "$scratch/frozen_with.json"
end=$(date +%s.%N)
python3 - "$scratch" "$device" "$steps" "$seed" "$start" "$end" "${profile[*]:-}" <<'PY'
import json, sys
scratch, device, steps, seed, start, end, profile = sys.argv[1:8]
def load(name):
    return json.load(open(f"{scratch}/{name}.json"))
def pair(without, with_):
    w, d = load(without), load(with_)
    saving = (w["cost_of_transport"] - d["cost_of_transport"]) * d["exo/person_mass"]
    work = d["exo/positive_work"] / d["distance"] if d["distance"] > 0 else 0
    return {"metabolic_change": d["cost_of_transport"] / w["cost_of_transport"] - 1,
            "cost_of_transport": {"with": d["cost_of_transport"], "without": w["cost_of_transport"]},
            "velocity": {"with": d["velocity"], "without": w["velocity"]},
            "fall_rate": {"with": d["fall_rate"], "without": w["fall_rate"]},
            "device_positive_work_j_per_stride": d["exo/positive_work_per_stride"],
            "energy_ratio": saving / work if d["exo/positive_work_per_stride"] >= 1 else None,
            "similarity": {j: d[f"gait_similarity/{j}"] for j in ("hip", "knee", "ankle")}}
out = {"benchmark": "exo_adapt", "device": device, "profile": profile.split() if profile else "device file",
       "finetune_steps": float(steps), "seed": int(seed),
       "readapted": pair("without", "with"), "frozen": pair("frozen_without", "frozen_with"),
       "wall_seconds": round(float(end) - float(start), 1)}
print(json.dumps(out))
PY
