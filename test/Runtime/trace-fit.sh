#!/usr/bin/env bash
# agtf-profile --from-trace and scripts/calibrate.sh (docs/cli.md,
# "Calibrating on your cluster").
# Usage: trace-fit.sh SOURCE_DIR BIN_DIR WORK_DIR MODE, MODE one of:
#   synthetic  traces written here with known spans, on clocks that differ
#              by rank: every fitted number is what the documented rule
#              makes of them (the slowest rank's sparsification, the
#              collective from the last rank's start to its last end on the
#              aligned clocks less the modelled gather, the gaps where a
#              lane had its work, the base's samples outside the traces'
#              range kept, the first iteration left out);
#   beside     the same with collectives that run beside the next bucket's
#              sparsification: those buckets price comm_beside_sparsify
#              (their time against the comm lane's price alone) and leave
#              the allreduce and decompress curves alone;
#   errors     a trace of another schedule, a missing or malformed trace,
#              too few iterations and a bad command line each fail with a
#              message naming the problem and leave no output;
#   loop       calibrate.sh on 2 ranks (tolerance 0, so that it fits even
#              when the first plans agree): rounds of plans run and fitted, a
#              cluster file that gcomm-annotate-cost loads and that carries
#              the traces' curves into the schedule.
set -uo pipefail
src=$1 bin=$2 dir=$3 mode=$4
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
rm -rf "$dir" && mkdir -p "$dir"
fail() { echo "FAIL: $mode: $*"; exit 1; }

# Three tensors planned into three buckets: a dense vector, and two top-k
# matrices (density 0.01), on 2 ranks.
graph=$(dirname "$0")/Inputs/three-tensors.mlir
cat > "$dir/base.json" <<'EOF'
{"workers": 2, "alpha_us": 10.0, "beta_us_per_byte": 0.001,
 "sparsify_us": 5.0, "sparsify_us_per_element": 0.001,
 "pack_us_per_element": 0.0, "timeline": "stream",
 "measured": {"compress": {"samples": [[10, 1.0], [1000000, 900.0]]},
              "allreduce": {"samples": [[8, 2.0], [100000000, 50000.0]]}}}
EOF
"$bin/agtf-opt" "$graph" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=$dir/base.json},gcomm-merge{strategy=layerwise compression=topk density=0.01},gcomm-simulate))" |
  "$bin/agtf-opt" --gcomm-lower-to-streams |
  "$bin/agtf-translate" --gcomm-to-schedule -o "$dir/plan.bin" ||
  fail "could not plan the graph"

# One run of both ranks on one true clock, written on clocks of their own
  # (rank 1's reads 5000 us more). Bucket b's sparsify span lasts S[b] on
  # one rank and S[b] + 10 on the other; each rank enters its collective
  # GAP_C after its previous comm and this sparsification ended, the
  # collective starts when both have entered, and it ends C[b] later on one
  # rank and C[b] + 7 on the other (which one alternates, so that the ends
  # agree on the median); every sparsification starts GAP_S after it could.
