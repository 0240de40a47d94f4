#!/usr/bin/env bash
# Plans what bench/overlap/run.sh trains on the GPU machine, which has no
# agtf-opt: ResNet-50 from its H100 roofline profile
# (examples/profiles/resnet50.h100-roofline.mlir), for 8 workers on the
# default cluster, as
#   resnet50-dense.bin        dense, DDP-style 25 MB buckets (no compression)
#   resnet50-fuse-sparse.bin  --fuse-sparse, exact top-k at density 0.001
# scripts/gpu-prepare.sh runs it into .gpu-deps/overlap.
# Usage: bench/overlap/plan.sh BIN_DIR OUT_DIR
set -euo pipefail
bin=$1 out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
graph=$root/examples/profiles/resnet50.h100-roofline.mlir
mkdir -p "$out"
lower() { # OUT
  "$bin/agtf-opt" --gcomm-lower-to-streams |
    "$bin/agtf-translate" --gcomm-to-schedule -o "$1"
}
"$bin/agtf-opt" "$graph" --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{workers=8},gcomm-annotate-timing,gcomm-merge{strategy=threshold compression=dense},gcomm-simulate))' |
  lower "$out/resnet50-dense.bin"
"$bin/agtf-opt" "$graph" --fuse-sparse="workers=8 density=0.001 compression=topk" |
  lower "$out/resnet50-fuse-sparse.bin"
