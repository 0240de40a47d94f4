#!/usr/bin/env bash
# One of 3 ranks ends with other parameters (its float sums come back
# corrupted): the job must end non-zero within seconds, every rank saying
# so, and no process may be left behind. The faults come from MpiFaults.c,
# preloaded into rank 2 only. FAULT: corrupt-allreduce.
# Usage: faulty-rank.sh BIN_DIR SCHEDULE_DIR FAULTS_LIBRARY FAULT
set -uo pipefail
bin=$1 dir=$2 faults=$3 fault=$4
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
source "$(dirname "$0")/job-ended.sh"
failed=0
run=("$bin/agtf-run")
# --seed carries this script's id so that the job's processes can be found.
args=(--replay --iters 2 --warmup 0 --seed $$ --timeout 3)
trial() { # MESSAGE RANKS-THAT-SAY-IT FAULT RANK-2'S-SCHEDULE
  local message=$1 saying=$2 fault=$3 schedule=$4 start=$SECONDS out rc
  out=$(timeout 60 mpirun --oversubscribe \
    -np 2 "${run[@]}" "$dir/dense-layerwise.bin" "${args[@]}" : \
    -np 1 env LD_PRELOAD="$faults" AGTF_FAULT="$fault" \
    "${run[@]}" "$schedule" "${args[@]}" 2>&1); rc=$?
  if ended "$fault" $rc $start "$out" "$message" "$saying" &&
    { ! grep -q "agtf-run: rank 0: " <<<"$out" ||
      ! grep -q "agtf-run: rank 1: " <<<"$out"; }; then
    echo "FAIL ($fault): a healthy rank ended silently:"; echo "$out"
    failed=1
  fi
  nothing_left "$fault" "seed $$ --timeout"
}
case $fault in
corrupt-allreduce)
  # A parameter check that fails ends every rank, each saying so.
  trial "agtf-run: rank [012]: the ranks' parameters differ after the run: rank 2's hash 0x[0-9a-f]* is not rank 0's" \
    3 corrupt-allreduce "$dir/dense-layerwise.bin" ;;
*) echo "unknown fault '$fault'"; exit 2 ;;
esac
exit $failed
