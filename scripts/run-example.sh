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
echo "== $model: --fuse-sparse on 4 workers (1 GbE defaults), density 0.01"
build/bin/agtf-opt "$model" --fuse-sparse='workers=4 density=0.01 trace=build/lenet-trace.json'
echo "(predicted timeline as a Chrome trace: build/lenet-trace.json)"
