#!/usr/bin/env bash
# The end-to-end benchmark (docs/benchmarks.md, "End to end"): P = 4
# emulated hosts on this machine (one network namespace per rank, links
# shaped with tc tbf), MPI forced onto TCP between them. Per link rate it
# calibrates with agtf-profile inside the emulated network, plans every
# strategy with that cluster file, runs each schedule with
# agtf-run --replay --json, and runs PyTorch DDP (gloo, 25 MB buckets; and
# its PowerSGD hook) on the same network. Results go to OUT/results.jsonl;
# bench/e2e/report.py turns them into tables and plots.
#
# Usage: bench/e2e/run.sh [options]
#   --out DIR            results folder (default build/e2e/run)
#   --rates "R ..."      tc rates (default "1gbit 10gbit")
#   --models "M ..."     resnet20 resnet50 vgg16 (default all three)
#   --strategies "S ..." default: every one of $ALL_STRATEGIES below
#   --peers "X ..."      ddp ddp-powersgd (default both; "" for none)
#   --iters "M:N:W ..."  agtf-run's measured and warmup iterations per model
#                        (default "resnet20:20:3 resnet50:8:2 vgg16:4:1")
#   --ddp-iters "M:N:W ..."  the same for DDP, whose compute on this CPU is
#                        slow (default "resnet20:10:2 resnet50:4:2 vgg16:3:2";
#                        PowerSGD needs W >= 2)
#   --profile KIND       backward times from examples/profiles/MODEL.KIND.mlir
#                        (default h100-roofline)
#   --profile-args "..." extra agtf-profile arguments
#   --mpi-args "..."     extra mpirun arguments (e.g. --mca settings)
#   --calibrate yes|no   before the measured runs, run every plan under
#                        agtf-profile's file (results in OUT/uncalibrated)
#                        and fit that file to their traces (agtf-profile
#                        --from-trace, RATE/fitted.json); the measured runs
#                        are then planned with the fitted file (default yes)
#   --sparsify-times "M ..."  measured: compression runs on the CPU as it
#                        takes (OUT/results.jsonl); planned: the replay charges
#                        it at the device's cost that the plan was made with
#                        (agtf-run --sparsify-time planned; the fitted file
#                        with torch.topk-on-an-H100 sparsification,
#                        RATE/device.json), so that the network path is
#                        measured alone (OUT/planned-sparsify/results.jsonl).
#                        Default "measured planned"
#   --autogroups on|off|keep  kernel.sched_autogroup_enabled while it runs
#                        (netns.sh): off (default) schedules the emulated
#                        hosts, each its own session, in one group, as
#                        hosts with a kernel each would not contend; on is
#                        Linux's default; restored on exit (by the last
#                        of several harnesses that run at once)
#   --compare-fit BIN    also fit with BIN (another build's agtf-profile,
#                        RATE/fitted-compare.json), and in the measured pass
#                        run each strategy planned with that file beside the
#                        one planned with fitted.json, interleaved
#                        (OUT/compare-fit/results.jsonl)
#   --skip-code N        exit status when namespaces are unavailable (77)
#   --prefix NAME        namespace names NAME-sw, NAME-r0.. (agtf-e2e-PID)
# Long commands run in the background while the script waits, so that
# INT and TERM reach the clean-up at once; it ends what runs in the
# namespaces. Needs root for the namespaces (only for them) and a build with
# agtf-opt, agtf-translate, agtf-run and agtf-profile in build/bin (or
# AGTF_BIN). The network is torn down on exit, error, Ctrl-C or TERM.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=bench/e2e
bin=${AGTF_BIN:-build/bin}
source $here/netns.sh

