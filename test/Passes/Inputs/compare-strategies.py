"""Runs every merge strategy on one graph and checks that --fuse-sparse's
plan is the fastest among plans within its noise guard (eps = 0)."""
import re
import subprocess
import sys

tool, graph, cluster = sys.argv[1:4]
prefix = (f"gcomm-annotate-cost{{cluster-file={cluster}}},gcomm-annotate-timing,"
          "gcomm-sparsity-budget{rule=importance density=0.01}")


def run(merge):
    pipeline = f"builtin.module(gcomm.graph({prefix},{merge},gcomm-simulate))"
    out = subprocess.run([tool, graph, f"--pass-pipeline={pipeline}"],
                         check=True, capture_output=True, text=True).stdout
    get = lambda k: float(re.search(k + r" = ([-0-9.e+]+)", out).group(1))
    return get("predicted_iter_us"), get("predicted_noise")


best_t, best_n = run("gcomm-merge{strategy=optimal compression=topk noise-tolerance=0}")
layer_t, layer_n = run("gcomm-merge{strategy=layerwise compression=topk}")
ok = best_n <= layer_n * (1 + 1e-9)
# Every strategy of the option's table (passes/cost/MergeStrategy.cpp), as
# --help lists them.
help_text = subprocess.run([tool, "--help"], check=True, capture_output=True,
                           text=True).stdout
values = help_text.split("--strategy=<value>", 1)[1].splitlines()[1:]
strategies = []
for line in values:
    m = re.match(r"\s+=(\S+)\s+-", line)
    if not m:
        break
    strategies.append(m.group(1))
if "optimal" not in strategies or "layerwise" not in strategies:
    sys.exit(f"cannot read the strategies from --help: {strategies}")
for s in strategies:
    t, n = run(f"gcomm-merge{{strategy={s} compression=topk}}")
    print(f"{s}: {t:.1f} us, noise {n:.4f}")
    if n <= layer_n * (1 + 1e-9) and t < best_t * (1 - 1e-9):
        ok = False
print("fuse-sparse:", f"{best_t:.1f} us, noise {best_n:.4f}")
print("fuse-sparse is fastest among plans within the noise guard" if ok
      else "FAILED")
