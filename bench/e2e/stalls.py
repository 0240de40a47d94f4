#!/usr/bin/python3
"""Stalled iterations in bench/e2e/run.sh's traces.

Usage: stalls.py RESULTS_DIR [THRESHOLD_US=5000]

A rank's iteration is stalled when one of its compute spans (forward or a
tensor's backward, which the replay only waits through) ran more than
THRESHOLD_US longer than the same span's median over that rank's
iterations: the thread was not running when its wait ended. Prints one
markdown row per plan: the predicted iteration, the median of every measured
iteration and its error, the number of iterations in which some rank
stalled, and the median and error of the others.
"""
import glob
import json
import os
import statistics
import sys


def iterations(trace):
    """Per iteration: its length and its largest compute-span overrun."""
    events = [e for e in json.load(open(trace))["traceEvents"]
              if e.get("ph") == "X"]
    events.sort(key=lambda e: e["ts"])
    starts = [i for i, e in enumerate(events)
              if e["name"].startswith("forward")]
    compute = {}
    for e in events:
        if e["name"].startswith(("forward", "backward")):
            compute.setdefault(e["name"], []).append(e["dur"])
    typical = {name: statistics.median(d) for name, d in compute.items()}
    out = []
    for j, i in enumerate(starts):
        end = starts[j + 1] if j + 1 < len(starts) else len(events)
        span = events[i:end]
        length = max(e["ts"] + e["dur"] for e in span) - events[i]["ts"]
        overrun = max(e["dur"] - typical[e["name"]] for e in span
                      if e["name"] in typical)
        out.append((length, overrun))
    return out


def plans(root, threshold=5000.0):
    """Per plan under ROOT/*/*: (folder, plan, predicted us, measured median
    us, stalled iterations, iterations, unstalled median us or None)."""
    out = []
    for summary in sorted(glob.glob(os.path.join(root, "*/*/*.run.json"))):
        folder = os.path.dirname(summary)
        plan = os.path.basename(summary)[: -len(".run.json")]
        run = json.load(open(summary))
        trace = os.path.join(folder, plan + ".measured.json")
        ranks = [iterations(trace)]
        r = 1
        while os.path.exists(f"{trace}.rank{r}"):
            ranks.append(iterations(f"{trace}.rank{r}"))
            r += 1
        n = min(len(x) for x in ranks)
        rows = [(max(x[i][0] for x in ranks), max(x[i][1] for x in ranks))
                for i in range(run["warmup"], n)]
        if not rows:
            continue
        clean = [length for length, overrun in rows if overrun <= threshold]
        out.append((folder, plan, run["predicted_iteration_us"],
                    statistics.median(length for length, _ in rows),
                    len(rows) - len(clean), len(rows),
                    statistics.median(clean) if clean else None))
    return out


def main():
    root = sys.argv[1]
    threshold = float(sys.argv[2]) if len(sys.argv) > 2 else 5000.0
    print("| network | model | plan | predicted ms | measured ms (error) "
          "| stalled | unstalled ms (error) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for folder, plan, predicted, measured, stalled, n, clean in plans(
            root, threshold):
        rate, model = folder.split(os.sep)[-2:]

        def cell(us):
            return f"{us / 1e3:.2f} ({predicted / us - 1:+.0%})"

        print(f"| {rate} | {model} | {plan} | {predicted / 1e3:.2f} "
              f"| {cell(measured)} | {stalled}/{n} "
              f"| {cell(clean) if clean else '-'} |")


if __name__ == "__main__":
    main()