ALL_STRATEGIES="dense-wfbp dense-ddp topk-layerwise topk-single topk-mgwfbp
topk-omgs topk-agtf topk-optimal fuse-sparse"
out=build/e2e/run
rates="1gbit 10gbit"
models="resnet20 resnet50 vgg16"
strategies=$ALL_STRATEGIES
peers="ddp ddp-powersgd"
iters="resnet20:20:3 resnet50:8:2 vgg16:4:1"
ddp_iters="resnet20:10:2 resnet50:4:2 vgg16:3:2"
profile_args="--min-elements 100000 --max-elements 30000000 --reps 5 --warmup 1"
skip_code=77
calibrate=yes
sparsify_times="measured planned"
profile=h100-roofline
mpi_args=""
prefix=agtf-e2e-$$
autogroups=off
compare_fit=""
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2 ;;
    --rates) rates=$2 ;;
    --models) models=$2 ;;
    --strategies) strategies=$2 ;;
    --peers) peers=$2 ;;
    --iters) iters=$2 ;;
    --ddp-iters) ddp_iters=$2 ;;
    --profile) profile=$2 ;;
    --profile-args) profile_args=$2 ;;
    --mpi-args) mpi_args=$2 ;;
    --skip-code) skip_code=$2 ;;
    --calibrate) calibrate=$2 ;;
    --sparsify-times) sparsify_times=$2 ;;
    --prefix) prefix=$2 ;;
    --autogroups)
      case $2 in on | off | keep) autogroups=$2 ;;
        *) echo "run.sh: --autogroups must be on, off or keep, not '$2'" >&2; exit 2 ;;
      esac ;;
    --compare-fit) compare_fit=$(realpath "$2") ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift 2
done

if [ -n "$compare_fit" ]; then
  # Checked now: the second fit runs only after the first pass, an hour in.
  [ -x "$compare_fit" ] ||
    { echo "run.sh: --compare-fit '$compare_fit' is not an executable agtf-profile" >&2; exit 2; }
  [ "$calibrate" = yes ] ||
    { echo "run.sh: --compare-fit needs --calibrate yes (it compares two fits)" >&2; exit 2; }
fi

# Absolute, because the ranks start in the namespaces from another directory.
bin=$(realpath -m "$bin")
out=$(realpath -m "$out")

P=4
density=0.001
compression=topk-sampled
# The synthetic batch DDP trains with on this CPU (see docs/benchmarks.md).
declare -A ddp_input=([resnet20]="8 32" [resnet50]="2 64" [vgg16]="1 32")

if ! why=$(e2e_net_check 2>&1); then
  echo "run.sh: skipped: $why"
  exit "$skip_code"
fi
for tool in agtf-opt agtf-translate agtf-run agtf-profile; do
  [ -x "$bin/$tool" ] || { echo "run.sh: $bin/$tool not built" >&2; exit 1; }
done

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  e2e_net_down "$prefix"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A host whose /proc/sys is read-only runs on, with the stalls.
e2e_autogroups "$autogroups" ||
  echo "run.sh: warning: autogroups left as they are; ranks may stall (docs/benchmarks.md)" >&2
mkdir -p "$out"
results=$out/results.jsonl
: > "$results"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export AGTF_E2E_PREFIX=$prefix
hosts=$(for ((i = 0; i < P; i++)); do printf '%s,' "$(e2e_addr $i)"; done)

# mpirun runs in the bridge's namespace; the launch agent starts one daemon
# per emulated host in that host's namespace, which starts its rank there.
# TCP only (no shared memory between the "hosts"), over the emulated
# subnet only; ranks yield while they wait, because 4 ranks share 2 cores.
mpi() {
  ip netns exec "$prefix-sw" mpirun -np $P --host "${hosts%,}" \
    --mca plm_rsh_agent "$PWD/$here/netns-agent.sh" \
    --mca plm_rsh_no_tree_spawn 1 --mca pml ob1 --mca btl tcp,self \
    --mca btl_tcp_if_include "$E2E_SUBNET.0/24" --mca btl_tcp_disable_family 6 \
    --mca oob_tcp_if_include "$E2E_SUBNET.0/24" --mca mpi_yield_when_idle 1 \
    --mca orte_startup_timeout 60 $mpi_args "$@"
}

