#!/usr/bin/env bash
# The small version of bench/e2e (issue 9). Usage:
#   e2e-small.sh SOURCE_DIR BIN_DIR WORK_DIR MODE, MODE one of:
#   run        ResNet-20 on 4 emulated hosts at 1 Gbit/s, two plans (dense
#              DDP-style buckets and --fuse-sparse), 3 iterations: both runs
#              end with identical parameters on every rank, a predicted and a
#              measured time, --fuse-sparse sends less than dense, and no
#              namespace is left behind; the runs under agtf-profile's file
#              come first, the measured ones are planned with the file
#              fitted to their traces, and the planned-sparsification pass
#              charges the plan's costs; the host's autogroups setting
#              is as it was;
#   interrupt  TERM to the harness while it runs: it stops within seconds
#              and leaves no namespace, no process in one, and the
#              autogroups setting as it was.
# Exits 77 (ctest's skip) with a message where network namespaces are
# unavailable (not root, no ip or tc, or the kernel refuses them).
set -euo pipefail
src=$1 bin=$2 dir=$3 mode=$4
prefix=agtf-t$$
fail() { echo "FAIL: $mode: $*"; exit 1; }
left() { ip netns list 2>/dev/null | awk '{print $1}' | grep "^$prefix-" || true; }
# run.sh turns the host's autogroups off while it runs: they must be back.
autogroups() { cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo none; }
autogroups_before=$(autogroups)
restored() {
  [ "$(autogroups)" = "$autogroups_before" ] ||
    fail "autogroups left at $(autogroups), were $autogroups_before"
}
rm -rf "$dir"
small=(--out "$dir" --prefix "$prefix" --rates 1gbit --models resnet20
  --peers "" --iters resnet20:3:1
  --profile-args "--max-bytes 65536 --min-elements 1000 --max-elements 10000 --reps 2 --warmup 1")
export AGTF_BIN=$bin

case $mode in
run)
  status=0
  bash "$src/bench/e2e/run.sh" "${small[@]}" \
    --strategies "dense-ddp fuse-sparse" || status=$?
  [ $status -ne 77 ] || exit 77
  [ $status -eq 0 ] || fail "run.sh exited $status"
  [ -z "$(left)" ] || fail "namespaces left: $(left)"
  restored
  python3 - "$dir" <<'PY' || fail "bad results"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1] + "/results.jsonl")]
assert [r["strategy"] for r in rows] == ["dense-ddp", "fuse-sparse"], rows
for r in rows:
    run = r["run"]
    assert run["ranks"] == 4 and run["planned_workers"] == 4, run
    assert run["parameters_identical"], run
    assert run["measured_iteration_us"]["median"] > 0, run
    assert run["predicted_iteration_us"] > 0, run
dense, fused = rows[0]["run"], rows[1]["run"]
assert dense["payload_bytes_per_rank"] == dense["dense_bytes"], dense
assert fused["payload_bytes_per_rank"] < dense["dense_bytes"] / 10, fused
cluster = json.load(open(sys.argv[1] + "/1gbit/cluster.json"))
assert cluster["workers"] == 4, cluster
assert cluster["measured"]["sparsify_fit"] == "compress (sampled top-k)", cluster
# The calibration: both plans first under agtf-profile's file, then the file
# fitted to their traces; the measured pass was planned with that one.
first = [json.loads(l) for l in
         open(sys.argv[1] + "/uncalibrated/results.jsonl")]
assert [r["strategy"] for r in first] == ["dense-ddp", "fuse-sparse"], first
fitted = json.load(open(sys.argv[1] + "/1gbit/fitted.json"))
runs = fitted["measured"]["from_traces"]["runs"]
assert len(runs) == 2 and all(r["ranks"] == 4 for r in runs), runs
import os, subprocess
schedule = json.loads(subprocess.run(
    [os.environ["AGTF_BIN"] + "/agtf-translate", "--schedule-to-json",
     sys.argv[1] + "/1gbit/resnet20/fuse-sparse.bin"],
    check=True, capture_output=True, text=True).stdout)
assert schedule["cost_model"]["bucket_us"] == fitted["bucket_us"], \
    (schedule["cost_model"]["bucket_us"], fitted["bucket_us"])
for r in rows:
    assert r["run"]["sparsify_time"] == "measured", r["run"]
planned = [json.loads(l) for l in
           open(sys.argv[1] + "/planned-sparsify/results.jsonl")]
assert [r["strategy"] for r in planned] == ["dense-ddp", "fuse-sparse"], planned
for r in planned:
    assert r["run"]["sparsify_time"] == "planned", r["run"]
    assert r["run"]["parameters_identical"], r["run"]
print("ok: dense %.0f us, --fuse-sparse %.0f us (predicted %.0f, %.0f)" % (
    dense["measured_iteration_us"]["median"],
    fused["measured_iteration_us"]["median"],
    dense["predicted_iteration_us"], fused["predicted_iteration_us"]))
PY
  ;;
interrupt)
  bash "$src/bench/e2e/run.sh" "${small[@]}" > "$dir.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    [ -n "$(left)" ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.2
  done
  if ! kill -0 $pid 2>/dev/null; then
    wait $pid && status=0 || status=$?
    [ $status -eq 77 ] && { cat "$dir.log"; exit 77; }
    fail "run.sh ended before it could be interrupted: $(cat "$dir.log")"
  fi
  [ -n "$(left)" ] || fail "no namespaces appeared"
  sleep 2 # inside a command: calibration or a run
  kill -TERM $pid
  start=$SECONDS
  wait $pid && status=0 || status=$?
  [ $status -eq 143 ] || fail "run.sh exited $status after TERM, not 143"
  [ $((SECONDS - start)) -le 10 ] || fail "took $((SECONDS - start)) s to stop"
  [ -z "$(left)" ] || fail "namespaces left after TERM: $(left)"
  restored
  echo "ok: stopped in $((SECONDS - start)) s, no namespace left"
  ;;
*)
  fail "unknown mode"
  ;;
esac
