#!/usr/bin/env bash
# The loop closed (docs/cli.md, "Calibrating on your cluster"): plans a
# graph with every strategy under a cluster file, runs each plan with
# agtf-run --replay --trace on the target cluster, fits the cluster file to
# those traces (agtf-profile --from-trace), and plans and runs again, until
# predicted and measured agree within the tolerance on every plan or the
# median error stops falling. Prints predicted against measured per round;
# OUT/cluster.json is the cluster file of the round with the lowest median
# error.
#
# Usage: scripts/calibrate.sh GRAPH.mlir CLUSTER.json [options]
#   GRAPH.mlir          an imported graph (agtf-import) or a profile
#   CLUSTER.json        where to start: agtf-profile's file on this cluster
#   --out DIR           working folder (default build/calibrate)
#   --ranks P           ranks of every run (default 2)
#   --plans "S:C ..."   strategy:compression pairs (default: layerwise,
#                       threshold and optimal, dense and topk)
#   --merge "K=V ..."   gcomm-merge options for every plan (default
#                       "density=0.01")
#   --iters N           measured iterations per run (default 10, 3 warmup)
#   --repeats N         runs per plan and round, each a new launch (default
#                       3): measured is the median of their medians, since
#                       one launch can run at another speed than the next
#   --rounds N          most fits (default 3)
#   --tolerance X       stop when every |measured/predicted - 1| <= X
#                       (default 0.1)
#   --mpirun "CMD"      how to launch the ranks (default
#                       "mpirun -np P --oversubscribe")
#   --bin DIR           the tools (default build/bin, or AGTF_BIN)
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
[ $# -ge 1 ] && { [ "$1" = -h ] || [ "$1" = --help ]; } && { usage; exit 0; }
[ $# -ge 2 ] || { usage >&2; exit 2; }
graph=$1
start=$2
shift 2
out=build/calibrate
ranks=2
plans="layerwise:dense threshold:dense layerwise:topk threshold:topk optimal:topk"
merge="density=0.01"
iters=10
repeats=3
rounds=3
tolerance=0.1
launch=""
bin=${AGTF_BIN:-build/bin}
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "calibrate.sh: option '$1' needs a value" >&2; exit 2; }
  case $1 in
    --out) out=$2 ;;
    --ranks) ranks=$2 ;;
    --plans) plans=$2 ;;
    --merge) merge=$2 ;;
    --iters) iters=$2 ;;
    --repeats) repeats=$2 ;;
    --rounds) rounds=$2 ;;
    --tolerance) tolerance=$2 ;;
    --mpirun) launch=$2 ;;
    --bin) bin=$2 ;;
    *) echo "calibrate.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift 2
done
for f in "$graph" "$start"; do
  [ -r "$f" ] || { echo "calibrate.sh: cannot read '$f'" >&2; exit 1; }
done
for tool in agtf-opt agtf-translate agtf-run agtf-profile; do
  [ -x "$bin/$tool" ] || { echo "calibrate.sh: no $bin/$tool (build first, or --bin)" >&2; exit 1; }
done
launch=${launch:-mpirun -np $ranks --oversubscribe}
mkdir -p "$out"
cp "$start" "$out/cluster-0.json"

previous=""
best=""
best_round=0
pairs=()
for ((round = 0; ; ++round)); do
  cluster=$out/cluster-$round.json
  table=$out/round-$round.tsv
  : > "$table"
  for plan in $plans; do
    strategy=${plan%%:*}
    compression=${plan##*:}
    name=r$round-$strategy-$compression
    "$bin/agtf-opt" "$graph" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=$cluster workers=$ranks},gcomm-merge{strategy=$strategy compression=$compression $merge},gcomm-simulate))" |
      "$bin/agtf-opt" --gcomm-lower-to-streams |
      "$bin/agtf-translate" --gcomm-to-schedule -o "$out/$name.bin"
    for ((k = 0; k < repeats; ++k)); do
      $launch "$bin/agtf-run" "$out/$name.bin" --replay --iters "$iters" \
        --warmup 3 --trace "$out/$name-$k.trace.json" --json \
        > "$out/$name-$k.json" 2> "$out/$name-$k.err" ||
        { cat "$out/$name-$k.err" >&2; exit 1; }
      pairs+=("$out/$name.bin" "$out/$name-$k.trace.json")
    done
    python3 - "$strategy $compression" "$out/$name"-*.json >> "$table" <<'PY'
import json, statistics, sys
runs = [json.load(open(f)) for f in sys.argv[2:]
        if not f.endswith(".trace.json")]
m = statistics.median(d["measured_iteration_us"]["median"] for d in runs)
p = runs[0]["predicted_iteration_us"]
print("%s\t%d\t%.1f\t%.1f\t%.3f" % (sys.argv[1], runs[0]["buckets"], m, p,
                                    m / p))
PY
  done
  echo "round $round (cluster $cluster):"
  verdict=$(python3 - "$table" "$tolerance" "$previous" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
print("  %-22s %7s %14s %14s %9s" % ("plan", "buckets", "measured us",
                                     "predicted us", "meas/pred"),
      file=sys.stderr)
for plan, buckets, m, p, r in rows:
    print("  %-22s %7s %14s %14s %9s" % (plan, buckets, m, p, r),
          file=sys.stderr)
errors = [abs(float(r[4]) - 1) for r in rows]
med = statistics.median(errors)
print("  median |error| %.1f%%, worst %.1f%%" % (100 * med, 100 * max(errors)),
      file=sys.stderr)
tol = float(sys.argv[2])
if max(errors) <= tol:
    print("agree", med)
elif sys.argv[3] and med >= float(sys.argv[3]):
    print("stalled", med)
else:
    print("go", med)
PY
)
  state=${verdict% *}
  previous=${verdict#* }
  if [ -z "$best" ] || python3 -c "import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]))" "$previous" "$best"; then
    best=$previous
    best_round=$round
  fi
  case $state in
    agree) echo "agreed within $tolerance on every plan"; break ;;
    stalled) echo "the median error stopped falling"; break ;;
  esac
  if ((round == rounds)); then
    echo "stopped after $rounds fits"
    break
  fi
  # Every trace so far, fitted from the starting file.
  "$bin/agtf-profile" --from-trace --cluster "$start" \
    -o "$out/cluster-$((round + 1)).json" "${pairs[@]}" > "$out/fit-$round.log"
  tail -2 "$out/fit-$round.log" | head -1
done
cp "$out/cluster-$best_round.json" "$out/cluster.json"
echo "cluster file: $out/cluster.json (round $best_round's, median |error| $(python3 -c "print('%.1f%%' % (100 * float('$best')))"))"
