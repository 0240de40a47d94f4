#!/usr/bin/python3
"""Tables and plots of bench/e2e/run.sh's results.

Usage: report.py RESULTS_DIR [PLOT_DIR]
Prints markdown tables (one per network and model) and the goals' verdicts
to standard output; with PLOT_DIR, writes e2e-speedup.png and
e2e-timeline-<model>-1gbit.png there (matplotlib).

Definitions (docs/benchmarks.md):
- measured: agtf-run's median iteration over the measured iterations
  (slowest rank per iteration); p10-p90 is its spread.
- error: (predicted - measured) / measured.
- guard: a plan passes the noise guard when its predicted noise is at most
  layer-wise top-k's (dense plans have none).
- vs dense: the faster dense plan's median (WFBP or 25 MB buckets) over this
  plan's.
- DDP rows: PyTorch's measured iteration on this CPU, and DDP's exposed
  communication (its iteration minus its no_sync compute) added to the
  replay's compute on this host (the --fuse-sparse run's iteration minus its
  exposed communication), which is what "vs DDP" divides by.
"""
import json
import os
import statistics
import sys

STRATEGIES = [
    ("dense-wfbp", "dense, WFBP (one allreduce a tensor)"),
    ("dense-ddp", "dense, DDP-style 25 MB buckets"),
    ("topk-layerwise", "top-k layer-wise"),
    ("topk-single", "top-k single bucket"),
    ("topk-mgwfbp", "top-k MG-WFBP"),
    ("topk-omgs", "top-k OMGS"),
    ("topk-agtf", "top-k AGTF"),
    ("topk-optimal", "top-k optimal, no guard"),
    ("fuse-sparse", "--fuse-sparse (optimal, guard eps=0)"),
]
PEERS = [("ddp", "PyTorch DDP, gloo, 25 MB"),
         ("ddp-powersgd", "PyTorch DDP, PowerSGD hook (rank 4)")]
MODELS = ["resnet20", "resnet50", "vgg16"]
MODEL_NAMES = {"resnet20": "ResNet-20", "resnet50": "ResNet-50",
               "vgg16": "VGG-16"}
RATE_NAMES = {"1gbit": "1 Gbit/s", "10gbit": "10 Gbit/s"}


def load(path):
    rows = {}
    for line in open(path):
        r = json.loads(line)
        rows[(r["rate"], r["model"], r["strategy"])] = r
    return rows


def median_us(r):
    return r["run"]["measured_iteration_us"]["median"]


def analyse(rows, rate, model):
    """The table's rows for one network and model, and the goal inputs."""
    out = []
    plans = {s: rows[(rate, model, s)] for s, _ in STRATEGIES
             if (rate, model, s) in rows}
    if not plans:
        return None
    dense = [median_us(plans[s]) for s in ("dense-wfbp", "dense-ddp")
             if s in plans]
    best_dense = min(dense) if dense else None
    layer_noise = plans["topk-layerwise"]["noise"] if \
        "topk-layerwise" in plans else None
    compute_us = None
    if "fuse-sparse" in plans:
        run = plans["fuse-sparse"]["run"]
        compute_us = median_us(plans["fuse-sparse"]) - \
            run["measured_exposed_comm_us"]
    local = next((rows[(r, model, "ddp-local")] for r in
                  (rate, "1gbit", "10gbit") if (r, model, "ddp-local") in
                  rows), None)
    ddp_equiv = {}
    for peer, _ in PEERS:
        key = (rate, model, peer)
        if key in rows and local and compute_us is not None:
            exposed = rows[key]["ddp"]["median_s"] - local["ddp"]["median_s"]
            ddp_equiv[peer] = compute_us + max(0.0, exposed) * 1e6
    ddp_ref = ddp_equiv.get("ddp")
    for s, label in STRATEGIES:
        if s not in plans:
            continue
        r = plans[s]
        run = r["run"]
        m = median_us(r)
        pred = run["predicted_iteration_us"]
        guard = layer_noise is None or (
            r["noise"] is not None and r["noise"] <= layer_noise * (1 + 1e-9))
        out.append({
            "strategy": s, "label": label, "buckets": r["buckets"],
            "noise": r["noise"], "guard": guard, "measured": m,
            "p10": run["measured_iteration_us"]["p10"],
            "p90": run["measured_iteration_us"]["p90"],
            "predicted": pred, "error": (pred - m) / m,
            "vs_dense": best_dense / m if best_dense else None,
            "vs_ddp": ddp_ref / m if ddp_ref else None,
            "sparse": not s.startswith("dense"), "load": r["load"],
            "identical": run["parameters_identical"]})
    for peer, label in PEERS:
        key = (rate, model, peer)
        if key not in rows:
            continue
        d = rows[key]["ddp"]
        out.append({
            "strategy": peer, "label": label, "peer": True,
            "measured_cpu": d["median_s"] * 1e6,
            "local": local["ddp"]["median_s"] * 1e6 if local else None,
            "equiv": ddp_equiv.get(peer), "load": rows[key]["load"],
            "vs_dense": best_dense / ddp_equiv[peer]
            if peer in ddp_equiv and best_dense else None,
            "vs_ddp": ddp_ref / ddp_equiv[peer]
            if peer in ddp_equiv and ddp_ref else None})
    return out