# Iteration 0 is 100 times slower: the fit must leave it out.
# write_traces S C BACKWARD (JSON lists, per bucket) writes $dir/t.json*.
write_traces() {
  python3 - "$dir" "$@" <<'PY' || fail "could not write the traces"
import json, sys
d = sys.argv[1]
S = json.loads(sys.argv[2])         # sparsify, per bucket
C = json.loads(sys.argv[3])         # the collective, until the first rank leaves
backward = json.loads(sys.argv[4])  # per tensor
GAP_S, GAP_C = 3.0, 2.0
CLOCK = [0.0, 5000.0]            # what each rank's clock reads more
events = [[], []]
def span(rank, name, tid, ts, dur):
    events[rank].append({"name": name, "ph": "X", "pid": rank, "tid": tid,
                         "ts": ts + CLOCK[rank], "dur": dur})
t = 1000.0
for it in range(5):
    scale = 100.0 if it == 0 else 1.0
    clock = t + 100.0
    ready = []
    for rank in (0, 1):
        span(rank, "forward", 0, t, 100.0)
    for name, us in zip(("bias", "w1", "w2"), backward):
        for rank in (0, 1):
            span(rank, "backward " + name, 0, clock, us)
        clock += us
        ready.append(clock)
    sfree, cfree = [0.0, 0.0], [0.0, 0.0]
    for b in range(3):
        enter = [0.0, 0.0]
        for rank in (0, 1):
            s = (S[b] + 10 * ((rank + b) % 2)) * scale
            sstart = max(sfree[rank], ready[b]) + GAP_S
            span(rank, f"sparsify b{b}", 1, sstart, s)
            sfree[rank] = sstart + s
            enter[rank] = max(cfree[rank], sfree[rank]) + GAP_C
        start = max(enter)
        for rank in (0, 1):
            end = start + (C[b] + 7 * ((rank + b + it) % 2)) * scale
            span(rank, f"comm b{b}", 2, enter[rank], end - enter[rank])
            cfree[rank] = end
    for rank in (0, 1):
        span(rank, "update", 0, max(cfree[rank], clock), 5.0)
    t = max(max(cfree), clock) + 5.0 + 1000.0
for rank in (0, 1):
    path = f"{d}/t.json" + ("" if rank == 0 else f".rank{rank}")
    json.dump({"displayTimeUnit": "ns", "traceEvents": events[rank]},
              open(path, "w"))
PY
}

# fit_traces: agtf-profile --from-trace over the traces into $dir/fitted.json
# (its output in $out); the checks import f, m and near from fitted.py.
fit_traces() {
  out=$("$bin/agtf-profile" --from-trace --cluster "$dir/base.json" \
        -o "$dir/fitted.json" "$dir/plan.bin" "$dir/t.json" 2>&1) ||
    fail "agtf-profile exited $?: $out"
  echo "$out"
}
# refit_json: the plan made with $dir/fitted.json, as the schedule's JSON.
refit_json() {
  "$bin/agtf-opt" "$graph" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=$dir/fitted.json},gcomm-merge{strategy=layerwise compression=topk density=0.01},gcomm-simulate))" |
    "$bin/agtf-opt" --gcomm-lower-to-streams |
    "$bin/agtf-translate" --gcomm-to-schedule -o "$dir/refit.bin" ||
    fail "the fitted cluster file does not plan"
  "$bin/agtf-translate" --schedule-to-json "$dir/refit.bin"
}
cat > "$dir/fitted.py" <<'PY'
import json, math, sys
f = json.load(open(sys.argv[1]))
m = f["measured"]
def near(got, want, what):
    if not math.isclose(got, want, rel_tol=1e-5, abs_tol=1e-9):
        sys.exit(f"{what}: {got}, the rule gives {want}")
PY
export PYTHONPATH=$dir

case $mode in
synthetic)
  write_traces "[1, 40, 60]" "[20, 30, 50]" "[50, 100, 100]"
  fit_traces
  python3 - "$dir/fitted.json" <<'PY' || fail "the fit is not the rule's"
import json, math, sys
from fitted import f, m, near
# bucket_us: the median comm gap plus the median sparsify gap.
near(f["bucket_us"], 5.0, "bucket_us")
# pack: the dense bucket's slowest sparsify (1 + 10) over its 1000 elements.
near(f["pack_us_per_element"], 11.0 / 1000, "pack_us_per_element")
# compress: the slowest rank's sparsification at 20,000 and 30,000
# elements, the base's points outside that range kept.
want = [[10, 1.0], [20000, 50.0], [30000, 70.0], [1000000, 900.0]]
got = m["compress"]["samples"]
if [p[0] for p in got] != [p[0] for p in want]:
    sys.exit(f"compress sizes {got}, want {want}")
for g, w in zip(got, want):
    near(g[1], w[1], f"compress at {w[0]}")
# allreduce: the dense bucket's collective span, from the last rank's start
# to the last rank's end on the aligned clocks, at 4000 bytes (20 + 7).
got = m["allreduce"]["samples"]
if [p[0] for p in got] != [8, 4000, 100000000]:
    sys.exit(f"allreduce sizes {got}")
