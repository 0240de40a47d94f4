#!/usr/bin/python3
"""Where a chain of collectives loses time, from one run's traces.

Usage: chain.py FOLDER PLAN      (FOLDER/PLAN.measured.json and .rankN)

Aligns the ranks' clocks as agtf-profile --from-trace does (docs/cli.md:
the median difference of the comm spans' ends, within the bounds that no
rank leaves a collective before every rank entered it), leaves out the
first iteration, and prints, as medians per iteration: the iteration (the
slowest rank's), the sum of the buckets' shortest comm spans (the old fit's
price), the sum of their spans from the last rank's start to the last
rank's end (the new fit's), and the time between the first rank leaving
one collective and the last rank entering the next; then over all buckets,
how often the last to enter had itself left the previous collective more
than 20 us after the first rank did.
"""
import json
import os
import statistics
import sys


def rank_iterations(path):
    """Per iteration: (start, end, {bucket: (comm start, comm end)})."""
    events = sorted((e for e in json.load(open(path))["traceEvents"]
                     if e.get("ph") == "X"), key=lambda e: e["ts"])
    out = []
    for e in events:
        lane, _, what = e["name"].partition(" ")
        if lane == "forward":
            out.append([e["ts"], e["ts"] + e["dur"], {}])
        elif out:
            out[-1][1] = max(out[-1][1], e["ts"] + e["dur"])
            if lane == "comm":
                out[-1][2][what] = (e["ts"], e["ts"] + e["dur"])
    return out


def offset(own, first, n):
    low, high, ends = -float("inf"), float("inf"), []
    for i in range(1, n):
        for b, (s0, e0) in first[i][2].items():
            s, e = own[i][2][b]
            low, high = max(low, s - e0), min(high, e - s0)
            ends.append(e - e0)
    o = statistics.median(ends)
    return min(max(o, low), high) if low <= high else o


def main():
    folder, plan = sys.argv[1], sys.argv[2]
    trace = os.path.join(folder, plan + ".measured.json")
    ranks = [rank_iterations(trace)]
    while os.path.exists(f"{trace}.rank{len(ranks)}"):
        ranks.append(rank_iterations(f"{trace}.rank{len(ranks)}"))
    n = min(len(r) for r in ranks)
    offs = [0.0] + [offset(r, ranks[0], n) for r in ranks[1:]]
    iters, shortest, collective, between = [], [], [], []
    late = buckets = 0
    for i in range(1, n):
        iters.append(max(r[i][1] - r[i][0] for r in ranks))
        comm = [{b: (s - o, e - o) for b, (s, e) in r[i][2].items()}
                for r, o in zip(ranks, offs)]
        order = sorted(comm[0], key=lambda b: comm[0][b][0])
        shortest.append(sum(min(c[b][1] - c[b][0] for c in comm)
                            for b in order))
        collective.append(sum(max(c[b][1] for c in comm) -
                              max(c[b][0] for c in comm) for b in order))
        gap = 0.0
        for prev, b in zip(order, order[1:]):
            starts = [c[b][0] for c in comm]
            last = starts.index(max(starts))
            first_out = min(c[prev][1] for c in comm)
            gap += max(starts) - first_out
            buckets += 1
            late += comm[last][prev][1] > first_out + 20.0
        between.append(gap)
    med = statistics.median
    print(f"{plan}: {len(ranks)} ranks, {n - 1} iterations, {len(order)} buckets")
    print(f"  iteration {med(iters) / 1e3:.2f} ms; shortest comm spans "
          f"{med(shortest) / 1e3:.2f} ms; last start to last end "
          f"{med(collective) / 1e3:.2f} ms; first out to last in "
          f"{med(between) / 1e3:.2f} ms")
    print(f"  the last to enter had left the previous collective late: "
          f"{late} of {buckets} buckets")


if __name__ == "__main__":
    main()
