#!/usr/bin/env bash
# Values that parse but that the program cannot honour are refused where
# they enter, with a message naming them and a non-zero exit, within
# seconds: a schedule whose buffers exceed the host's memory, counts whose
# arithmetic would overflow, a time scale that would wait for ever or not at
# all, agtf-profile sizes beyond the host's memory.
# Usage: out-of-range.sh BIN_DIR SCHEDULE_DIR
set -uo pipefail
bin=$1 dir=$2
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
source "$(dirname "$0")/expect.sh"
mpi=(mpirun --oversubscribe -np 2)
sched=$dir/topk-layerwise.bin

# 2^40 elements pass the reader (at most 2^48) and the compiler.
cat > "$dir/huge.mlir" <<'MLIR'
gcomm.graph @huge {
  gcomm.tensor @w : tensor<1099511627776xf32> {backward_us = 10.0}
  gcomm.tensor @b : tensor<16xf32> {backward_us = 1.0}
}
MLIR
"$bin/agtf-opt" "$dir/huge.mlir" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{workers=2},gcomm-merge{strategy=layerwise compression=dense},gcomm-simulate,gcomm-lower-to-streams))" |
  "$bin/agtf-translate" --gcomm-to-schedule -o "$dir/huge.bin" || failed=1
expect "cannot use its schedule: the schedule's buffers need at least 12288.0 GiB of host memory" \
  "${mpi[@]}" "$bin/agtf-run" "$dir/huge.bin" --replay --iters 2

# Counts: iters + warmup, and batch arithmetic, would wrap.
expect "--iters: '9223372036854775807' is above 10^9" \
  "$bin/agtf-run" "$sched" --replay --iters 9223372036854775807
expect "--warmup: '1000000001' is above 10^9" \
  "$bin/agtf-run" "$sched" --replay --warmup 1000000001
expect "--batch-size: '9223372036854775000' is above 10^9" \
  "$bin/agtf-run" "$sched" --model m.pt --batch-size 9223372036854775000
expect "--reps: '9223372036854775807' is above 10^9" \
  "$bin/agtf-profile" -o "$dir/never.json" --reps 9223372036854775807

# A scale that makes the replay wait for days, or (near 1e308) overflows.
expect "--time-scale 1e+300 makes an iteration's compute 4.205e+302 us, over an hour" \
  "${mpi[@]}" "$bin/agtf-run" "$sched" --replay --iters 2 --time-scale 1e300
expect "--time-scale 1e+08 makes an iteration's compute" \
  "${mpi[@]}" "$bin/agtf-run" "$sched" --replay --iters 2 --time-scale 1e8

# agtf-profile's buffers at 10^9 elements and bytes: 27 GB.
expect "agtf-profile: rank 0: --max-elements 1000000000 and --max-bytes 1000000000 need at least" \
  mpirun --oversubscribe -np 1 "$bin/agtf-profile" -o "$dir/never.json" \
  --max-elements 1000000000 --max-bytes 1000000000
# Under a 2 GiB address-space limit, 10^8 elements (2.4 GB of buffers) no
# longer fit: refused, not ended by std::bad_alloc.
expect "--max-elements 100000000 and --max-bytes 33554432 need at least 2.4 GiB of memory and this process may allocate" \
  bash -c "ulimit -v 2097152 && exec mpirun --oversubscribe -np 1 $bin/agtf-profile -o $dir/never.json --max-elements 100000000"
[ ! -e "$dir/never.json" ] || { echo "FAIL: agtf-profile left $dir/never.json"; failed=1; }
exit $failed