near(got[1][1], 27.0, "allreduce at 4000 bytes")
# decompress: the collective span less the allgather of k pairs under the
# base's alpha-beta (ceil(log2 2) alpha + (2 - 1) 8 k beta).
for size, comm, k in ((20000, 37.0, 200), (30000, 57.0, 300)):
    point = [p for p in m["decompress"]["samples"] if p[0] == size]
    if not point:
        sys.exit(f"no decompress point at {size}")
    near(point[0][1], comm - (10.0 + 8 * k * 0.001), f"decompress at {size}")
runs = m["from_traces"]["runs"]
if len(runs) != 1 or runs[0]["ranks"] != 2 or runs[0]["iterations"] != 4:
    sys.exit(f"runs: {runs}")
print("fit as documented")
PY
  # The fitted file loads, and its curves price the plan into the schedule.
  refit_json |
    python3 -c '
import json, sys
cm = json.load(sys.stdin)["cost_model"]
assert cm["bucket_us"] == 5.0, cm["bucket_us"]
assert [p[0] for p in cm["curves"]["compress"]] == [10, 20000, 30000, 1000000]
assert "decompress" in cm["curves"] and "allreduce" in cm["curves"]
print("the schedule carries the fitted curves")' ||
    fail "the schedule does not carry the fit"
  ;;
beside)
  # Backward ends at once: b0's collective runs beside b1's sparsification,
  # b1's beside b2's, b2's alone.
  write_traces "[1, 400, 600]" "[150, 100, 50]" "[50, 1, 1]"
  fit_traces
  grep -qF "comm_beside_sparsify 2 (buckets beside the sparsify lanes 2, alone 1)" <<<"$out" ||
    fail "the summary does not count the buckets beside"
  python3 - "$dir/fitted.json" <<'PY' || fail "the fit is not the rule's"
import json, math, sys
from fitted import f, m, near
near(f["bucket_us"], 5.0, "bucket_us")
counts = m["from_traces"]["comm_beside_sparsify"]
if (counts["buckets_beside"], counts["buckets_alone"]) != (2, 1):
    sys.exit(f"beside/alone: {counts}")
# b0, the dense bucket, ran beside: the allreduce curve stays the base's.
if m["allreduce"]["samples"] != [[8, 2.0], [100000000, 50000.0]]:
    sys.exit(f"allreduce {m['allreduce']['samples']}")
# Decompression only from b2, which ran alone: 57 us less the allgather.
if [p[0] for p in m["decompress"]["samples"]] != [30000]:
    sys.exit(f"decompress {m['decompress']['samples']}")
near(m["decompress"]["samples"][0][1], 57.0 - 12.4, "decompress")
# Sparsification is measured beside or not.
if [p[0] for p in m["compress"]["samples"]] != [10, 20000, 30000, 1000000]:
    sys.exit(f"compress {m['compress']['samples']}")
# The curve beside: the comm lane's price alone (the allreduce curve at
# 4000 bytes; the allgather of 200 pairs and the decompress curve at 20000
# elements), each plus bucket_us, binned to an eighth of a decade, against
# the span measured plus bucket_us.
t = math.log(4000 / 8) / math.log(1e8 / 8)
b0 = math.exp(math.log(2.0) + t * math.log(50000.0 / 2.0)) + 5.0
b1 = 10.0 + 200 * 8 * 0.001 + 44.6 + 5.0
bin = lambda us: 10 ** (round(math.log10(us) * 8) / 8)
got = m["comm_beside_sparsify"]["samples"]
want = sorted([[bin(b0), 157.0 + 5.0], [bin(b1), 107.0 + 5.0]])
if len(got) != 2:
    sys.exit(f"comm_beside_sparsify {got}, want {want}")
for g, w in zip(got, want):
    near(g[0], w[0], "a beside point's price alone")
    near(g[1], w[1], f"the time beside at {w[0]}")
print("fit beside the sparsify lanes as documented")
PY
  # The fitted file loads, and the schedule carries the curve.
  refit_json |
    python3 -c '
