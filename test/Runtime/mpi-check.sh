#!/usr/bin/env bash
# agtf-run --check on 1, 2, 3 and 4 ranks for every merge plan of one
# compression algorithm: each rank recomputes every bucket's result from all
# ranks' inputs, and the ranks must end with identical parameters.
# Usage: mpi-check.sh BIN_DIR SCHEDULE_DIR ALGORITHM
set -uo pipefail
bin=$1 dir=$2 algo=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
extra=()
# DGC's density warmup: 5 epochs of 2 iterations, then the final density.
[ "$algo" = dgc ] && extra=(--epoch-iters 2)
failed=0
for plan in layerwise single threshold; do
  for np in 1 2 3 4; do
    s=$dir/$algo-$plan.bin
    if ! out=$(timeout 120 mpirun -np $np --oversubscribe "$bin/agtf-run" "$s" \
        --replay --check --json --iters 12 --warmup 1 --time-scale 0.2 \
        --timeout 60 "${extra[@]}" 2>&1); then
      echo "FAIL: $algo $plan np=$np"; echo "$out"; failed=1; continue
    fi
    if ! grep -q '"parameters_identical": true' <<<"$out" ||
       ! grep -q '"checked": true' <<<"$out"; then
      echo "FAIL: $algo $plan np=$np: no checked, identical result"
      echo "$out"; failed=1; continue
    fi
    echo "ok: $algo $plan np=$np"
  done
done
exit $failed