# mpi with stdout to OUT, in the background (so that INT and TERM reach the
# clean-up at once), tried up to 3 times. Now and then one of the four
# daemons never reports back and mpirun waits forever (seen twice in about
# 60 launches here, orte_startup_timeout notwithstanding): when a host's
# namespace still holds no rank after 60 s, this attempt is ended.
run_mpi() {
  local out=$1 try pid waited i ready
  shift
  for try in 1 2 3; do
    mpi "$@" > "$out" &
    pid=$!
    for ((waited = 0; waited < 120; waited++)); do
      kill -0 $pid 2>/dev/null || break
      ready=0
      for ((i = 0; i < P; i++)); do
        # The daemon and its rank.
        [ "$(ip netns pids "$prefix-r$i" | wc -l)" -ge 2 ] && ready=$((ready + 1))
      done
      [ $ready -eq $P ] && break
      sleep 0.5
    done
    if [ "${ready:-0}" -lt $P ] && kill -0 $pid 2>/dev/null; then
      echo "  (a daemon did not start; ending try $try of 3)" >&2
      e2e_net_stop "$prefix"
    fi
    if wait $pid; then return 0; fi
    echo "  (mpirun failed, try $try of 3)" >&2
  done
  return 1
}

merge_of() {
  local t="compression=$compression"
  case $1 in
    dense-wfbp) echo "gcomm-merge{strategy=layerwise compression=dense}" ;;
    dense-ddp) echo "gcomm-merge{strategy=threshold compression=dense}" ;;
    topk-optimal) echo "gcomm-merge{strategy=optimal $t noise-tolerance=-1.0}" ;;
    topk-*) echo "gcomm-merge{strategy=${1#topk-} $t}" ;;
    *) echo "run.sh: unknown strategy '$1'" >&2; return 1 ;;
  esac
}

# Plans MODEL with STRATEGY under CLUSTER into DIR/STRATEGY.{plan.mlir,bin}.
plan() {
  local model=$1 strategy=$2 cluster=$3 dir=$4
  local graph=examples/profiles/$model.$profile.mlir plan=$dir/$strategy.plan.mlir
  if [ "$strategy" = fuse-sparse ]; then
    "$bin/agtf-opt" "$graph" -o "$plan" --fuse-sparse="cluster-file=$cluster \
workers=$P density=$density compression=$compression trace=$dir/$strategy.predicted.json"
  else
    "$bin/agtf-opt" "$graph" -o "$plan" --pass-pipeline="builtin.module(gcomm.graph(\
gcomm-annotate-cost{cluster-file=$cluster workers=$P},gcomm-annotate-timing,\
gcomm-sparsity-budget{rule=importance density=$density},$(merge_of "$strategy"),\
gcomm-simulate{trace=$dir/$strategy.predicted.json}))"
  fi
  "$bin/agtf-opt" "$plan" --gcomm-lower-to-streams |
    "$bin/agtf-translate" --gcomm-to-schedule -o "$dir/$strategy.bin"
}

# One JSON line of results (to RESULTS, which each pass sets).
record() { printf '%s\n' "$1" >> "$results"; }

attr() { grep -o "$1 = [-0-9.e+]*" "$2" | head -1 | awk '{print $3}'; }

run_schedule() {
  local rate=$1 model=$2 strategy=$3 dir=$4 n=$5 w=$6 sparsify=$7 tag=${8:-} load json
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  local summary=$dir/$strategy.run.json
  if ! run_mpi "$summary" "$bin/agtf-run" "$dir/$strategy.bin" \
    --replay --json --iters "$n" --warmup "$w" --timeout 600 \
    --sparsify-time "$sparsify" \
    --trace "$dir/$strategy.measured.json" || [ ! -s "$summary" ]; then
    echo "  $strategy$tag: FAILED, no result recorded" >&2
    return 0
  fi
  json=$(tr -d '\n' < "$summary")
  local plan=$dir/$strategy.plan.mlir noise
  # A plan without a predicted noise (dense) records null, not nothing.
  noise=$(attr predicted_noise "$plan")
  record "{\"rate\": \"$rate\", \"model\": \"$model\", \"strategy\": \"$strategy\", \
\"buckets\": $(grep -c 'gcomm.bucket' "$plan"), \"noise\": ${noise:-null}, \
\"load\": \"$load\", \"autogroups\": \"$autogroups\", \"run\": $json}"
  echo "  $strategy$tag: $(grep -o '"median": [0-9.]*' <<<"$json" | head -1) us (predicted $(attr predicted_iter_us "$plan"))"
}

