#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, and plans the
# gradient communication of an example model with agtf-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -G Ninja -B build -S . -DCMAKE_BUILD_TYPE=Release > build.log 2>&1 ||
  { cat build.log; exit 1; }
cmake --build build >> build.log 2>&1 || { tail -50 build.log; exit 1; }

model=examples/mlir/lenet.mlir
echo "== $model: DDP-style dense buckets (pipeline --ddp-buckets)"
build/bin/agtf-opt "$model" --ddp-buckets
echo
echo "== $model: layer-wise top-k at density 0.01"
build/bin/agtf-opt "$model" \
  --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=layerwise compression=topk density=0.01}))'
