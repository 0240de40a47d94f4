#!/usr/bin/env bash
# Writes the schedules the runtime tests run: examples/mlir/lenet.mlir
# planned for 4 workers with every compression algorithm and several merge
# strategies, plus a second model for the mismatch test.
# Usage: make-schedules.sh BIN_DIR SOURCE_DIR OUT_DIR
set -euo pipefail
bin=$1 src=$2 out=$3
mkdir -p "$out"
plan() { # MODEL STRATEGY COMPRESSION OUT
  "$bin/agtf-opt" "$1" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{workers=4},gcomm-annotate-timing,gcomm-merge{strategy=$2 compression=$3 density=0.05 rank=2 bucket-bytes=40000 first-bucket-bytes=400},gcomm-simulate,gcomm-lower-to-streams))" |
    "$bin/agtf-translate" --gcomm-to-schedule -o "$4"
}
for c in dense dense-f16 topk topk-sampled gtopk dgc lowrank powersgd; do
  for s in layerwise single threshold; do
    plan "$src/examples/mlir/lenet.mlir" $s $c "$out/$c-$s.bin"
  done
done
# The same model with one tensor reshaped: another layout hash.
sed 's/tensor<10x84xf32>/tensor<84x10xf32>/' "$src/examples/mlir/lenet.mlir" \
  > "$out/lenet-reshaped.mlir"
plan "$out/lenet-reshaped.mlir" layerwise topk "$out/other-model.bin"
