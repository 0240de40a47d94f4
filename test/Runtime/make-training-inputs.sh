#!/usr/bin/env bash
# Writes what the training tests run (docs/training.md): the Fashion-CNN
# and the tiny CNN from make_models.py, the Fashion-CNN imported with
# backprop profiled on Fashion-MNIST, and its schedules for 2 workers: a
# dense layer-wise plan, the --fuse-sparse plan (top-k buckets), and a dense
# plan of the same model with fc3.weight transposed (another layout).
# Usage: make-training-inputs.sh BIN_DIR SOURCE_DIR OUT_DIR
set -euo pipefail
bin=$1 src=$2 out=$3
mkdir -p "$out"
/usr/bin/python3 "$src/examples/models/make_models.py" "$out" fashion-cnn \
  tiny-cnn > /dev/null
"$bin/agtf-import" "$out/fashion-cnn.pt" --input-shape 32x1x28x28 \
  --data fashion-mnist --profile-iters 2 -o "$out/fashion-cnn.mlir"
"$bin/agtf-opt" "$out/fashion-cnn.mlir" --fuse-sparse="workers=2 density=0.05" |
  "$bin/agtf-opt" --gcomm-lower-to-streams |
  "$bin/agtf-translate" --gcomm-to-schedule -o "$out/sparse.bin"
plan() { # MLIR OUT
  "$bin/agtf-opt" "$1" --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{workers=2},gcomm-annotate-timing,gcomm-merge{strategy=layerwise compression=dense},gcomm-simulate,gcomm-lower-to-streams))' |
    "$bin/agtf-translate" --gcomm-to-schedule -o "$2"
}
plan "$out/fashion-cnn.mlir" "$out/dense.bin"
sed 's/tensor<10x84xf32>/tensor<84x10xf32>/' "$out/fashion-cnn.mlir" \
  > "$out/reshaped.mlir"
plan "$out/reshaped.mlir" "$out/reshaped.bin"
