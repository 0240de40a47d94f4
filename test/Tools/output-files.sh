#!/usr/bin/env bash
# How every tool writes its files (issue 19, docs/cli.md "Output files"):
# each output, written to a character device, leaves the device a device
# (a private copy of /dev/null when root, so that a tool that replaced it
# harms nothing else); written to a full disk (a filled tmpfs, root only),
# the tool exits non-zero with "cannot write 'FILE': No space left on
# device" and leaves neither the file nor a temporary.
# Usage: output-files.sh BIN_DIR WORK_DIR MODE INPUT_DIR, MODE one of:
#   tools     agtf-opt -o and gcomm-simulate's trace=, agtf-translate -o
#             (--gcomm-to-schedule, --schedule-to-json), agtf-profile -o
#             and --from-trace -o, agtf-run --replay --trace; INPUT_DIR is
#             make-schedules.sh's;
#   training  agtf-import -o (and SIGTERM while it profiles: no temporary
#             left), agtf-run --model --save, --log and --trace; INPUT_DIR
#             is make-training-inputs.sh's.
# Exits 77 (skipped) after the device checks where it cannot mount a
# tmpfs (not root, or no mount permission).
set -uo pipefail
bin=$1 dir=$2 mode=$3 inputs=$4
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
full=$dir/full
cleanup() { mountpoint -q "$full" 2>/dev/null && umount "$full"; }
trap cleanup EXIT
cleanup
rm -rf "$dir" && mkdir -p "$dir" "$full"
failed=0
fail() { echo "FAIL: $*"; failed=1; }

# A full disk: a 64 KiB tmpfs, filled, where every write fails with ENOSPC.
can_fill=0
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k tmpfs "$full" 2>/dev/null
then
  dd if=/dev/zero of="$full/filler" bs=4096 2>/dev/null
  can_fill=1
else
  echo "skip: the full-disk checks need root and a tmpfs mount"
fi
null=/dev/null
if [ "$(id -u)" = 0 ] && mknod "$dir/null" c 1 3 2>/dev/null; then
  null=$dir/null
fi

# full_disk NAME "FILE..." COMMAND...: COMMAND writes each FILE (under
# $full), and must name every one.
full_disk() {
  local name=$1 files=$2 got rc left file
  shift 2
  [ $can_fill = 1 ] || return 0
  got=$(timeout 120 "$@" 2>&1)
  rc=$?
  left=$(cd "$full" && ls -A | grep -vx filler)
  if [ $rc -eq 0 ] || [ $rc -eq 124 ]; then
    fail "$name on a full disk: rc=$rc: $got"
  elif [ -n "$left" ]; then
    fail "$name on a full disk left $(tr '\n' ' ' <<<"$left")"
  else
    for file in $files; do
      if grep -qF "cannot write '$file': No space left on device" <<<"$got"
      then
        echo "ok: $name on a full disk: rc=$rc: $(grep -F "cannot write '$file'" <<<"$got" | head -1)"
      else
        fail "$name on a full disk: no message naming $file: $got"
      fi
    done
  fi
  find "$full" -mindepth 1 ! -name filler -delete
}

# to_device NAME COMMAND...: COMMAND writes $null.
to_device() {
  local name=$1 got rc
  shift
  got=$(timeout 120 "$@" 2>&1)
  rc=$?
  if [ ! -c "$null" ]; then
    fail "$name replaced the device $null: $(ls -l "$null")"
    rm -f "$null" && mknod "$null" c 1 3
  elif [ $rc -ne 0 ]; then
    fail "$name to $null: rc=$rc: $got"
  else
    echo "ok: $name to $null: still a character device"
  fi
}

run1=(mpirun -np 1 --oversubscribe "$bin/agtf-run")

