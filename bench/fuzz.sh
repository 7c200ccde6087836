#!/usr/bin/env bash
# Fuzzes the two parsers that read user input: command-line config overrides and the OpenSim
# .sto reader (libFuzzer with clang, AddressSanitizer and UndefinedBehaviorSanitizer), each for a
# bounded time. Prints one JSON line per target: executions, seconds, findings (crashing,
# leaking or hanging inputs, saved under build-fuzz/findings/<target>/).
#
# Usage: bench/fuzz.sh [seconds per target, default 60]
# Needs clang-14 and libclang-rt-14-dev (Debian); builds into build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=build-fuzz
mkdir -p "$out"
CXX="${CXX:-clang++-14}"
command -v "$CXX" >/dev/null || { echo "fuzz: $CXX not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 2; }
flags=(-std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -Isrc "-DSINEW_SOURCE_DIR=\"$PWD\"")
libs=(-lyaml-cpp -lfmt)
core=(src/sinew/core/config.cc src/sinew/core/config_composer.cc src/sinew/core/yaml_scalar.cc
      src/sinew/core/closest_names.cc src/sinew/core/sha256.cc)

build() {  # target sources...
  local target=$1; shift
  echo "fuzz: building $target" >&2
  "$CXX" "${flags[@]}" "$@" "${libs[@]}" -o "$out/$target"
}
build config_override_fuzzer fuzz/config_override_fuzzer.cc "${core[@]}"
build sto_reader_fuzzer fuzz/sto_reader_fuzzer.cc src/sinew/sim/motion_table.cc \
  src/sinew/core/yaml_scalar.cc src/sinew/core/closest_names.cc

run() {  # target seed-corpus
  local target=$1 seeds=$2
  local work="$out/corpus/$target" findings="$out/findings/$target"
  mkdir -p "$work" "$findings"
  local log="$out/$target.log"
  echo "fuzz: running $target for $seconds s (log: $log)" >&2
  set +e
  "$out/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$work" "$seeds" >"$log" 2>&1
  local rc=$?
  set -e
  local runs secs
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  secs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | grep -oE 'in [0-9]+' | grep -oE '[0-9]+' || echo "$seconds")
  local found
  found=$(find "$findings" -type f | wc -l)
  printf '{"target": "%s", "executions": %s, "seconds": %s, "exit_code": %d, "findings": %d, "corpus": %d}\n' \
    "$target" "${runs:-0}" "${secs:-$seconds}" "$rc" "$found" "$(find "$work" -type f | wc -l)"
}
run config_override_fuzzer fuzz/corpus/config
run sto_reader_fuzzer fuzz/corpus/sto
