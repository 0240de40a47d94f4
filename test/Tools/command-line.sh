#!/usr/bin/env bash
# The tools' command lines (issue 17): every tool's --version prints
# "TOOL (AGTF) VERSION"; agtf-run --replay with --iters=2 and the other
# values after '=' runs what --iters 2 runs, and its --json output parses;
# bad values and unknown options in agtf-run and agtf-profile exit with
# status 2, the message and the usage.
# Usage: command-line.sh BIN_DIR VERSION SCHEDULE_DIR
set -uo pipefail
bin=$1 version=$2 dir=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
failed=0
fail() { echo "FAIL: $*"; failed=1; }

for tool in agtf-opt agtf-translate agtf-import agtf-run agtf-profile \
  agtf-kernel-bench; do
  if [ ! -x "$bin/$tool" ]; then
    echo "skip: $tool was not built"
    continue
  fi
  got=$("$bin/$tool" --version 2>&1)
  rc=$?
  if [ $rc -ne 0 ] || [ "$got" != "$tool (AGTF) $version" ]; then
    fail "$tool --version: rc=$rc: '$got'"
  else
    echo "ok: $got"
  fi
done

schedule=$dir/topk-layerwise.bin
replay() {
  timeout 60 mpirun -np 1 "$bin/agtf-run" "$schedule" "$@" 2>&1
}
spaced=$(replay --replay --json --iters 2 --warmup 0 --seed 3 \
  --time-scale 0.1 --timeout 30) || fail "--iters 2: $spaced"
equals=$(replay --replay --json --iters=2 --warmup=0 --seed=3 \
  --time-scale=0.1 --timeout=30) || fail "--iters=2: $equals"
if /usr/bin/python3 - "$spaced" "$equals" <<'PY'; then
import json, sys
spaced, equals = (json.loads(a) for a in sys.argv[1:])
for r in spaced, equals:
    assert r["iterations"] == 2 and r["warmup"] == 0, r
    assert r["time_scale"] == 0.1, r
keys = ("schedule", "tensors", "buckets", "iterations", "warmup", "time_scale",
        "payload_bytes_per_rank", "dense_bytes", "parameters_identical")
assert all(spaced[k] == equals[k] for k in keys), (spaced, equals)
PY
  echo "ok: --iters=2 runs as --iters 2"
else
  fail "--iters=2 and --iters 2 differ"; echo "$spaced"; echo "$equals"
fi

expect_usage() { # TOOL MESSAGE ARGS...
  local tool=$1 message=$2 got rc
  shift 2
  got=$("$bin/$tool" "$@" 2>&1 >/dev/null)
  rc=$?
  if [ $rc -ne 2 ] || [ "$(head -1 <<<"$got")" != "$tool: $message" ] ||
    ! grep -q '^usage: ' <<<"$got"; then
    fail "$tool $*: rc=$rc: $got"
  else
    echo "ok: $tool $* -> 2: $message"
  fi
}
expect_usage agtf-run "--iters: '0' is not a positive integer" \
  "$schedule" --replay --iters=0
expect_usage agtf-run "--lr: '-1' is not a non-negative number" \
  "$schedule" --replay --lr -1
expect_usage agtf-run "--device: 'tpu' is not cpu or cuda" \
  "$schedule" --replay --device=tpu
expect_usage agtf-run "--iters needs a value" "$schedule" --replay --iters
expect_usage agtf-run "unknown option '--frobnicate=1'" \
  "$schedule" --replay --frobnicate=1
expect_usage agtf-run "more than one schedule given ('$schedule', 'x.bin')" \
  "$schedule" x.bin --replay
expect_usage agtf-profile "--reps: '0' is not an integer >= 1" \
  -o "$dir/c.json" --reps=0
expect_usage agtf-profile "--selection 'fast': expected 'exact' or 'sampled'" \
  --output="$dir/c.json" --selection=fast
exit $failed
