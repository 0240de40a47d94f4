#!/usr/bin/env bash
# The measured residual in agtf-run --replay (docs/runtime.md, "Measured
# residual"): on 2 ranks, a layer-wise top-k plan (a dense bucket, two top-k
# buckets) and a single top-k bucket report, per bucket, the energy not
# sent over the energy accumulated, in [0, 1], 0 for the dense bucket, per
# rank and per member, beside the plan's predicted noise; the text summary
# says it, and the trace has one counter per sparse bucket and iteration.
# Usage: residual.sh BIN_DIR WORK_DIR
set -uo pipefail
bin=$1 dir=$2
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
rm -rf "$dir" && mkdir -p "$dir"
fail() { echo "FAIL: $*"; exit 1; }

graph=$(dirname "$0")/Inputs/three-tensors.mlir
for strategy in layerwise single; do
  "$bin/agtf-opt" "$graph" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{workers=2},gcomm-merge{strategy=$strategy compression=topk density=0.01},gcomm-simulate))" |
    "$bin/agtf-opt" --gcomm-lower-to-streams |
    "$bin/agtf-translate" --gcomm-to-schedule -o "$dir/$strategy.bin" ||
    fail "could not plan the graph ($strategy)"
  run=(timeout 120 mpirun -np 2 --oversubscribe "$bin/agtf-run"
       "$dir/$strategy.bin" --replay --iters 4 --warmup 2 --time-scale 0.01)
  "${run[@]}" --json --trace "$dir/$strategy.trace.json" \
    > "$dir/$strategy.json" 2> "$dir/$strategy.err" ||
    fail "$strategy: agtf-run exited $?: $(cat "$dir/$strategy.err")"
  text=$("${run[@]}" 2>&1) || fail "$strategy: agtf-run exited $?: $text"
  echo "$text"
  grep -q "residual left       measured noise" <<<"$text" ||
    fail "$strategy: the text summary has no residual line"
done

python3 - "$dir" <<'PY' || fail "the figures"
import json, math, sys
d = sys.argv[1]
for strategy, want in (("layerwise", ["dense", "topk", "topk"]),
                       ("single", ["topk"])):
    r = json.load(open(f"{d}/{strategy}.json"))["residual"]
    assert r["iterations"] == 4, r  # the warmup left out
    kinds = [b["kind"] for b in r["buckets"]]
    assert kinds == want, (strategy, kinds)
    total = 0
    for b in r["buckets"]:
        ratio = b["relative_residual"]
        assert len(b["relative_residual_per_rank"]) == 2, b
        assert all(0 <= v <= 1 for v in b["relative_residual_per_rank"]), b
        assert math.isclose(ratio, sum(b["relative_residual_per_rank"]) / 2,
                            rel_tol=1e-5), b
        members = [m["relative_residual"] for m in b["members"]]
        assert math.isclose(b["member_residual_sum"], sum(members),
                            rel_tol=1e-5, abs_tol=1e-9), b
        if b["kind"] == "dense":
            assert ratio == 0 and b["member_residual_sum"] == 0, b
        else:
            # density 0.01 of random gradients: most energy stays behind
            assert 0 < ratio < 1 and all(0 < m <= 1 for m in members), b
        total += b["member_residual_sum"]
    assert math.isclose(r["measured_noise"], total, rel_tol=1e-5), r
    assert r["predicted_noise"] is not None and r["predicted_noise"] > 0, r
    assert r["unmeasured_sparse_buckets"] == 0, r
    sparse = {b["bucket"] for b in r["buckets"] if b["kind"] != "dense"}
    for path in (f"{d}/{strategy}.trace.json", f"{d}/{strategy}.trace.json.rank1"):
        counters = [e for e in json.load(open(path))["traceEvents"]
                    if e["ph"] == "C"]
        names = {e["name"] for e in counters}
        assert names == {"residual " + b for b in sparse}, names
        assert len(counters) == 6 * len(sparse), len(counters)  # every iteration
        assert all(0 <= e["args"]["relative_residual"] <= 1
                   for e in counters), counters
    print(strategy, "measured", r["measured_noise"], "predicted",
          r["predicted_noise"])
PY
echo "ok"
