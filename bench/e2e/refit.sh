#!/usr/bin/env bash
# Judges a cost-model fit out of sample, without running anything: refits
# each network's cluster file to pass 1's traces (ROOT/uncalibrated) with
# this build's agtf-profile --from-trace, then prices pass 2's plans
# (ROOT/RATE/MODEL/*.plan.mlir) under the file they were planned with
# (ROOT/RATE/fitted.json) and under the refit, beside pass 2's measured
# median. Prints one line per plan and each cell's median and worst
# |error| under both.
# Usage: bench/e2e/refit.sh ROOT OUT_DIR   (ROOT: a bench/e2e/run.sh --out)
set -euo pipefail
root=$1 out=$2
bin=$(realpath -m "${AGTF_BIN:-build/bin}")
mkdir -p "$out"
: > "$out/table.txt"
for rate_dir in "$root/uncalibrated"/*/; do
  rate=$(basename "$rate_dir")
  pairs=()
  for f in "$root/uncalibrated/$rate"/*/*.bin; do
    f=${f%.bin}
    [ -s "$f.measured.json" ] && pairs+=("$f.bin" "$f.measured.json")
  done
  "$bin/agtf-profile" --from-trace --cluster "$root/$rate/cluster.json" \
    -o "$out/$rate-refit.json" "${pairs[@]}" > "$out/$rate-fit.log"
  price() { # PLAN CLUSTER
    "$bin/agtf-opt" "$1" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=$2},gcomm-simulate))" |
      grep -o 'predicted_iter_us = [0-9.e+]*' | head -1 | awk '{print $3}'
  }
  for plan in "$root/$rate"/*/*.plan.mlir; do
    run=${plan%.plan.mlir}.run.json
    [ -s "$run" ] || continue
    model=$(basename "$(dirname "$plan")")
    measured=$(/usr/bin/python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['measured_iteration_us']['median'])" "$run")
    echo "$rate $model $(basename "$plan" .plan.mlir) $measured" \
      "$(price "$plan" "$root/$rate/fitted.json")" \
      "$(price "$plan" "$out/$rate-refit.json")" >> "$out/table.txt"
  done
done
/usr/bin/python3 - "$out/table.txt" <<'PY'
import collections, statistics, sys
cells = collections.defaultdict(list)
for line in open(sys.argv[1]):
    rate, model, plan, measured, old, new = line.split()
    m = float(measured)
    cells[(rate, model)].append((abs(float(old) / m - 1), abs(float(new) / m - 1)))
print("| network | model | plans | planned with: median, worst |error| | refit: median, worst |error| |")
print("| --- | --- | --- | --- | --- |")
for (rate, model), errors in cells.items():
    old = [o for o, _ in errors]
    new = [n for _, n in errors]
    print(f"| {rate} | {model} | {len(errors)} | {statistics.median(old):.0%}, {max(old):.0%} "
          f"| {statistics.median(new):.0%}, {max(new):.0%} |")
PY
