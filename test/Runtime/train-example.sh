#!/usr/bin/env bash
# examples/training (the Trainer API in a user's own LibTorch loop with
# torch::optim::SGD) on 2 ranks: it must finish with a lower loss than it
# started with, and refuse a schedule of another layout on both ranks.
# Usage: train-example.sh BIN_DIR OUT_DIR (from make-training-inputs.sh)
set -uo pipefail
bin=$1 out=$2
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
failed=0
for s in dense sparse; do
  got=$(timeout 120 mpirun -np 2 --oversubscribe "$bin/agtf-train-example" \
    "$out/$s.bin" "$out/fashion-cnn.pt" 100 2>&1); rc=$?
  first=$(grep -m1 '^step 0 loss' <<<"$got" | awk '{print $4}')
  last=$(grep '^step 99 loss' <<<"$got" | awk '{print $4}')
  if [ $rc -ne 0 ] || [ -z "$first" ] || [ -z "$last" ] ||
    ! awk -v a="$first" -v b="$last" 'BEGIN { exit !(b < a) }'; then
    echo "FAIL: $s: rc=$rc, loss $first -> $last"; echo "$got"; failed=1
  else
    echo "ok: $s: loss $first -> $last"
  fi
done
message="agtf-train-example: $out/reshaped.bin was made for another model: tensor 'fc3.weight' is 84x10 in the schedule, 10x84 in the model"
got=$(timeout 60 mpirun -np 2 --oversubscribe "$bin/agtf-train-example" \
  "$out/reshaped.bin" "$out/fashion-cnn.pt" 10 2>&1); rc=$?
if [ $rc -eq 0 ] || [ $rc -eq 124 ] ||
  [ "$(grep -cF -- "$message" <<<"$got")" -ne 2 ]; then
  echo "FAIL: another layout: rc=$rc"; echo "$got"; failed=1
else
  echo "ok: another layout refused on both ranks"
fi
exit $failed
