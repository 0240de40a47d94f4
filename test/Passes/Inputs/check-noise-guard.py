"""Plans one graph with --fuse-sparse under each form of the noise guard
and checks each plan's predicted_noise against the budget it was given:
relative to the layer-wise plan or to top-k over one bucket (the same
total k), or an absolute budget; under the energy model, every plan's
noise is a fraction of the gradient's energy in [0, 1], and a budget below
every plan's noise is an error that names the references."""
import re
import subprocess
import sys

tool, graph = sys.argv[1:3]


def plan(options, check=True):
    run = subprocess.run([tool, graph, f"--fuse-sparse=workers=4 {options}"],
                         capture_output=True, text=True)
    if not check:
        return run
    run.check_returncode()
    get = lambda k: float(re.search(k + r" = ([-0-9.e+]+)", run.stdout).group(1))
    return get("predicted_iter_us"), get("predicted_noise")


def reference(strategy, noise):
    pipeline = ("builtin.module(gcomm.graph(gcomm-annotate-cost{workers=4},"
                "gcomm-annotate-timing,gcomm-sparsity-budget{rule=importance},"
                f"gcomm-merge{{strategy={strategy} compression=topk}},"
                f"gcomm-simulate{{noise={noise}}}))")
    out = subprocess.run([tool, graph, f"--pass-pipeline={pipeline}"],
                         check=True, capture_output=True, text=True).stdout
    return float(re.search(r"predicted_noise = ([-0-9.e+]+)", out).group(1))


ok = True
for noise in ("relative", "energy"):
    layerwise, single = reference("layerwise", noise), reference("single", noise)
    unguarded_us, _ = plan(f"noise={noise} noise-tolerance=-1")
    print(f"{noise}: layer-wise {layerwise:.4g}, single bucket {single:.4g}")
    for ref, value in (("layerwise", layerwise), ("single", single)):
        for eps in (0, 0.05, 0.5):
            t, n = plan(f"noise={noise} noise-reference={ref} "
                        f"noise-tolerance={eps} optimality-gap=0")
            ok = ok and n <= (1 + eps) * value * (1 + 1e-9)
            ok = ok and t >= unguarded_us * (1 - 1e-9)
    if noise == "energy":
        ok = ok and 0 <= single <= layerwise <= 1
        middle = (single + layerwise) / 2
        t, n = plan(f"noise=energy noise-budget={middle} optimality-gap=0")
        ok = ok and n <= middle * (1 + 1e-9)
        # The absolute budget replaces noise-tolerance.
        ok = ok and (t, n) == plan(f"noise=energy noise-budget={middle} "
                                   "noise-tolerance=3 optimality-gap=0")
        low = plan(f"noise=energy noise-budget={single / 2}", check=False)
        ok = ok and low.returncode != 0
        print(low.stderr.splitlines()[0].split("error: ")[1])
print("every plan within its budget" if ok else "FAILED")