run_ddp() {
  local rate=$1 model=$2 peer=$3 n=$4 w=$5 mode=$6 i load pids=() port
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  port=$((29500 + RANDOM % 1000))
  read -r batch size <<<"${ddp_input[$model]}"
  for ((i = P - 1; i >= 0; i--)); do
    GLOO_SOCKET_IFNAME=$E2E_IF timeout 1800 ip netns exec "$prefix-r$i" \
      /usr/bin/python3 $here/ddp_peer.py "$model" $i $P "$(e2e_addr 0)" $port \
      "$mode" "$n" "$w" "$batch" "$size" > "$out/ddp.$i.out" &
    pids+=($!)
  done
  local failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  if [ $failed = 1 ] || [ ! -s "$out/ddp.0.out" ]; then
    echo "  $peer ($mode): FAILED, no result recorded" >&2
    return 0
  fi
  record "{\"rate\": \"$rate\", \"model\": \"$model\", \"strategy\": \"$peer\", \
\"load\": \"$load\", \"ddp\": $(cat "$out/ddp.0.out")}"
  echo "  $peer ($mode): $(grep -o '"median_s": [0-9.]*' "$out/ddp.0.out")"
}

# Every strategy of every model on one network, planned with CLUSTER and
# replayed with --sparsify-time SPARSIFY; results to ROOT/results.jsonl and
# plans, traces and summaries under ROOT/RATE/MODEL. With ROOT2 and
# CLUSTER2, each strategy is also planned with CLUSTER2 and run right after
# (before, every other strategy), into ROOT2: an A/B of two cluster files
# on the same host state.
run_pass() {
  local root=$1 rate=$2 cluster=$3 sparsify=$4 label=$5 root2=${6:-} cluster2=${7:-}
  local model spec n w mdir strategy sides side tag i=0
  for model in $models; do
    spec=$(tr ' ' '\n' <<<"$iters" | grep "^$model:" || echo "$model:10:2")
    n=$(cut -d: -f2 <<<"$spec")
    w=$(cut -d: -f3 <<<"$spec")
    echo "== $rate $model ($label; sparsification $sparsify): $n iterations after $w warmup"
    for strategy in $strategies; do
      sides="1"
      if [ -n "$root2" ]; then
        if [ $((i % 2)) = 0 ]; then sides="1 2"; else sides="2 1"; fi
      fi
      i=$((i + 1))
      for side in $sides; do
        if [ "$side" = 1 ]; then
          results=$root/results.jsonl mdir=$root/$rate/$model tag=""
          mkdir -p "$mdir"
          plan "$model" "$strategy" "$cluster" "$mdir"
        else
          results=$root2/results.jsonl mdir=$root2/$rate/$model
          tag=" ($(basename "$cluster2"))"
          mkdir -p "$mdir"
          plan "$model" "$strategy" "$cluster2" "$mdir"
        fi
        run_schedule "$rate" "$model" "$strategy" "$mdir" "$n" "$w" "$sparsify" "$tag"
      done
    done
  done
}

roots=("$out/uncalibrated" "$out/planned-sparsify")
[ -z "$compare_fit" ] || roots+=("$out/compare-fit")
for root in "${roots[@]}"; do
  mkdir -p "$root"
  : > "$root/results.jsonl"
done

