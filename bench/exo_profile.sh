#!/usr/bin/env bash
# The metabolic benefit of a device's assistance profile tuned by `sinew exo-optimize` for the
# shipped walker (its policy fixed: no re-adaptation), over several CMA-ES seeds: one JSON line
# per seed with the search's result, then one summary line (mean, min, max of the metabolic
# change and the energy ratio, and the wall time per search on this machine).
# Usage: bench/exo_profile.sh [device, default ankle] [seeds, default "1 2 3"] [generations, 20]
set -euo pipefail
cd "$(dirname "$0")/.."
device=${1:-ankle}
seeds=${2:-1 2 3}
generations=${3:-20}
sinew=build/sinew
[ -x "$sinew" ] || { echo "build first: make build" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for seed in $seeds; do
  start=$(date +%s.%N)
  "$sinew" exo-optimize assets/policies/gait_walker "exo=$device" --seed "$seed" \
    --generations "$generations" --episodes 4 --out "$scratch/$seed" --json 2>/dev/null \
    > "$scratch/$seed.json"
  end=$(date +%s.%N)
  python3 - "$scratch/$seed.json" "$seed" "$start" "$end" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["seed"] = int(sys.argv[2])
r["wall_seconds"] = round(float(sys.argv[4]) - float(sys.argv[3]), 1)
print(json.dumps(r))
PY
done | tee "$scratch/all.jsonl"
python3 - "$scratch/all.jsonl" "$device" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
def stats(key):
    v = [r[key] for r in runs if r[key] is not None]  # energy_ratio: null without device work
    if not v:
        return None
    return {"mean": sum(v) / len(v), "min": min(v), "max": max(v), "runs": len(v)}
print(json.dumps({"benchmark": "exo_profile", "device": sys.argv[2], "seeds": len(runs),
                  "metabolic_change": stats("metabolic_change"),
                  "energy_ratio": stats("energy_ratio"),
                  "device_positive_work_j_per_stride": stats("device_positive_work_j_per_stride"),
                  "wall_seconds": stats("wall_seconds")}))
PY
