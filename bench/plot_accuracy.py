"""The table and plot of bench/accuracy.sh.

Usage: plot_accuracy.py OUT_DIR ROW...   (ROW: "name|label|passes")
Reads OUT_DIR/NAME.json (agtf-run --json) and NAME.schedule.json
(agtf-translate --schedule-to-json) of every row that ran, and
OUT_DIR/single.json if present; writes OUT_DIR/table.md and
OUT_DIR/accuracy.png. Run with Debian's /usr/bin/python3 (matplotlib).
"""
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def values_per_step(schedule):
    """Values a rank sends per step (indices not counted), after warmup.

    Top-k, gTop-k and DGC: k = max(1, ceil(density * N)) per bucket. Low
    rank: r(n + m) per compressed member for PowerSGD, half of it on average
    for ACP-SGD (P and Q alternate), the members it leaves dense in full.
    """
    tensors = schedule["tensors"]
    total = 0
    for bucket in schedule["buckets"]:
        members = tensors[bucket["first_tensor"]:
                          bucket["first_tensor"] + bucket["tensor_count"]]
        numel = sum(t["numel"] for t in members)
        comp = bucket["compression"]
        kind = comp["kind"]
        if kind == "dense":
            total += numel
        elif kind in ("topk", "gtopk", "dgc"):
            total += max(1, math.ceil(comp["density"] * numel))
        elif kind == "lowrank":
            share = 0.5 if comp["method"] == "acp" else 1.0
            for t in members:
                n = t["shape"][0] if t["shape"] else 1
                m = t["numel"] // n
                r = min(comp["rank"], n, m)
                if len(t["shape"]) >= 2 and r * (n + m) < n * m:
                    total += share * r * (n + m)
                else:
                    total += t["numel"]
    return total


def main():
    out, rows = sys.argv[1], sys.argv[2:]
    runs = []
    for row in rows:
        name, label, _ = row.split("|", 2)
        path = os.path.join(out, name + ".json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            result = json.load(f)
        with open(os.path.join(out, name + ".schedule.json")) as f:
            schedule = json.load(f)
        runs.append((name, label, result, schedule))
    single = None
    if os.path.exists(os.path.join(out, "single.json")):
        with open(os.path.join(out, "single.json")) as f:
            single = json.load(f)
    if not runs:
        sys.exit("plot_accuracy.py: no results in " + out)

    dense = next((r for n, _, r, _ in runs if n == "dense"), None)
    numel = sum(t["numel"] for t in runs[0][3]["tensors"])
    epochs = len(runs[0][2]["test_accuracy"])
    lines = [
        "| plan | buckets | values sent per step | test accuracy per epoch (%) "
        "| final (%) | vs dense 4 ranks | train loss | time (s) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]

    def line(label, buckets, sent, result):
        acc = [100 * a for a in result["test_accuracy"]]
        delta = ("%+.2f" % (acc[-1] - 100 * dense["test_accuracy"][-1])
                 if dense else "")
        lines.append("| %s | %s | %s | %s | %.2f | %s | %.4f | %.0f |" % (
            label, buckets, sent, ", ".join("%.2f" % a for a in acc),
            acc[-1], delta, result["train_loss"][-1], result["seconds"]))

    for name, label, result, schedule in runs:
        sent = values_per_step(schedule)
        line(label, len(schedule["buckets"]),
             "%d (%.2f%%)" % (round(sent), 100 * sent / numel), result)
    if single:
        line("dense, 1 process, batch %d" % single["batch_size"], 1,
             "none", single)
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))

    # Left: every epoch; right: the last three, where the plans differ.
    fig, axes = plt.subplots(1, 2, figsize=(12, 5))
    x = list(range(1, epochs + 1))
    for ax, first in zip(axes, (1, max(1, epochs - 2))):
        xs = x[first - 1:]
        for name, label, result, _ in runs:
            # Non-breaking hyphens: "--" would render as one dash.
            ax.plot(xs, [100 * a for a in result["test_accuracy"]][first - 1:],
                    marker="o", label=label.replace("-", "\u2011"),
                    linewidth=2.5 if name == "fuse-sparse" else 1.2)
        if single:
            ax.plot(xs, [100 * a for a in single["test_accuracy"]][first - 1:],
                    "k--", label="dense, 1 process")
        ax.set_xlabel("epoch")
        ax.set_ylabel("test accuracy (%)")
        ax.set_xticks(xs)
        ax.grid(alpha=0.3)
    axes[0].set_title("Fashion-MNIST CNN (%d parameters), %d ranks"
                      % (numel, runs[0][2]["ranks"]))
    axes[1].set_title("last epochs")
    axes[1].legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "accuracy.png"), dpi=100)

if __name__ == "__main__":
    main()