e2e_net_up "$prefix" $P "${rates%% *}"
ip -n "$prefix-sw" addr add "$E2E_SUBNET.254/24" dev br0
for rate in $rates; do
  e2e_net_rate "$prefix" $P "$rate"
  dir=$out/$rate
  mkdir -p "$dir"
  echo "== $rate: calibrating with agtf-profile ($(uptime | sed 's/.*load/load/'))"
  # shellcheck disable=SC2086
  run_mpi "$dir/profile.log" "$bin/agtf-profile" -o "$dir/cluster.json" \
    --kernels-on-every-rank --selection sampled $profile_args ||
    { cat "$dir/profile.log"; exit 1; }
  cat "$dir/profile.log"
  if [ "$calibrate" = yes ]; then
    run_pass "$out/uncalibrated" "$rate" "$dir/cluster.json" measured \
      "agtf-profile's cluster file"
    pairs=()
    for model in $models; do
      for strategy in $strategies; do
        f=$out/uncalibrated/$rate/$model/$strategy
        [ -s "$f.measured.json" ] && pairs+=("$f.bin" "$f.measured.json")
      done
    done
    echo "== $rate: fitting the cluster file to $((${#pairs[@]} / 2)) traced runs"
    "$bin/agtf-profile" --from-trace --cluster "$dir/cluster.json" \
      -o "$dir/fitted.json" "${pairs[@]}" | tee "$dir/fit.log" | tail -3
    planned_with=$dir/fitted.json
    if [ -n "$compare_fit" ]; then
      "$compare_fit" --from-trace --cluster "$dir/cluster.json" \
        -o "$dir/fitted-compare.json" "${pairs[@]}" | tail -1
    fi
  else
    planned_with=$dir/cluster.json
  fi
  for sparsify in $sparsify_times; do
    case $sparsify in
      measured)
        if [ -n "$compare_fit" ]; then
          run_pass "$out" "$rate" "$planned_with" measured \
            "$(basename "$planned_with") against fitted-compare.json" \
            "$out/compare-fit" "$dir/fitted-compare.json"
        else
          run_pass "$out" "$rate" "$planned_with" measured "$(basename "$planned_with")"
        fi ;;
      planned)
        # The fitted file with a device's sparsification (torch.topk on an
        # H100, the cost model's defaults; docs/passes.md): the replay
        # charges what the plan priced, as it does backward, and a device
        # leaves the host's cores to the comm lane.
        python3 - "$planned_with" "$dir/device.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c.update({"sparsify_us": 20.0, "sparsify_us_per_element": 2.6e-5,
          "pack_us_per_element": 2.7e-6})
c.get("measured", {}).pop("compress", None)
c.get("measured", {}).pop("comm_beside_sparsify", None)
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
        run_pass "$out/planned-sparsify" "$rate" "$dir/device.json" planned \
          "device.json, sparsification charged as planned" ;;
      *) echo "run.sh: unknown --sparsify-times '$sparsify'" >&2; exit 2 ;;
    esac
  done
  results=$out/results.jsonl
  for model in $models; do
    spec=$(tr ' ' '\n' <<<"$ddp_iters" | grep "^$model:" || echo "$model:3:2")
    n=$(cut -d: -f2 <<<"$spec")
    w=$(cut -d: -f3 <<<"$spec")
    for peer in $peers; do
      case $peer in
        ddp) mode=allreduce ;;
        ddp-powersgd) mode=powersgd ;;
        *) echo "run.sh: unknown peer '$peer'" >&2; exit 2 ;;
      esac
      run_ddp "$rate" "$model" "$peer" "$n" "$w" "$mode"
    done
    # DDP's compute alone (no_sync), to separate its communication: it
    # sends nothing, so once, on the first network.
    if [ -n "$peers" ] && [ "$rate" = "${rates%% *}" ]; then
      run_ddp "$rate" "$model" ddp-local "$n" "$w" local
    fi
  done
done
echo "== results: $results"
