"""Plans one graph with --fuse-sparse at several optimality gaps and checks
what each plan's certificate (optimal_lower_bound_us) says against the
exact optimum (optimality-gap=0): the bound below it, the plan within the
gap of it and within the noise guard."""
import re
import subprocess
import sys

tool, graph = sys.argv[1:3]


def run(options):
    out = subprocess.run([tool, graph, f"--fuse-sparse=workers=16 {options}"],
                         check=True, capture_output=True, text=True).stdout
    get = lambda k: float(re.search(k + r" = ([-0-9.e+]+)", out).group(1))
    return (get("predicted_iter_us"), get("optimal_lower_bound_us"),
            get("predicted_noise"), out)


def layerwise_noise():
    pipeline = ("builtin.module(gcomm.graph(gcomm-annotate-cost{workers=16},"
                "gcomm-annotate-timing,gcomm-sparsity-budget{rule=importance},"
                "gcomm-merge{strategy=layerwise compression=topk},"
                "gcomm-simulate))")
    out = subprocess.run([tool, graph, f"--pass-pipeline={pipeline}"],
                         check=True, capture_output=True, text=True).stdout
    return float(re.search(r"predicted_noise = ([-0-9.e+]+)", out).group(1))


budget = layerwise_noise() * (1 + 1e-9)
exact, exact_lower, exact_noise, _ = run("optimality-gap=0")
ok = abs(exact_lower - exact) <= 1e-9 * exact and exact_noise <= budget
print(f"exact: {exact:.1f} us, bound {exact_lower:.1f}")
for gap in (0.01, 0.1, 0.5):
    t, lower, noise, out = run(f"optimality-gap={gap}")
    print(f"gap {gap}: {t:.1f} us, bound {lower:.1f}")
    ok = ok and lower <= exact * (1 + 1e-9) and lower <= t
    ok = ok and t <= (1 + gap) * exact * (1 + 1e-9) and noise <= budget
    if gap == 0.01:
        ok = ok and out == run("")[3]  # the default
print("the plans are within their gaps" if ok else "FAILED")
