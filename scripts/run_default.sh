#!/usr/bin/env bash
# `make run`: the default job. Trains the gait model to walk (experiment gait_track_ppo unless
# the arguments choose another), then writes the result next to the run: walk.html (the gait
# viewer, open it in a browser) and walk.sto (the motion for OpenSim / SCONE Studio), and prints
# its evaluation. Arguments are sinew overrides, e.g. `make run ARGS="trainer.seed=2"`.
set -euo pipefail
cd "$(dirname "$0")/.."
sinew=${SINEW:-build/sinew}
args=("$@")
case " ${args[*]-} " in
  *" experiment="*) ;;
  *) args=(experiment=gait_track_ppo "${args[@]}") ;;
esac
checkpoint=$("$sinew" train "${args[@]}" | tail -n 1)
[ -n "$checkpoint" ] || { echo "no final checkpoint" >&2; exit 1; }
run=$(dirname "$(dirname "$checkpoint")")
"$sinew" play "$checkpoint" --out "$run/walk.html"
"$sinew" play "$checkpoint" --out "$run/walk.sto"
"$sinew" eval "$checkpoint" --episodes 10
echo "open $run/walk.html in a browser; $run/walk.sto opens in OpenSim"
