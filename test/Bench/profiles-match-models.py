"""The example profiles (examples/profiles/MODEL.h100-roofline.mlir) must
name and shape every tensor as the model of make_models.py does, so that a
schedule planned from a profile trains the real model (agtf-run --model
checks the layout). roofline_profile.py once rounded the digits inside
names (layer4.2.bn3.weight became layer4.2.bn3.0weight); this also runs it
on a small graph and checks that its names survive.

Usage: /usr/bin/python3 profiles-match-models.py SOURCE_DIR WORK_DIR
"""
import os
import re
import subprocess
import sys

src, work = sys.argv[1:3]
sys.path.insert(0, os.path.join(src, "examples", "models"))
import make_models  # noqa: E402

TENSOR = re.compile(r"gcomm\.tensor @(\S+) : tensor<([0-9x]*)x?f32>")


def tensors(path):
    found = []
    for name, dims in TENSOR.findall(open(path).read()):
        found.append((name, tuple(int(d) for d in dims.split("x") if d)))
    return found


failed = False
for model in ("resnet20", "resnet50", "vgg16"):
    path = os.path.join(src, "examples", "profiles", model + ".h100-roofline.mlir")
    want = sorted((n, tuple(p.shape)) for n, p in
                  make_models.MODELS[model]().named_parameters() if p.requires_grad)
    have = sorted(tensors(path))
    if have != want:
        failed = True
        extra = sorted(set(have) - set(want))[:3]
        missing = sorted(set(want) - set(have))[:3]
        print(f"FAIL: {path}: not the model's tensors: in the profile only "
              f"{extra}, in the model only {missing}")
    else:
        print(f"ok: {model}: {len(have)} tensors")

# A graph whose names hold digits and dots, through the script.
os.makedirs(work, exist_ok=True)
graph = os.path.join(work, "digits.mlir")
with open(graph, "w") as f:
    f.write("gcomm.graph @g {\n"
            "  gcomm.tensor @layer4.2.bn3.weight : tensor<8xf32> "
            "{flops = 1.5e+06 : f64, rms = 0.123456789 : f64}\n"
            "  gcomm.tensor @features.0.bias : tensor<4xf32> "
            "{flops = 2000.0 : f64}\n"
            "}\n")
out = os.path.join(work, "digits.roofline.mlir")
subprocess.run([sys.executable,
                os.path.join(src, "examples", "profiles", "roofline_profile.py"),
                graph, "2", "4", "H100", out], check=True)
names = [n for n, _ in tensors(out)]
if names != ["layer4.2.bn3.weight", "features.0.bias"]:
    failed = True
    print(f"FAIL: roofline_profile.py changed the names: {names}")
elif "rms = 0.123457" not in open(out).read():
    failed = True
    print("FAIL: roofline_profile.py no longer rounds the attributes")
else:
    print("ok: roofline_profile.py keeps names and rounds attributes")
sys.exit(1 if failed else 0)
