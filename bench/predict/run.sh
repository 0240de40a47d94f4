#!/usr/bin/env bash
# Predicted against measured iteration time on this host (2 ranks, shared
# memory), with the planner pricing collectives two ways from one
# agtf-profile run: its alpha-beta fit (the cluster file without samples)
# and its measured samples (docs/passes.md, "Measured collectives"). Each
# plan runs under both cluster files back to back, so that the two ratios
# come from the same minutes of this shared machine.
#
# Usage: bench/predict/run.sh [BIN] [OUT]   (defaults build/bin, build/predict)
# Writes OUT/results.jsonl and prints a table (bench/predict/report.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-build/bin}
out=${2:-build/predict}
ranks=2
mkdir -p "$out"
rm -f "$out/results.jsonl"
mpi=(mpirun -np $ranks --oversubscribe)

"${mpi[@]}" "$bin/agtf-profile" -o "$out/samples.json" --kernels-on-every-rank \
  > "$out/profile.log" 2>&1
python3 - "$out/samples.json" "$out/alpha-beta.json" <<'PY'
import json, sys
cluster = json.load(open(sys.argv[1]))
for fit in cluster.get("measured", {}).values():
    if isinstance(fit, dict):
        fit.pop("samples", None)
json.dump(cluster, open(sys.argv[2], "w"), indent=1)
PY

plans="layerwise:dense threshold:dense layerwise:topk single:topk optimal:topk"
for spec in resnet20:20 resnet50:6; do
  model=${spec%%:*}
  iters=${spec##*:}
  for plan in $plans; do
    strategy=${plan%%:*}
    compression=${plan##*:}
    for cluster in alpha-beta samples; do
      name=$model-$strategy-$compression-$cluster
      "$bin/agtf-opt" examples/profiles/$model.h100-roofline.mlir \
        --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=$out/$cluster.json},gcomm-merge{strategy=$strategy compression=$compression density=0.01 bucket-bytes=4194304 first-bucket-bytes=1048576},gcomm-simulate))" |
        "$bin/agtf-opt" --gcomm-lower-to-streams |
        "$bin/agtf-translate" --gcomm-to-schedule -o "$out/$name.bin"
      "${mpi[@]}" "$bin/agtf-run" "$out/$name.bin" --replay --iters "$iters" \
        --warmup 3 --json 2> "$out/$name.err" |
        python3 -c '
import json, sys
d = json.load(sys.stdin)
m = d["measured_iteration_us"]
print(json.dumps({"model": sys.argv[1], "plan": sys.argv[2],
                  "cluster": sys.argv[3], "buckets": d["buckets"],
                  "predicted_us": d["predicted_iteration_us"],
                  "measured_us": m["median"], "p10": m["p10"],
                  "p90": m["p90"]}))' "$model" "$strategy $compression" \
        "$cluster" >> "$out/results.jsonl"
    done
  done
done
python3 bench/predict/report.py "$out/results.jsonl"
