#!/usr/bin/env bash
# The overlap benchmark (issue 8 item 5, docs/benchmarks.md "Overlap on one
# GPU"), on the lent GPU machine after scripts/gpu-check.sh has built
# agtf-run there: ResNet-50 trained by agtf-run --model --device cuda on one
# rank (NCCL) with synthetic ImageNet-shaped data kept on the GPU, once with
# the dense schedule (no compression) and once with the --fuse-sparse
# schedule (exact top-k at density 0.001, compressed while backward runs).
# The iteration is forward, backward, the engine and the SGD step; its time
# is the batch over the samples per second of each epoch after the first
# (the first warms up cuDNN and the allocator). Writes OUT/overlap.md (the
# table), OUT/PLAN.json (agtf-run's output) and OUT/PLAN.trace.json
# (Chrome traces: the host's view of the compute, sparsify and comm lanes).
# The model is made here with make_models.py: torchvision's ResNet-50, or
# where torchvision is missing its own with the same names and shapes.
# Usage: bench/overlap/run.sh BIN_DIR SCHEDULE_DIR OUT_DIR [BATCH] [STEPS]
#   SCHEDULE_DIR: bench/overlap/plan.sh's output (.gpu-deps/overlap)
set -euo pipefail
bin=$1 schedules=$2 out=$3 batch=${4:-64} steps=${5:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
python=${PYTHON:-python3}
if [ ! -f "$out/resnet50.pt" ]; then
  "$python" "$root/examples/models/make_models.py" "$out" resnet50 >/dev/null
fi
for plan in dense fuse-sparse; do
  echo "== ResNet-50, $plan, batch $batch, $steps steps x 3 epochs" >&2
  "$bin/agtf-run" "$schedules/resnet50-$plan.bin" --model "$out/resnet50.pt" \
    --device cuda --backend nccl --data synthetic --input-shape 3x224x224 \
    --train-samples $((batch * steps)) --test-samples 64 --epochs 3 \
    --batch-size "$batch" --lr 0.01 --json --trace "$out/$plan.trace.json" \
    > "$out/$plan.json"
done
"$python" - "$out" "$batch" <<'PY' | tee "$out/overlap.md"
import json, statistics, subprocess, sys
out, batch = sys.argv[1], int(sys.argv[2])
def iteration_ms(plan):
    r = json.load(open(f"{out}/{plan}.json"))
    return statistics.median(1000.0 * batch / s for s in r["samples_per_s"][1:])
gpu = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                     capture_output=True, text=True).stdout.strip() or "unknown GPU"
dense, sparse = iteration_ms("dense"), iteration_ms("fuse-sparse")
print(f"ResNet-50 on one {gpu}, batch {batch}, one rank (NCCL), agtf-run --model --device cuda\n")
print("| schedule | iteration (ms) | vs dense |")
print("| --- | --- | --- |")
print(f"| dense, 25 MB buckets (no compression) | {dense:.1f} | 1.000 |")
print(f"| --fuse-sparse, top-k at density 0.001 | {sparse:.1f} | {sparse / dense:.3f} |")
verdict = "met" if sparse <= 1.05 * dense else "missed"
print(f"\nGoal (compression overlapped costs <= 5% more): {verdict}, "
      f"{100 * (sparse / dense - 1):+.1f}%")
PY