def ms(us):
    return "%.1f" % (us / 1000.0)


def ratio(x):
    return "–" if x is None else "%.2f×" % x


def table(rows_out):
    lines = ["| plan | buckets | guard | measured (ms) | p10–p90 (ms) | "
             "predicted (ms) | error | vs dense | vs DDP |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows_out:
        if r.get("peer"):
            cpu = "%s on this CPU (compute alone %s)" % (
                ms(r["measured_cpu"]), ms(r["local"]) if r["local"] else "–")
            lines.append("| %s | – | – | %s | – | – | – | %s | %s |" % (
                r["label"], ("**%s** equivalent; " % ms(r["equiv"])
                             if r["equiv"] else "") + cpu,
                ratio(r["vs_dense"]), ratio(r["vs_ddp"])))
            continue
        lines.append("| %s | %d | %s | %s | %s–%s | %s | %+.0f%% | %s | %s |" % (
            r["label"], r["buckets"],
            "–" if not r["sparse"] else ("yes" if r["guard"] else "no"),
            ms(r["measured"]), ms(r["p10"]), ms(r["p90"]), ms(r["predicted"]),
            100 * r["error"], ratio(r["vs_dense"]), ratio(r["vs_ddp"])))
    return "\n".join(lines)


def goals(rate, model, rows_out):
    """One line per goal of issue 9 for this network and model."""
    plans = {r["strategy"]: r for r in rows_out if not r.get("peer")}
    notes = []
    sparse = [r for r in plans.values() if r["sparse"]]
    worst = max(sparse, key=lambda r: abs(r["error"]), default=None)
    if worst:
        ok = all(abs(r["error"]) <= 0.10 for r in sparse)
        notes.append("prediction error <= 10%% on every sparse plan: %s "
                     "(worst %+.0f%%, %s)" % ("met" if ok else "missed",
                                              100 * worst["error"],
                                              worst["strategy"]))
    fs = plans.get("fuse-sparse")
    if fs:
        guarded = [r for r in plans.values() if r["guard"]]
        best = min(guarded, key=lambda r: r["measured"])
        within = fs["p10"] <= best["p90"]
        notes.append("--fuse-sparse fastest among guard-passing plans: %s "
                     "(fastest %s %s ms, --fuse-sparse %s ms%s)" % (
                         "met" if best is fs or within else "missed",
                         best["strategy"], ms(best["measured"]),
                         ms(fs["measured"]),
                         "; spreads overlap" if within and best is not fs
                         else ""))
        lw = plans.get("topk-layerwise")
        if rate == "1gbit" and lw:
            notes.append("--fuse-sparse beats layer-wise top-k: %s (%.2f×)" % (
                "met" if fs["measured"] < lw["measured"] else "missed",
                lw["measured"] / fs["measured"]))
        if rate == "1gbit" and model == "vgg16" and fs["vs_dense"]:
            notes.append("--fuse-sparse >= 5× dense on VGG-16: %s (%.2f×)" % (
                "met" if fs["vs_dense"] >= 5 else "missed", fs["vs_dense"]))
    return notes


def plot_speedups(results, plot_dir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rates = [r for r in ("1gbit", "10gbit") if any(k[0] == r for k in results)]
    fig, axes = plt.subplots(len(rates), 1, figsize=(11, 4 * len(rates)),
                             squeeze=False)
    names = [s for s, _ in STRATEGIES] + [p for p, _ in PEERS]
    for ax, rate in zip(axes[:, 0], rates):
        models = [m for m in MODELS if (rate, m) in results]
        width = 0.8 / len(names)
        for j, name in enumerate(names):
            ys = []
            for m in models:
                row = next((r for r in results[(rate, m)]
                            if r["strategy"] == name), None)
                ys.append(row["vs_dense"] if row and row["vs_dense"] else 0)
            xs = [i + (j - len(names) / 2) * width for i in range(len(models))]
            ax.bar(xs, ys, width, label=name, color=plt.cm.tab20(j),
                   hatch="//" if name.startswith("ddp") else None)
        ax.axhline(1.0, color="black", lw=0.8)
        ax.set_xticks(range(len(models)))
        ax.set_xticklabels([MODEL_NAMES[m] for m in models])
        ax.set_ylabel("speedup over the faster dense plan")
        ax.set_yscale("log")
        ax.set_title("P = 4 emulated hosts, %s (tc tbf); measured medians"
                     % RATE_NAMES.get(rate, rate))
        ax.legend(fontsize=7, ncol=3)
    fig.tight_layout()
    path = os.path.join(plot_dir, "e2e-speedup.png")
    fig.savefig(path, dpi=110)
    return path


def spans(trace, iteration=None):
    """(lane, start, end, name) of one iteration of a Chrome trace, times in
    ms from that iteration's forward start. Measured traces hold every
    iteration: the median-length one is taken."""
    events = [e for e in json.load(open(trace))["traceEvents"]
              if e.get("ph") == "X"]
    starts = sorted(e["ts"] for e in events if e["name"] == "forward")
    bounds = starts + [float("inf")]
    iters = []
    for a, b in zip(bounds, bounds[1:]):
        it = [e for e in events if a <= e["ts"] < b]
        end = max(e["ts"] + e["dur"] for e in it)
        iters.append((end - a, a, it))
    length, t0, it = sorted(iters)[len(iters) // 2]
    return [(e["tid"], (e["ts"] - t0) / 1000, (e["ts"] + e["dur"] - t0) / 1000,
             e["name"]) for e in it], length / 1000


def plot_timeline(results_dir, rate, model, plot_dir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    base = os.path.join(results_dir, rate, model, "fuse-sparse")
    pred, plen = spans(base + ".predicted.json")
    meas, mlen = spans(base + ".measured.json")
    fig, axes = plt.subplots(2, 1, figsize=(11, 4.2), sharex=True)
    colours = {0: "tab:blue", 1: "tab:orange", 2: "tab:green"}
    for ax, data, title, length in ((axes[0], pred, "predicted", plen),
                                    (axes[1], meas, "measured (rank 0)",
                                     mlen)):
        for lane, a, b, name in data:
            ax.barh(2 - lane, b - a, left=a, color=colours.get(lane, "grey"),
                    edgecolor="black", linewidth=0.3)
        ax.set_yticks([2, 1, 0])
        ax.set_yticklabels(["compute", "sparsify", "comm"])
        ax.set_title("%s: %.1f ms" % (title, length))
    axes[1].set_xlabel("ms from the start of forward")
    fig.suptitle("--fuse-sparse, %s, %s: one iteration" % (
        MODEL_NAMES[model], RATE_NAMES.get(rate, rate)))
    fig.tight_layout()
    path = os.path.join(plot_dir, "e2e-timeline-%s-%s.png" % (model, rate))
    fig.savefig(path, dpi=110)
    return path


def link_check(results_dir, rate):
    """What the shaped link carried, from the calibration's largest
    messages: send/recv (one stream, rank 0 to 1) and allreduce (ring
    traffic of all four ranks), in Gbit/s per rank."""
    path = os.path.join(results_dir, rate, "cluster.json")
    if not os.path.exists(path):
        return None
    m = json.load(open(path))["measured"]
    size, us = max(m["sendrecv"]["samples"])
    stream = size * 8 / us / 1e3
    size, us = max(m["allreduce"]["samples"])
    ring = 2 * 3 / 4 * size * 8 / us / 1e3
    return ("%s: send/recv of %.0f MiB at %.2f Gbit/s; allreduce of %.0f "
            "MiB moves %.2f Gbit/s per rank (2(P-1)/P of the buffer each "
            "way)" % (RATE_NAMES.get(rate, rate), size / 2**20, stream,
                      size / 2**20, ring))


def lanes(results_dir, rate, model, strategy="fuse-sparse"):
    """Busy time per lane in one (the median) iteration, predicted against
    measured, in ms: where the prediction error comes from."""
    base = os.path.join(results_dir, rate, model, strategy)
    out = []
    for kind in ("predicted", "measured"):
        data, length = spans(base + ".%s.json" % kind)
        busy = {0: 0.0, 1: 0.0, 2: 0.0}
        for lane, a, b, _ in data:
            busy[lane] = busy.get(lane, 0.0) + (b - a)
        out.append((kind, length, busy))
    return out


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    results_dir = sys.argv[1]
    rows = load(os.path.join(results_dir, "results.jsonl"))
    results = {}
    for rate in ("1gbit", "10gbit"):
        for model in MODELS:
            out = analyse(rows, rate, model)
            if out:
                results[(rate, model)] = out
                loads = [r["load"] for r in out]
                print("### %s, %s\n" % (MODEL_NAMES[model],
                                        RATE_NAMES.get(rate, rate)))
                print(table(out))
                print("\nLoad average (1, 5, 15 min) during these runs: %s "
                      "to %s.\n" % (min(loads), max(loads)))
                for note in goals(rate, model, out):
                    print("- " + note)
                if os.path.exists(os.path.join(results_dir, rate, model,
                                               "fuse-sparse.measured.json")):
                    parts = ["%s %.1f ms (compute %.1f, sparsify %.1f, comm "
                             "%.1f busy)" % (k, l, b[0], b[1], b[2])
                             for k, l, b in lanes(results_dir, rate, model)]
                    print("- --fuse-sparse, one iteration: " +
                          "; ".join(parts))
                print()
    for rate in ("1gbit", "10gbit"):
        check = link_check(results_dir, rate)
        if check:
            print("- link check, " + check)
    if len(sys.argv) == 3:
        os.makedirs(sys.argv[2], exist_ok=True)
        print("plots:", plot_speedups(results, sys.argv[2]))
        for rate, model in results:
            if rate == "1gbit" and os.path.exists(os.path.join(results_dir, rate, model,
                                           "fuse-sparse.measured.json")):
                print("plots:", plot_timeline(results_dir, rate, model,
                                              sys.argv[2]))


if __name__ == "__main__":
    main()
