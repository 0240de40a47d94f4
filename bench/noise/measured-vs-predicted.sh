#!/usr/bin/env bash
# The noise model measured (docs/benchmarks.md, "The noise model measured";
# issue 20, item 3): the Fashion-MNIST CNN imported with backprop profiled on
# real batches, planned by every merge strategy under top-k (and by
# --fuse-sparse), each plan trained by agtf-run --model on RANKS ranks for
# every seed in SEEDS, and per plan and bucket gcomm-simulate's predicted
# noise set beside the residual the runtime measured (agtf-run's `residual`
# summary: the per-member sum, the figure the relative model predicts, and
# the bucket's own ratio), with Spearman's rank correlation across plans of
# predicted noise against measured noise and against final accuracy. Also
# plans the docs' "Accuracy per plan" rows for 4 workers and correlates their
# predicted noise with the accuracies recorded there.
# Writes OUT/report.md and per-plan files (NAME.plan.mlir, NAME.bin,
# NAME.predicted.json, NAME.seedS.json).
#
# Usage: bench/noise/measured-vs-predicted.sh OUT_DIR
# Environment: RANKS (2), SEEDS ("1 2 3 4 5"), EPOCHS (2), BATCH per rank
# (32), LR (0.05), TRAIN_SAMPLES (30000), TEST_SAMPLES (10000), DENSITY
# (0.001), BIN (build/bin).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1
bin=${BIN:-build/bin}
ranks=${RANKS:-2} seeds=${SEEDS:-"1 2 3 4 5"} epochs=${EPOCHS:-2}
batch=${BATCH:-32} lr=${LR:-0.05} density=${DENSITY:-0.001}
train=${TRAIN_SAMPLES:-30000} test=${TEST_SAMPLES:-10000}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$out"

model=$out/fashion-cnn.pt
if [ ! -f "$out/fashion-cnn.mlir" ]; then
  /usr/bin/python3 examples/models/make_models.py "$out" fashion-cnn > /dev/null
  "$bin/agtf-import" "$model" --input-shape ${batch}x1x28x28 \
    --data fashion-mnist --profile-iters 5 -o "$out/fashion-cnn.mlir"
fi

# As bench/accuracy.sh: top-k keeps DENSITY of each matrix of 1024 or more
# elements; AGTF takes the importance budget and its own noise rule.
uniform="gcomm-sparsity-budget{rule=uniform density=$density}"
importance="gcomm-sparsity-budget{rule=importance density=$density}"
rows=(
  "dense|$uniform,gcomm-merge{strategy=threshold compression=dense}"
  "layerwise|$uniform,gcomm-merge{strategy=layerwise compression=topk}"
  "single|$uniform,gcomm-merge{strategy=single compression=topk}"
  "threshold|$uniform,gcomm-merge{strategy=threshold compression=topk}"
  "mgwfbp|$uniform,gcomm-merge{strategy=mgwfbp compression=topk}"
  "omgs|$uniform,gcomm-merge{strategy=omgs compression=topk}"
  "agtf|$importance,gcomm-merge{strategy=agtf compression=topk noise=agtf-norm}"
  "optimal|$uniform,gcomm-merge{strategy=optimal compression=topk}"
  "fuse-sparse|fuse-sparse"
)
# plan MLIR_IN WORKERS PASSES MLIR_OUT
plan() {
  if [ "$3" = fuse-sparse ]; then
    "$bin/agtf-opt" "$1" --fuse-sparse="workers=$2 density=$density" -o "$4"
  else
    "$bin/agtf-opt" "$1" -o "$4" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{workers=$2},gcomm-annotate-timing,$3,gcomm-simulate))"
  fi
}
names=()
for row in "${rows[@]}"; do
  IFS='|' read -r name passes <<<"$row"
  names+=("$name")
  plan "$out/fashion-cnn.mlir" "$ranks" "$passes" "$out/$name.plan.mlir"
  /usr/bin/python3 bench/noise/report.py predict "$bin" "$out/$name.plan.mlir" \
    > "$out/$name.predicted.json"
  "$bin/agtf-opt" "$out/$name.plan.mlir" --gcomm-lower-to-streams |
    "$bin/agtf-translate" --gcomm-to-schedule -o "$out/$name.bin"
  # The docs' accuracy rows were planned for 4 workers.
  plan "$out/fashion-cnn.mlir" 4 "$passes" "$out/$name.w4.plan.mlir"
  /usr/bin/python3 bench/noise/report.py predict "$bin" \
    "$out/$name.w4.plan.mlir" > "$out/$name.w4.predicted.json"
done

# Strategies that find the same plan train it once (OUT/NAME.same names the
# first); the correlations count each plan once.
for i in "${!names[@]}"; do
  rm -f "$out/${names[$i]}.same"
  for ((j = 0; j < i; j++)); do
    if [ ! -f "$out/${names[$j]}.same" ] &&
       cmp -s "$out/${names[$i]}.bin" "$out/${names[$j]}.bin"; then
      echo "${names[$j]}" > "$out/${names[$i]}.same"
      break
    fi
  done
done
for name in "${names[@]}"; do
  for seed in $seeds; do
    if [ -f "$out/$name.same" ]; then
      cp "$out/$(cat "$out/$name.same").seed$seed.json" "$out/$name.seed$seed.json"
      continue
    fi
    [ -s "$out/$name.seed$seed.json" ] && continue
    start=$SECONDS
    mpirun -np "$ranks" --oversubscribe "$bin/agtf-run" "$out/$name.bin" \
      --model "$model" --epochs "$epochs" --batch-size "$batch" --lr "$lr" \
      --momentum 0.9 --lr-warmup-epochs 0.5 --lr-schedule cosine \
      --seed "$seed" --train-samples "$train" --test-samples "$test" --json \
      > "$out/$name.seed$seed.json.tmp"
    mv "$out/$name.seed$seed.json.tmp" "$out/$name.seed$seed.json"
    echo "$name seed $seed: $((SECONDS - start)) s" >&2
  done
done
/usr/bin/python3 bench/noise/report.py report "$out" "$seeds" "${names[@]}" |
  tee "$out/report.md"