case $mode in
tools)
  graph=$inputs/lenet-reshaped.mlir
  planned=$dir/planned.mlir lowered=$dir/lowered.mlir
  "$bin/agtf-opt" "$graph" -o "$planned" --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{workers=2},gcomm-annotate-timing,gcomm-merge{strategy=layerwise compression=dense}))' &&
    "$bin/agtf-opt" "$planned" --gcomm-lower-to-streams -o "$lowered" &&
    "$bin/agtf-translate" --gcomm-to-schedule "$lowered" -o "$dir/plan.bin" ||
    { echo "FAIL: could not plan $graph"; exit 1; }
  simulate="builtin.module(gcomm.graph(gcomm-simulate{trace=TRACE}))"

  to_device "agtf-opt -o" "$bin/agtf-opt" "$planned" -o "$null"
  full_disk "agtf-opt -o" "$full/out.mlir" \
    "$bin/agtf-opt" "$planned" -o "$full/out.mlir"
  to_device "gcomm-simulate trace=" "$bin/agtf-opt" "$planned" -o "$dir/s.mlir" \
    --pass-pipeline="${simulate/TRACE/$null}"
  full_disk "gcomm-simulate trace=" "$full/sim.json" "$bin/agtf-opt" "$planned" \
    -o "$dir/s.mlir" --pass-pipeline="${simulate/TRACE/$full/sim.json}"

  for t in gcomm-to-schedule schedule-to-json; do
    input=$lowered
    [ $t = schedule-to-json ] && input=$dir/plan.bin
    to_device "agtf-translate --$t -o" \
      "$bin/agtf-translate" --$t "$input" -o "$null"
    full_disk "agtf-translate --$t -o" "$full/out" \
      "$bin/agtf-translate" --$t "$input" -o "$full/out"
  done

  small=(--max-bytes 65536 --max-elements 10000 --reps 2 --warmup 0
    --timeout 30)
  to_device "agtf-profile -o" \
    mpirun -np 1 "$bin/agtf-profile" -o "$null" "${small[@]}"
  full_disk "agtf-profile -o" "$full/cluster.json" \
    mpirun -np 1 "$bin/agtf-profile" -o "$full/cluster.json" "${small[@]}"

  replay=(--replay --iters 3 --warmup 0 --time-scale 0.1 --timeout 30)
  to_device "agtf-run --replay --trace" "${run1[@]}" "$dir/plan.bin" "${replay[@]}" \
    --trace "$null"
  full_disk "agtf-run --replay --trace" "$full/trace.json" \
    "${run1[@]}" "$dir/plan.bin" "${replay[@]}" --trace "$full/trace.json"

  # --from-trace fits the costs the plan was made with to a run's trace.
  echo '{"workers": 2, "alpha_us": 10.0, "beta_us_per_byte": 0.001}' \
    > "$dir/cluster.json"
  "$bin/agtf-opt" "$graph" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=$dir/cluster.json},gcomm-annotate-timing,gcomm-merge{strategy=layerwise compression=dense},gcomm-simulate,gcomm-lower-to-streams))" |
    "$bin/agtf-translate" --gcomm-to-schedule -o "$dir/fit.bin" &&
    timeout 60 mpirun -np 2 --oversubscribe "$bin/agtf-run" "$dir/fit.bin" \
      "${replay[@]}" --trace "$dir/fit.json" > /dev/null ||
    { echo "FAIL: could not trace a run of $dir/fit.bin"; exit 1; }
  fit=(--from-trace --cluster "$dir/cluster.json" "$dir/fit.bin"
    "$dir/fit.json")
  to_device "agtf-profile --from-trace -o" \
    "$bin/agtf-profile" "${fit[@]}" -o "$null"
  full_disk "agtf-profile --from-trace -o" "$full/fitted.json" \
    "$bin/agtf-profile" "${fit[@]}" -o "$full/fitted.json"
  ;;
training)
  model=$inputs/fashion-cnn.pt
  import=("$bin/agtf-import" "$inputs/tiny-cnn.pt" --input-shape 2x3x8x8)
  to_device "agtf-import -o" "${import[@]}" -o "$null"
  full_disk "agtf-import -o" "$full/out.mlir" "${import[@]}" -o "$full/out.mlir"

  # SIGTERM while agtf-import profiles: its temporary goes with it.
  "$bin/agtf-import" "$model" --input-shape 32x1x28x28 \
    --profile-iters 1000000 -o "$dir/killed.mlir" 2>/dev/null &
  pid=$!
  for _ in $(seq 600); do
    compgen -G "$dir/killed.mlir.tmp.*" > /dev/null && break
    sleep 0.05
  done
  kill -TERM $pid
  wait $pid
  rc=$?
  left=$(compgen -G "$dir/killed.mlir*")
  if [ $rc -ne 143 ] || [ -n "$left" ]; then
    fail "SIGTERM to agtf-import: rc=$rc (not 143), left: $left"
  else
    echo "ok: SIGTERM to agtf-import: rc=$rc, no temporary left"
  fi

  train=("$inputs/dense.bin" --model "$model" --train-samples 64
    --test-samples 64 --epochs 1 --batch-size 32 --timeout 30)
  to_device "agtf-run --save --log --trace" "${run1[@]}" "${train[@]}" \
    --save "$null" --log "$null" --trace "$null"
  full_disk "agtf-run --log" "$full/log.csv" \
    "${run1[@]}" "${train[@]}" --log "$full/log.csv"
  # The trace is written first, and its failure does not stop the save.
  full_disk "agtf-run --trace --save" "$full/trace.json $full/model.pt" \
    "${run1[@]}" "${train[@]}" --trace "$full/trace.json" \
    --save "$full/model.pt"
  ;;
*)
  fail "unknown mode $mode"
  ;;
esac
[ $failed = 0 ] && [ $can_fill = 0 ] && exit 77
exit $failed
