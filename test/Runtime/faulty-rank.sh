#!/usr/bin/env bash
# One of 3 ranks never joins (it stops entering MPI_Init), never reaches the
# startup agreement (its schedule is a FIFO that nobody writes), never
# finishes (it stops entering MPI_Finalize), or ends with other parameters
# (its float sums come back corrupted): the job must end non-zero within
# seconds of --timeout, a healthy rank naming the stage, every healthy rank
# saying something, and no process may be left behind. The faults come from
# MpiFaults.c, preloaded into rank 2 only. FAULT: stop-in-init,
# no-agreement, stop-in-finalize or corrupt-allreduce.
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
stop-in-init)
  trial "MPI_Init has waited [0-9]* s for its peers; a rank did not join the job (limit: --timeout 3)" \
    1 stop-in-init "$dir/dense-layerwise.bin" ;;
no-agreement)
  fifo=$dir/faulty-rank-$$.fifo
  rm -f "$fifo"; mkfifo "$fifo"
  trial "MPI_Allgather has waited [0-9]* s for its peers; a rank did not reach the startup agreement" \
    1 none "$fifo"
  rm -f "$fifo" ;;
stop-in-finalize)
  trial "MPI_Finalize has waited [0-9]* s for its peers; a rank did not finish" \
    1 stop-in-finalize "$dir/dense-layerwise.bin" ;;
corrupt-allreduce)
  # A parameter check that fails ends every rank, each saying so.
  trial "agtf-run: rank [012]: the ranks' parameters differ after the run: rank 2's hash 0x[0-9a-f]* is not rank 0's" \
    3 corrupt-allreduce "$dir/dense-layerwise.bin" ;;
*) echo "unknown fault '$fault'"; exit 2 ;;
esac
exit $failed
