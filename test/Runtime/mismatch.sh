#!/usr/bin/env bash
# Ranks that disagree stop together, each with a non-zero exit, within
# seconds and with one message naming the problem: different schedules of
# one model, schedules of different models, ranks that ask for different
# devices, and a rank whose schedule is missing.
# Usage: mismatch.sh BIN_DIR SCHEDULE_DIR
set -uo pipefail
bin=$1 dir=$2
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
failed=0
expect() { # MESSAGE -- MPIRUN-ARGS...
  local message=$1; shift
  local start=$SECONDS out rc
  out=$(timeout 60 mpirun --oversubscribe "$@" 2>&1); rc=$?
  if [ $rc -eq 0 ] || [ $rc -eq 124 ] || [ $((SECONDS - start)) -gt 30 ]; then
    echo "FAIL: rc=$rc after $((SECONDS - start)) s: $*"; echo "$out"; failed=1
  elif ! grep -q -- "$message" <<<"$out"; then
    echo "FAIL: no '$message' in:"; echo "$out"; failed=1
  elif grep -q 'measured iteration' <<<"$out"; then
    echo "FAIL: a rank ran anyway:"; echo "$out"; failed=1
  else
    echo "ok: $message"
  fi
}
run=("$bin/agtf-run")
args=(--replay --iters 2 --warmup 0)
expect "ranks were given different schedules: rank 0 has $dir/topk-single.bin" \
  -np 1 "${run[@]}" "$dir/topk-single.bin" "${args[@]}" : \
  -np 2 "${run[@]}" "$dir/topk-layerwise.bin" "${args[@]}"
expect "ranks were given schedules for different models" \
  -np 2 "${run[@]}" "$dir/topk-layerwise.bin" "${args[@]}" : \
  -np 1 "${run[@]}" "$dir/other-model.bin" "${args[@]}"
expect "rank 2 cannot use its schedule: cannot read schedule .*: No such file" \
  -np 2 "${run[@]}" "$dir/topk-layerwise.bin" "${args[@]}" : \
  -np 1 "${run[@]}" "$dir/no-such-file.bin" "${args[@]}"
# One rank asks for a GPU: making a device is a collective the others
# would never join.
expect "ranks disagree on the device: rank 0 asks for cpu, rank 1 for cuda/mpi" \
  -np 1 "${run[@]}" "$dir/topk-layerwise.bin" "${args[@]}" : \
  -np 1 "${run[@]}" "$dir/topk-layerwise.bin" "${args[@]}" --device cuda
# A corrupt file on one rank.
head -c 100 "$dir/topk-layerwise.bin" > "$dir/truncated.bin"
expect "rank 1 cannot use its schedule" \
  -np 1 "${run[@]}" "$dir/topk-layerwise.bin" "${args[@]}" : \
  -np 1 "${run[@]}" "$dir/truncated.bin" "${args[@]}"
exit $failed