import json, sys
s = json.load(sys.stdin)
assert "comm_beside_sparsify" in s["cost_model"]["curves"], s["cost_model"]
print("the schedule carries the curve beside")' ||
    fail "the schedule does not carry the curve beside"
  ;;
errors)
  expect() { # expect STATUS PATTERN ARGS...: exits STATUS, says PATTERN
    local status=$1 pattern=$2 out code
    shift 2
    rm -f "$dir/out.json"
    out=$("$bin/agtf-profile" "$@" 2>&1)
    code=$?
    [ "$code" = "$status" ] || fail "$* exited $code, want $status: $out"
    grep -q -- "$pattern" <<<"$out" || fail "$*: no '$pattern' in: $out"
    ls "$dir"/out.json* 2>/dev/null && fail "$* left output behind"
    echo "ok: $pattern"
  }
  fit=(--from-trace --cluster "$dir/base.json" -o "$dir/out.json")
  printf '{"traceEvents": [{"name": "forward", "ph": "X", "ts": 0, "dur": 1}, {"name": "comm b9", "ph": "X", "ts": 1, "dur": 1}]}' > "$dir/other.json"
  expect 1 "trace '$dir/other.json' has a span of bucket 'b9', which the schedule does not have" \
    "${fit[@]}" "$dir/plan.bin" "$dir/other.json"
  expect 1 "cannot read trace '$dir/none.json'" "${fit[@]}" "$dir/plan.bin" "$dir/none.json"
  echo '{"traceEvents": [' > "$dir/cut.json"
  expect 1 "trace '$dir/cut.json' is not an agtf-run trace" \
    "${fit[@]}" "$dir/plan.bin" "$dir/cut.json"
  timeout 60 mpirun -np 2 --oversubscribe "$bin/agtf-run" "$dir/plan.bin" \
    --replay --iters 1 --warmup 0 --trace "$dir/short.json" > /dev/null 2>&1 ||
    fail "agtf-run --trace failed"
  expect 1 "has 1 whole iterations on every rank; the fit needs at least 3" \
    "${fit[@]}" "$dir/plan.bin" "$dir/short.json"
  expect 1 "schedule '$graph'" "${fit[@]}" "$graph" "$dir/short.json"
  expect 2 "needs SCHEDULE.bin TRACE.json pairs, got 1 arguments" "${fit[@]}" "$dir/plan.bin"
  expect 2 "needs --cluster" --from-trace -o "$dir/out.json" "$dir/plan.bin" "$dir/short.json"
  expect 2 "are read with --from-trace" -o "$dir/out.json" "$dir/plan.bin" "$dir/short.json"
  expect 1 "cannot read cluster file" --from-trace --cluster "$dir/none.json" \
    -o "$dir/out.json" "$dir/plan.bin" "$dir/short.json"
  ;;
loop)
  out=$(timeout 240 bash "$src/scripts/calibrate.sh" "$graph" "$dir/base.json" \
        --out "$dir/cal" --bin "$bin" --iters 4 --repeats 1 --rounds 1 --tolerance 0 \
        --plans "layerwise:topk single:topk" 2>&1) ||
    fail "calibrate.sh exited $?: $out"
  echo "$out"
  for want in "round 0 (cluster" "round 1 (cluster" "layerwise topk" \
              "single topk" "median |error|" "cluster file: $dir/cal/cluster.json"; do
    grep -qF "$want" <<<"$out" || fail "no '$want' in its output"
  done
  python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))
runs = f["measured"]["from_traces"]["runs"]
assert len(runs) == 2, runs
assert all(r["ranks"] == 2 and r["iterations"] >= 3 for r in runs), runs
assert len(f["measured"]["compress"]["samples"]) > 2
print("fitted from", len(runs), "traced runs")' "$dir/cal/cluster-1.json" ||
    fail "round 1's cluster file is not a fit of round 0's traces"
  "$bin/agtf-opt" "$graph" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=$dir/cal/cluster.json}))" > /dev/null ||
    fail "gcomm-annotate-cost rejects the calibrated cluster file"
  ;;
*) fail "unknown mode" ;;
esac
echo "PASS: $mode"
