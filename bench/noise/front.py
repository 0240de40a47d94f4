#!/usr/bin/python3
"""The speed-noise front of one graph (docs/passes.md, "Noise"): plans GRAPH
with --fuse-sparse under noise=energy for absolute budgets (noise-budget)
spaced evenly from top-k over one bucket's relative residual (the least of
any plan) to the unguarded plan's (beyond it the guard does not bind), and
prices every merge strategy's top-k plan the same way. Prints a markdown
table and writes an SVG plot: predicted iteration time against the share of
the gradient's energy left unsent.

  front.py GRAPH OUT.svg [--opt build/bin/agtf-opt] [--options 'workers=4']
           [--points 12]
"""
import argparse
import re
import subprocess
import sys

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("graph")
parser.add_argument("svg")
parser.add_argument("--opt", default="build/bin/agtf-opt")
parser.add_argument("--options", default="workers=4",
                    help="--fuse-sparse and gcomm-annotate-cost options")
parser.add_argument("--points", type=int, default=12)
args = parser.parse_args()


def figures(text):
    get = lambda k: float(re.search(k + r" = ([-0-9.e+]+)", text).group(1))
    return get("predicted_iter_us") / 1000.0, get("predicted_noise")


def fuse_sparse(extra):
    run = subprocess.run([args.opt, args.graph,
                          f"--fuse-sparse={args.options} noise=energy {extra}"],
                         capture_output=True, text=True)
    if run.returncode:
        sys.exit(run.stderr)
    return figures(run.stdout)


def strategy(name):
    cost = " ".join(o for o in args.options.split()
                    if o.split("=")[0] in ("workers", "cluster-file",
                                           "timeline"))
    pipeline = (f"builtin.module(gcomm.graph(gcomm-annotate-cost{{{cost}}},"
                "gcomm-annotate-timing,gcomm-sparsity-budget{rule=importance},"
                f"gcomm-merge{{strategy={name} compression=topk}},"
                "gcomm-simulate{noise=energy}))")
    run = subprocess.run([args.opt, args.graph, f"--pass-pipeline={pipeline}"],
                         capture_output=True, text=True, check=True)
    return figures(run.stdout)


plans = {s: strategy(s) for s in
         ("layerwise", "single", "threshold", "mgwfbp", "omgs", "agtf")}
unguarded = fuse_sparse("noise-tolerance=-1")
low, high = plans["single"][1], unguarded[1]
front = []
for i in range(args.points):
    budget = low + (high - low) * i / (args.points - 1)
    front.append((budget,) + fuse_sparse(f"noise-budget={budget!r}"))

print("| plan | noise budget | predicted iteration (ms) | energy unsent |")
print("| --- | --- | --- | --- |")
for budget, t, noise in front:
    print(f"| --fuse-sparse | {budget:.4f} | {t:.3f} | {noise:.4f} |")
print(f"| --fuse-sparse, no guard | | {unguarded[0]:.3f} | {unguarded[1]:.4f} |")
for name, (t, noise) in plans.items():
    print(f"| {name} | | {t:.3f} | {noise:.4f} |")

# The plot: x the energy unsent, y the predicted iteration time; plans far
# slower than the front are named in a note instead, so that it stays
# readable.
slowest = 1.5 * max(t for _, t, _ in front)
far = {k: v for k, v in plans.items() if v[0] > slowest}
plans = {k: v for k, v in plans.items() if k not in far}
points = [(n, t) for _, t, n in front] + [unguarded[::-1]] + \
    [(n, t) for t, n in plans.values()]
xs, ys = [p[0] for p in points], [p[1] for p in points]
x0, x1 = min(xs), max(xs)
y0, y1 = min(ys), max(ys)
pad = lambda a, b: ((b - a) * 0.08 or abs(a) * 0.05 or 1.0)
x0, x1, y0, y1 = x0 - pad(x0, x1), x1 + pad(x0, x1), y0 - pad(y0, y1), \
    y1 + pad(y0, y1)
W, H, L, B = 640, 420, 70, 50
sx = lambda x: L + (x - x0) / (x1 - x0) * (W - L - 20)
sy = lambda y: H - B - (y - y0) / (y1 - y0) * (H - B - 70)
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
       'font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<line x1="{L}" y1="{H - B}" x2="{W - 20}" y2="{H - B}" stroke="black"/>',
       f'<line x1="{L}" y1="70" x2="{L}" y2="{H - B}" stroke="black"/>',
       f'<text x="{(L + W) / 2}" y="{H - 12}" text-anchor="middle">share of '
       'the gradient\'s energy left unsent (noise=energy)</text>',
       f'<text x="16" y="{(H - B) / 2}" text-anchor="middle" '
       f'transform="rotate(-90 16 {(H - B) / 2})">predicted iteration (ms)'
       '</text>']
for k in range(5):
    x = x0 + (x1 - x0) * k / 4
    y = y0 + (y1 - y0) * k / 4
    svg.append(f'<text x="{sx(x)}" y="{H - B + 16}" text-anchor="middle">'
               f'{x:.3f}</text>')
    svg.append(f'<text x="{L - 6}" y="{sy(y) + 4}" text-anchor="end">'
               f'{y:.2f}</text>')
path = " ".join(f"{sx(n)},{sy(t)}" for _, t, n in
                sorted(front, key=lambda p: p[2]))
svg.append(f'<polyline points="{path}" fill="none" stroke="#1f77b4" '
           'stroke-width="2"/>')
for _, t, n in front:
    svg.append(f'<circle cx="{sx(n)}" cy="{sy(t)}" r="4" fill="#1f77b4"/>')
marks = dict(plans, **{"no guard": unguarded})
for i, (name, (t, n)) in enumerate(marks.items()):
    svg.append(f'<rect x="{sx(n) - 4}" y="{sy(t) - 4}" width="8" height="8" '
               'fill="#d62728"/>')
    svg.append(f'<text x="{sx(n) + 7}" y="{sy(t) - 6 - 11 * (i % 2)}">'
               f'{name}</text>')
svg.append(f'<text x="{L + 10}" y="34" fill="#1f77b4">--fuse-sparse, '
           'noise-budget from one bucket\'s to the unguarded plan\'s</text>')
if far:
    note = ", ".join(f"{k} ({t:.2f} ms, {n:.3f})" for k, (t, n) in far.items())
    svg.append(f'<text x="{L + 10}" y="50">off the plot: {note}</text>')
svg.append("</svg>")
with open(args.svg + ".tmp", "w") as out:
    out.write("\n".join(svg) + "\n")
import os  # noqa: E402
os.replace(args.svg + ".tmp", args.svg)
