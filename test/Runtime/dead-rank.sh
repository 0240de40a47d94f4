#!/usr/bin/env bash
# A rank that dies (SIGKILL) or stalls (SIGSTOP) mid-run: the others must
# exit non-zero with a clear message instead of hanging, and no process of
# the job may be left behind. Usage: dead-rank.sh BIN_DIR SCHEDULE_DIR
set -uo pipefail
bin=$1 dir=$2
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
source "$(dirname "$0")/job-ended.sh"
failed=0
tag=dead-rank-$$
trial() { # SIGNAL MESSAGE
  local signal=$1 message=$2 log=$dir/$tag.log
  # --seed carries the tag so that this job's processes can be found.
  timeout 90 mpirun -np 3 --oversubscribe "$bin/agtf-run" \
    "$dir/topk-threshold.bin" --replay --iters 1000000 --seed $$ \
    --timeout 3 > "$log" 2>&1 &
  local job=$!
  local victim=""
  for _ in $(seq 100); do
    # A rank, not mpirun or timeout: its command line starts with agtf-run.
    victim=$(pgrep -f "^[^ ]*agtf-run $dir/topk-threshold.bin --replay --iters 1000000 --seed $$" | tail -1)
    [ -n "$victim" ] && break
    sleep 0.1
  done
  # Mid-run: past MPI's startup, when the rank runs its watchdog and the
  # engine's two threads (6 threads with MPI's own two). agtf-run loads
  # LibTorch's libraries first, which takes seconds on a busy machine, and
  # a rank stopped inside MPI_Init would test that stage instead
  # (faulty-rank.sh).
  for _ in $(seq 300); do
    [ "$(ls /proc/"$victim"/task 2>/dev/null | wc -l)" -ge 6 ] && break
    sleep 0.1
  done
  sleep 1.5
  local start=$SECONDS
  kill -s "$signal" "$victim"
  wait $job; local rc=$?
  ended "$signal" $rc $start "$(cat "$log")" "$message"
  nothing_left "$signal" "seed $$"
}
trial KILL "agtf-run: rank [0-9]: stopped by the launcher"
trial STOP "has waited [0-9]* s for its peers; a rank died or stalled"
exit $failed
