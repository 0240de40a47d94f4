#!/usr/bin/env bash
# Ranks that disagree stop together, each with a non-zero exit and the
# message naming what differs, on which rank, and both values, within
# seconds: different schedules of one model, schedules of different models,
# a rank whose schedule is missing or truncated, and options that change
# what is computed or how many collectives run, and AGTF_MPI_WAIT
# (docs/runtime.md). MODE:
# schedules or options.
# Usage: mismatch.sh BIN_DIR SCHEDULE_DIR MODE
set -uo pipefail
bin=$1 dir=$2 mode=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
failed=0
expect() { # MESSAGE RANKS -- MPIRUN-ARGS...: every one of RANKS says it
  local message=$1 ranks=$2; shift 2
  local start=$SECONDS out rc
  out=$(timeout 60 mpirun --oversubscribe "$@" 2>&1); rc=$?
  if [ $rc -eq 0 ] || [ $rc -eq 124 ] || [ $((SECONDS - start)) -gt 30 ]; then
    echo "FAIL: rc=$rc after $((SECONDS - start)) s: $*"; echo "$out"; failed=1
  elif [ "$(grep -c -- "agtf-run: rank [0-9]: $message" <<<"$out")" -ne "$ranks" ]; then
    echo "FAIL: not all $ranks ranks said '$message':"; echo "$out"; failed=1
  elif grep -q 'measured iteration' <<<"$out"; then
    echo "FAIL: a rank ran anyway:"; echo "$out"; failed=1
  else
    echo "ok: $message"
  fi
}
run=("$bin/agtf-run")
s=$dir/topk-layerwise.bin
args=(--replay --iters 2 --warmup 0)
if [ "$mode" = schedules ]; then
expect "ranks disagree: the schedule is $s (hash 0x[0-9a-f]*) on rank 1 but $dir/topk-single.bin (hash 0x[0-9a-f]*) on rank 0" 3 \
  -np 1 "${run[@]}" "$dir/topk-single.bin" "${args[@]}" : \
  -np 2 "${run[@]}" "$s" "${args[@]}"
expect "ranks disagree: the schedule's model is $dir/other-model.bin (layout hash 0x[0-9a-f]*) on rank 2 but $s (layout hash" 3 \
  -np 2 "${run[@]}" "$s" "${args[@]}" : \
  -np 1 "${run[@]}" "$dir/other-model.bin" "${args[@]}"
expect "rank 2 cannot use its schedule: cannot read schedule .*: No such file" 3 \
  -np 2 "${run[@]}" "$s" "${args[@]}" : \
  -np 1 "${run[@]}" "$dir/no-such-file.bin" "${args[@]}"
# A corrupt file on one rank.
head -c 100 "$s" > "$dir/truncated.bin"
expect "rank 1 cannot use its schedule" 2 \
  -np 1 "${run[@]}" "$s" "${args[@]}" : \
  -np 1 "${run[@]}" "$dir/truncated.bin" "${args[@]}"
fi

[ "$mode" = options ] || exit $failed
# One rank asks for a GPU: making a device is a collective the
# others would never join.
expect "ranks disagree: --device is cuda on rank 1 but cpu on rank 0" 2 \
  -np 1 "${run[@]}" "$s" "${args[@]}" : \
  -np 1 "${run[@]}" "$s" "${args[@]}" --device cuda
# Other gradients: the ranks would train apart.
expect "ranks disagree: --seed is 2 on rank 1 but 1 on rank 0" 2 \
  -np 1 "${run[@]}" "$s" "${args[@]}" : \
  -np 1 "${run[@]}" "$s" "${args[@]}" --seed 2
# Other numbers of collectives: the ranks would wait for each other.
expect "ranks disagree: --iters is 3 on rank 2 but 2 on rank 0" 3 \
  -np 2 "${run[@]}" "$s" "${args[@]}" : \
  -np 1 "${run[@]}" "$s" "${args[@]}" --iters 3
expect "ranks disagree: --check is given on rank 1 but not given on rank 0" 2 \
  -np 1 "${run[@]}" "$s" "${args[@]}" : \
  -np 1 "${run[@]}" "$s" "${args[@]}" --check
# Training options, compared in replay too (batches of other sizes would
# end in MPI_ERR_TRUNCATE).
expect "ranks disagree: --batch-size is 16 on rank 1 but 32 on rank 0" 2 \
  -np 1 "${run[@]}" "$s" "${args[@]}" : \
  -np 1 "${run[@]}" "$s" "${args[@]}" --batch-size 16
# How the ranks wait in MPI (AGTF_MPI_WAIT): blocking and nonblocking
# collectives do not match, so one bad or different value stops them all.
expect "AGTF_MPI_WAIT is" 2 \
  -np 1 "${run[@]}" "$s" "${args[@]}" : \
  -np 1 env AGTF_MPI_WAIT=yes "${run[@]}" "$s" "${args[@]}"
expect "ranks disagree: AGTF_MPI_WAIT is spin on some ranks and sleep on others" 2 \
  -np 1 env AGTF_MPI_WAIT=spin "${run[@]}" "$s" "${args[@]}" : \
  -np 1 env AGTF_MPI_WAIT=sleep "${run[@]}" "$s" "${args[@]}"
# Training on one rank, replay on the other; the model is compared by its
# bytes (any file will do: the ranks stop before loading it).
if ldd "$bin/agtf-run" | grep -q libtorch; then
  expect "ranks disagree: --model is $dir/other-model.bin (bytes hash 0x[0-9a-f]*) on rank 1 but not given on rank 0" 2 \
    -np 1 "${run[@]}" "$s" "${args[@]}" : \
    -np 1 "${run[@]}" "$s" --model "$dir/other-model.bin"
fi
exit $failed
