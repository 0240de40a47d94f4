#!/usr/bin/env bash
# Fingerprints of what the tools produce, for before/after comparisons of a
# change that must not change behaviour (issue 17): every example graph
# (examples/mlir, examples/profiles) planned with every merge strategy and
# every compression, and with --fuse-sparse, lowered and written as
# schedule.bin; and a 2-rank training run of the Fashion-CNN with a dense
# and a --fuse-sparse schedule, whose saved parameters are hashed.
# Imported graphs carry measured times, so the training inputs are made
# once (test/Runtime/make-training-inputs.sh) and reused: pass the same
# TRAINING_INPUTS folder to both runs.
# Writes OUT/plans.sha256, OUT/training.sha256 (and the files they hash).
# Compare two runs with: diff BEFORE/plans.sha256 AFTER/plans.sha256 (and
# training.sha256); bench/fingerprint/compare.sh does both.
# Usage: bench/fingerprint/run.sh BIN_DIR OUT_DIR TRAINING_INPUTS
set -euo pipefail
bin=$(cd "$1" && pwd)
out=$2
inputs=$3
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out/plans" "$inputs"
out=$(cd "$out" && pwd)
inputs=$(cd "$inputs" && pwd)

strategies=(layerwise single threshold mgwfbp omgs agtf optimal)
compressions=(dense dense-f16 topk topk-sampled gtopk dgc lowrank powersgd)
graphs=("$src/examples/mlir/lenet.mlir" "$src"/examples/profiles/*.mlir)
for g in "${graphs[@]}"; do
  name=$(basename "$g" .mlir)
  for s in "${strategies[@]}"; do
    for c in "${compressions[@]}"; do
      "$bin/agtf-opt" "$g" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{workers=8},gcomm-annotate-timing,gcomm-merge{strategy=$s compression=$c density=0.01 rank=2},gcomm-simulate,gcomm-lower-to-streams))" |
        "$bin/agtf-translate" --gcomm-to-schedule -o "$out/plans/$name-$s-$c.bin"
    done
  done
  "$bin/agtf-opt" "$g" --fuse-sparse='workers=8' | "$bin/agtf-opt" --gcomm-lower-to-streams |
    "$bin/agtf-translate" --gcomm-to-schedule -o "$out/plans/$name-fuse-sparse.bin"
done
(cd "$out/plans" && sha256sum -- *.bin) >"$out/plans.sha256"

if [ ! -f "$inputs/sparse.bin" ]; then
  bash "$src/test/Runtime/make-training-inputs.sh" "$bin" "$src" "$inputs" >/dev/null
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
: >"$out/training.sha256"
for plan in dense sparse; do
  mpirun -np 2 --oversubscribe "$bin/agtf-run" "$inputs/$plan.bin" \
    --model "$inputs/fashion-cnn.pt" --data fashion-mnist \
    --train-samples 2048 --test-samples 500 --epochs 2 --batch-size 32 \
    --lr 0.05 --seed 7 --save "$out/trained-$plan.pt" --json \
    >"$out/training-$plan.json" 2>"$out/training-$plan.log"
  /usr/bin/python3 - "$out/trained-$plan.pt" "$out/training-$plan.json" <<'PY' >>"$out/training.sha256"
import hashlib, json, sys, torch
m = torch.jit.load(sys.argv[1])
h = hashlib.sha256()
for name, t in sorted(m.state_dict().items()):
    h.update(name.encode()); h.update(t.contiguous().numpy().tobytes())
r = json.loads(open(sys.argv[2]).read())
keep = {k: r[k] for k in ("train_loss", "test_accuracy") if k in r}
print(h.hexdigest(), sys.argv[1].rsplit("/", 1)[-1], json.dumps(keep))
PY
done
echo "fingerprint: $(wc -l <"$out/plans.sha256") schedules, $(wc -l <"$out/training.sha256") training runs in $out"
