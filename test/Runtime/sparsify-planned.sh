#!/usr/bin/env bash
# agtf-run --replay --sparsify-time planned (docs/runtime.md): on 2 ranks,
# each bucket's sparsify span lasts exactly what the schedule's cost model
# charges for it (its measured compress curve here, and p1 N for a dense
# bucket), the comm of a bucket never starts before that span ends, the
# results still match the reference (--check), and the option is refused
# where it cannot hold.
# Usage: sparsify-planned.sh BIN_DIR WORK_DIR
set -uo pipefail
bin=$1 dir=$2
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
rm -rf "$dir" && mkdir -p "$dir"
fail() { echo "FAIL: $*"; exit 1; }

graph=$(dirname "$0")/Inputs/three-tensors.mlir
cat > "$dir/cluster.json" <<'CLUSTER'
{"workers": 2, "alpha_us": 10.0, "beta_us_per_byte": 0.001,
 "pack_us_per_element": 0.05, "timeline": "stream",
 "measured": {"compress": {"samples": [[1000, 300.0], [100000, 3000.0]]}}}
CLUSTER
"$bin/agtf-opt" "$graph" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=$dir/cluster.json},gcomm-merge{strategy=layerwise compression=topk density=0.01},gcomm-simulate))" |
  "$bin/agtf-opt" --gcomm-lower-to-streams |
  "$bin/agtf-translate" --gcomm-to-schedule -o "$dir/plan.bin" ||
  fail "could not plan the graph"
"$bin/agtf-translate" --schedule-to-json "$dir/plan.bin" > "$dir/plan.json" ||
  fail "could not print the plan"

out=$(timeout 120 mpirun -np 2 --oversubscribe "$bin/agtf-run" "$dir/plan.bin" \
      --replay --iters 6 --warmup 1 --sparsify-time planned --check \
      --trace "$dir/t.json" 2>&1) || fail "agtf-run exited $?: $out"
echo "$out"
grep -q "sparsification charged as planned" <<<"$out" || fail "not said"
grep -q "parameters identical on all ranks: yes" <<<"$out" ||
  fail "ranks differ"
python3 - "$dir/plan.json" "$dir/t.json" "$dir/t.json.rank1" <<'PY' ||
import json, math, sys
plan = json.load(open(sys.argv[1]))
curve = plan["cost_model"]["curves"]["compress"]
def along(x):  # docs/passes.md, "Measured curves"
    (x0, y0), (x1, y1) = curve
    if x <= x0:
        return y0
    t = math.log(x / x0) / math.log(x1 / x0)
    return math.exp(math.log(y0) + t * math.log(y1 / y0))
want = {}
for b in plan["buckets"]:
    n = sum(t["numel"] for t in plan["tensors"][b["first_tensor"]:
                                                b["first_tensor"] +
                                                b["tensor_count"]])
    dense = b["compression"]["kind"] == "dense"
    want[b["name"]] = 0.05 * n if dense else along(n)
for path in sys.argv[2:]:
    spans = {}
    for e in json.load(open(path))["traceEvents"]:
        if e.get("ph") == "X" and " " in e["name"]:
            lane, bucket = e["name"].split(" ", 1)
            spans.setdefault((lane, bucket), []).append(e)
    for name, us in want.items():
        for s in spans[("sparsify", name)]:
            if not math.isclose(s["dur"], us, rel_tol=1e-3, abs_tol=2e-3):
                sys.exit(f"{path}: sparsify {name} took {s['dur']}, "
                         f"the plan charges {us}")
        for s, c in zip(spans[("sparsify", name)], spans[("comm", name)]):
            if c["ts"] < s["ts"] + s["dur"] - 1e-3:
                sys.exit(f"{path}: comm {name} began before its charged "
                         f"sparsification ended")
print("every sparsify span is the plan's charge:",
      ", ".join(f"{k} {v:.1f} us" for k, v in want.items()))
PY
  fail "the spans are not the plan's charges"

for args in "--model m.pt:runs with --replay only" \
            "--replay --device cuda:runs on --device cpu only"; do
  # shellcheck disable=SC2086
  out=$("$bin/agtf-run" "$dir/plan.bin" --sparsify-time planned ${args%%:*} 2>&1)
  [ $? = 2 ] || fail "--sparsify-time planned ${args%%:*} was not refused: $out"
  grep -q -- "${args#*:}" <<<"$out" || fail "no '${args#*:}' in: $out"
  echo "refused with ${args%%:*}: $(head -1 <<<"$out")"
done
echo "PASS"
