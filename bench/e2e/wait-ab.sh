#!/usr/bin/env bash
# Stalls against how ranks wait in MPI (docs/benchmarks.md, "Where the error
# comes from"): the 4 emulated hosts of run.sh (netns.sh, one launch daemon
# and so one session per rank) at one link rate, each SCHEDULE replayed
# with --sparsify-time planned under every MODE in turn, ROUNDS times
# (A/B/A/B, since the host is shared and drifts). A MODE is an
# AGTF_MPI_WAIT value, optionally with netns.sh's autogroups setting:
# spin, spin:off, sleep:on (bare: as the host is; a setting is undone on
# exit). Traces go to OUT/MODE-ROUND/RATE/model/PLAN.*; prints per mode
# and plan the median and min-max over the rounds of stalled iterations,
# measured iteration and prediction error (bench/e2e/stalls.py).
# Usage: bench/e2e/wait-ab.sh OUT ROUNDS "MODE ..." SCHEDULE.bin...
# (env RATE, default 1gbit; ITERS, default 20; WARMUP, default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
here=bench/e2e
source $here/netns.sh
out=$(realpath -m "$1") rounds=$2 modes=$3
shift 3
rate=${RATE:-1gbit}
bin=$(realpath build/bin)
P=4
prefix=agtf-ab-$$
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export AGTF_E2E_PREFIX=$prefix
trap 'e2e_net_down $prefix' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
e2e_net_up "$prefix" $P "$rate"
ip -n "$prefix-sw" addr add "$E2E_SUBNET.254/24" dev br0
hosts=$(for ((i = 0; i < P; i++)); do printf '%s,' "$(e2e_addr $i)"; done)
for ((round = 1; round <= rounds; round++)); do
  for mode in $modes; do
    for schedule in "$@"; do
      plan=$(basename "$schedule" .bin)
      wait_mode=${mode%%:*}
      [ "$wait_mode" = "$mode" ] || e2e_autogroups "${mode#*:}"
      dir=$out/$mode-$round/$rate/model
      mkdir -p "$dir"
      # As run.sh's mpi(), in the background so that INT reaches the trap.
      AGTF_MPI_WAIT=$wait_mode timeout 300 ip netns exec "$prefix-sw" mpirun -np $P \
        --host "${hosts%,}" --mca plm_rsh_agent "$PWD/$here/netns-agent.sh" \
        --mca plm_rsh_no_tree_spawn 1 --mca pml ob1 --mca btl tcp,self \
        --mca btl_tcp_if_include "$E2E_SUBNET.0/24" --mca btl_tcp_disable_family 6 \
        --mca oob_tcp_if_include "$E2E_SUBNET.0/24" --mca mpi_yield_when_idle 1 \
        --mca orte_startup_timeout 60 -x AGTF_MPI_WAIT \
        "$bin/agtf-run" "$(realpath "$schedule")" --replay --json \
        --iters "${ITERS:-20}" --warmup "${WARMUP:-3}" --timeout 120 \
        --sparsify-time planned --trace "$dir/$plan.measured.json" \
        > "$dir/$plan.run.json" &
      wait $! || { echo "  $mode $round $plan: FAILED" >&2; rm -f "$dir/$plan.run.json"; e2e_net_stop "$prefix"; }
      echo "  $mode $round $plan: load $(cut -d' ' -f1 /proc/loadavg)" >&2
    done
  done
done
/usr/bin/python3 - "$out" "$modes" <<'PY'
import os, statistics, sys
sys.path.insert(0, "bench/e2e")
import stalls
out, modes = sys.argv[1], sys.argv[2].split()
cells = {}
for d in sorted(os.listdir(out)):
    mode = d.rsplit("-", 1)[0]
    for folder, plan, pred, meas, st, n, clean in stalls.plans(os.path.join(out, d)):
        cells.setdefault((plan, mode), []).append((st, meas, pred / meas - 1, n))
def mm(xs, f):
    return f"{f(statistics.median(xs))} ({f(min(xs))}–{f(max(xs))})"
print("| plan | AGTF_MPI_WAIT | runs | stalled iterations | measured ms | error |")
print("| --- | --- | --- | --- | --- | --- |")
for (plan, mode) in sorted(cells, key=lambda k: (k[0], modes.index(k[1]))):
    c = cells[(plan, mode)]
    print(f"| {plan} | {mode} | {len(c)} | {mm([x[0] for x in c], lambda v: f'{v:g}')}/{c[0][3]} "
          f"| {mm([x[1] for x in c], lambda v: f'{v / 1e3:.1f}')} "
          f"| {mm([x[2] for x in c], lambda v: f'{v:+.0%}')} |")
PY
