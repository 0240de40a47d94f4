#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, and runs the
# main job on an example model: a Fashion-MNIST CNN (TorchScript) imported
# with backprop profiled on real data, planned by --fuse-sparse, lowered to
# stream programs and written as schedule.bin, then run on 4 MPI ranks by
# agtf-run --replay, which prints measured against predicted time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -G Ninja -B build -S . -DCMAKE_BUILD_TYPE=Release > build.log 2>&1 ||
  { cat build.log; exit 1; }
cmake --build build >> build.log 2>&1 || { tail -50 build.log; exit 1; }

out=build/example
mkdir -p $out
echo "== make the model"
/usr/bin/python3 examples/models/make_models.py $out fashion-cnn
echo "== agtf-import: profile backprop on Fashion-MNIST batches"
build/bin/agtf-import $out/fashion-cnn.pt --input-shape 64x1x28x28 \
  --data fashion-mnist --profile-iters 5 -o $out/fashion-cnn.mlir
echo "== agtf-opt --fuse-sparse: 4 workers, 1 GbE defaults, mean density 0.01"
build/bin/agtf-opt $out/fashion-cnn.mlir \
  --fuse-sparse="workers=4 density=0.01 trace=$out/fashion-cnn.trace.json" \
  -o $out/fashion-cnn.plan.mlir
echo "== gcomm-lower-to-streams, agtf-translate: schedule.bin"
build/bin/agtf-opt $out/fashion-cnn.plan.mlir --gcomm-lower-to-streams |
  build/bin/agtf-translate --gcomm-to-schedule -o $out/schedule.bin
build/bin/agtf-translate --schedule-to-json $out/schedule.bin -o $out/schedule.json
/usr/bin/python3 scripts/print-plan.py < $out/schedule.json
echo "== for comparison, layer-wise top-k under the same model:"
build/bin/agtf-opt $out/fashion-cnn.mlir --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{workers=4},gcomm-annotate-timing,gcomm-sparsity-budget{rule=importance density=0.01},gcomm-merge{strategy=layerwise compression=topk},gcomm-simulate))' |
  grep -o 'predicted_[a-z_]* = [^,}]*'
echo "== mpirun -np 4 agtf-run schedule.bin --replay: measured vs predicted"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun -np 4 --oversubscribe build/bin/agtf-run $out/schedule.bin --replay \
  --iters 20 --trace $out/fashion-cnn.measured.json
echo "plan: $out/fashion-cnn.plan.mlir; schedule: $out/schedule.bin ($out/schedule.json);"
echo "predicted timeline (Chrome trace): $out/fashion-cnn.trace.json;"
echo "measured timeline: $out/fashion-cnn.measured.json (rank 0; .rankN the others)"
