#!/usr/bin/env python3
"""The noise model against the measured residual (bench/noise/measured-vs-predicted.sh).

  report.py predict BIN PLAN.mlir   per-bucket predicted noise of a plan, as JSON
  report.py report OUT SEEDS NAME...  the markdown report of a finished run

A bucket's predicted noise is gcomm-simulate's plan noise of the same plan
with every other bucket made dense (the plan noise is the sum over sparse
buckets, each depending only on its own members and kept count).
"""
import json
import os
import re
import statistics
import subprocess
import sys

BUCKET = re.compile(
    r"gcomm\.bucket @(\w+) \[([^\]]*)\] (compress #gcomm\.(\w+)(?:<[^>]*>)? via \w+)")
NOISE = re.compile(r"predicted_noise = ([0-9.eE+-]+)")
DENSE = "compress #gcomm.dense<f32> via allreduce"

# docs/benchmarks.md, "Accuracy per plan": mean final test accuracy (%) over
# the seeds run there (4 ranks, 5 epochs, all the data; 2 seeds, 10 for
# dense and --fuse-sparse), and the number of buckets of those plans.
DOCS = {"layerwise": (87.20, 10), "single": (88.45, 1), "omgs": (87.87, 3),
        "agtf": (88.08, 2), "fuse-sparse": (88.21, 3)}


def simulate(bin_dir, text):
    r = subprocess.run([f"{bin_dir}/agtf-opt",
                        "--pass-pipeline=builtin.module(gcomm.graph(gcomm-simulate))"],
                       input=text, capture_output=True, text=True, check=True)
    return float(NOISE.search(r.stdout).group(1))


def predict(bin_dir, path):
    text = open(path).read()
    buckets = list(BUCKET.finditer(text))
    out = {"plan_noise": float(NOISE.search(text).group(1)), "buckets": []}
    for j, b in enumerate(buckets):
        alone = text
        for i, o in enumerate(buckets):
            if i != j:
                alone = alone.replace(o.group(0), o.group(0).replace(o.group(3), DENSE))
        members = [m.strip().lstrip("@") for m in b.group(2).split(",")]
        noise = 0.0 if b.group(4) == "dense" else simulate(bin_dir, alone)
        out["buckets"].append({"bucket": b.group(1), "kind": b.group(4),
                               "members": members, "predicted_noise": noise})
    json.dump(out, sys.stdout, indent=1)


def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(x, y):
    """Pearson's r of the ranks (ties take their mean rank)."""
    rx, ry = ranks(x), ranks(y)
    mx, my = statistics.mean(rx), statistics.mean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / (sxx * syy) ** 0.5 if sxx and syy else float("nan")


def report(out, seeds, names):
    seeds = seeds.split()
    rows = {}
    for name in names:
        pred = json.load(open(f"{out}/{name}.predicted.json"))
        runs = [json.load(open(f"{out}/{name}.seed{s}.json")) for s in seeds]
        rows[name] = (pred, runs)
    first = rows[names[0]][1][0]
    print(f"{first['ranks']} ranks, {first['epochs']} epochs of "
          f"{first['steps_per_epoch']} steps ({first['train_samples']} training, "
          f"{first['test_samples']} test samples), seeds {' '.join(seeds)}; "
          "measured figures: mean over seeds of agtf-run's `residual` (itself "
          "the mean over steps and ranks).\n")
    print("| plan | buckets | predicted noise | measured noise (Σ members) | "
          "measured Σ bucket ratios | final accuracy (%), mean | per seed |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    plans = {}
    for name in names:
        pred, runs = rows[name]
        measured = statistics.mean(r["residual"]["measured_noise"] for r in runs)
        ratio_sum = statistics.mean(
            sum(b["relative_residual"] or 0 for b in r["residual"]["buckets"])
            for r in runs)
        acc = [100 * r["test_accuracy"][-1] for r in runs]
        plans[name] = (pred["plan_noise"], measured, statistics.mean(acc),
                       ratio_sum)
        same = f"{out}/{name}.same"
        twin = open(same).read().strip() if os.path.exists(same) else None
        label = f"{name} (= {twin})" if twin else name
        print(f"| {label} | {len(pred['buckets'])} | {pred['plan_noise']:.4f} | "
              f"{measured:.4f} | {ratio_sum:.4f} | {statistics.mean(acc):.2f} | "
              f"{', '.join(f'{a:.2f}' for a in acc)} |")
    print("\nPer sparse bucket (measured: mean over seeds):\n")
    print("| plan | bucket | members | predicted | measured Σ members | "
          "measured bucket ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in names:
        if os.path.exists(f"{out}/{name}.same"):
            continue
        pred, runs = rows[name]
        for i, b in enumerate(pred["buckets"]):
            if b["kind"] == "dense":
                continue
            got = [r["residual"]["buckets"][i] for r in runs]
            assert all(g["bucket"] == b["bucket"] for g in got), (name, b)
            members = ", ".join(b["members"])
            print(f"| {name} | {b['bucket']} ({b['kind']}) | {members} | "
                  f"{b['predicted_noise']:.4f} | "
                  f"{statistics.mean(g['member_residual_sum'] for g in got):.4f} | "
                  f"{statistics.mean(g['relative_residual'] for g in got):.4f} |")
    sparse = [n for n in names if n != "dense" and
              not os.path.exists(f"{out}/{n}.same")]
    p = [plans[n][0] for n in sparse]
    m = [plans[n][1] for n in sparse]
    a = [plans[n][2] for n in sparse]
    print(f"\nSpearman's rank correlation across the {len(sparse)} distinct sparse plans "
          f"({', '.join(sparse)}):\n")
    print(f"- predicted noise against measured noise: {spearman(p, m):+.3f}")
    print(f"- predicted noise against mean final accuracy: {spearman(p, a):+.3f} "
          "(a good model: negative)")
    print(f"- measured noise against mean final accuracy: {spearman(m, a):+.3f}")
    s = [plans[n][3] for n in sparse]
    print(f"- measured Σ bucket ratios against mean final accuracy: "
          f"{spearman(s, a):+.3f}")
    docs = [n for n in DOCS if n in names]
    w4 = {n: json.load(open(f"{out}/{n}.w4.predicted.json")) for n in docs}
    print("\nThe docs' accuracies (benchmarks.md, \"Accuracy per plan\"; 4 ranks, "
          "5 epochs) against these plans' predicted noise for 4 workers:\n")
    print("| plan | buckets here (docs) | predicted noise, 4 workers | "
          "mean final accuracy in the docs (%) |")
    print("| --- | --- | --- | --- |")
    for n in docs:
        print(f"| {n} | {len(w4[n]['buckets'])} ({DOCS[n][1]}) | "
              f"{w4[n]['plan_noise']:.4f} | {DOCS[n][0]:.2f} |")
    rho = spearman([w4[n]["plan_noise"] for n in docs], [DOCS[n][0] for n in docs])
    print(f"\nSpearman, predicted noise against the docs' accuracy "
          f"({len(docs)} plans): {rho:+.3f}")


if __name__ == "__main__":
    if sys.argv[1] == "predict":
        predict(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit(__doc__)
