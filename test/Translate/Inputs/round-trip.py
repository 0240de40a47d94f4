"""Plans a graph with many strategies, lowers each plan, and checks that
gcomm-to-schedule -> schedule-to-gcomm -> gcomm-to-schedule gives the same
bytes."""
import filecmp
import subprocess
import sys

graph, tmp = sys.argv[1:3]
prefix = ("gcomm-annotate-cost{workers=8},gcomm-annotate-timing,"
          "gcomm-sparsity-budget{rule=importance density=0.01}")
plans = {
    "layerwise-topk": "gcomm-merge{strategy=layerwise compression=topk}",
    "single-topk": "gcomm-merge{strategy=single compression=topk}",
    "threshold-dense": "gcomm-merge{strategy=threshold bucket-bytes=100000}",
    "threshold-dense-f16": "gcomm-merge{strategy=threshold compression=dense-f16}",
    "mgwfbp-dense": "gcomm-merge{strategy=mgwfbp}",
    "omgs-topk": "gcomm-merge{strategy=omgs compression=topk}",
    "agtf-topk": "gcomm-merge{strategy=agtf compression=topk noise=agtf-norm}",
    "optimal-topk": "gcomm-merge{strategy=optimal compression=topk}",
    "optimal-gtopk": "gcomm-merge{strategy=optimal compression=gtopk}",
    "optimal-dgc": "gcomm-merge{strategy=optimal compression=dgc}",
    "optimal-lowrank": "gcomm-merge{strategy=optimal compression=lowrank}",
}
run = lambda *cmd: subprocess.run(cmd, check=True)
same = 0
for name, merge in list(plans.items()) + [("fuse-sparse-stream", None)]:
    plan = f"{tmp}/{name}.mlir"
    if merge:
        pipeline = (f"builtin.module(gcomm.graph({prefix},{merge},"
                    "gcomm-simulate,gcomm-lower-to-streams))")
        run("agtf-opt", graph, f"--pass-pipeline={pipeline}", "-o", plan)
    else:
        run("agtf-opt", graph, "--fuse-sparse=workers=8 timeline=stream",
            "--gcomm-lower-to-streams", "-o", plan)
    run("agtf-translate", "--gcomm-to-schedule", plan, "-o", f"{tmp}/{name}.bin")
    run("agtf-translate", "--schedule-to-gcomm", f"{tmp}/{name}.bin",
        "-o", f"{tmp}/{name}.back.mlir")
    run("agtf-translate", "--gcomm-to-schedule", f"{tmp}/{name}.back.mlir",
        "-o", f"{tmp}/{name}.2.bin")
    ok = filecmp.cmp(f"{tmp}/{name}.bin", f"{tmp}/{name}.2.bin", shallow=False)
    same += ok
    print(f"{name}: {'identical' if ok else 'DIFFERENT'}")
print(f"all {same} identical" if same == len(plans) + 1 else "MISMATCH")
