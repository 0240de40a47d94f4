#!/usr/bin/python3
"""Writes gcomm graphs for compile-speed benchmarks.

  make_graph.py resnet50 OUT.mlir    ResNet-50's 161 parameters (torchvision),
                                     in reverse registration order, with
                                     backward FLOPs for a batch of 32
  make_graph.py synthetic N OUT.mlir N tensors with seeded random shapes,
                                     times and power-law sketches
"""
import math
import random
import sys


def flt(x):
    """A float literal MLIR accepts: it needs a '.' (1e-05 -> 1.0e-05)."""
    s = repr(float(x))
    return s.replace("e", ".0e") if "e" in s and "." not in s else s


def sketch(rng):
    scale, a, b = 0.01 + rng.random(), 0.2 + rng.random(), 0.1 + 0.8 * rng.random()
    kept = [10 ** (-5 + i) for i in range(6)]
    thr = [0.0 if f == 1 else scale * f ** -a for f in kept]
    energy = [f ** b for f in kept]
    fmt = lambda xs: ", ".join(flt(x) for x in xs)
    return (f"#gcomm.sketch<kept = [{fmt(kept)}], threshold = [{fmt(thr)}], "
            f"energy = [{fmt(energy)}]>")


def write(path, name, tensors):
    with open(path, "w") as out:
        out.write(f"gcomm.graph @{name} {{\n")
        for tname, shape, attrs in tensors:
            dims = "x".join(str(d) for d in shape)
            body = ", ".join(f"{k} = {v}" for k, v in attrs.items())
            out.write(f'  gcomm.tensor @"{tname}" : tensor<{dims}xf32> {{{body}}}\n')
        out.write("}\n")


def resnet50(path):
    import torch
    import torchvision
    model = torchvision.models.resnet50()
    rng = random.Random(0)
    # Output spatial size per parameter, from one forward pass.
    sizes = {}
    def hook(mod, inp, out, prefix):
        sizes[prefix] = out.shape[-1] * out.shape[-2] if out.dim() == 4 else 1
    for prefix, mod in model.named_modules():
        if not list(mod.children()):
            mod.register_forward_hook(lambda m, i, o, p=prefix: hook(m, i, o, p))
    model(torch.zeros(1, 3, 224, 224))
    tensors = []
    for pname, p in reversed(list(model.named_parameters())):
        hw = sizes[pname.rsplit(".", 1)[0]]
        flops = 2.0 * 32 * p.numel() * hw * (2 if p.dim() > 1 else 1)
        attrs = {"flops": flt(flops), "rms": flt(0.001 + rng.random() * 0.01),
                 "sketch": sketch(rng)}
        tensors.append((pname, list(p.shape), attrs))
    write(path, "resnet50", tensors)


def synthetic(n, path):
    rng = random.Random(n)
    tensors = []
    for i in range(n):
        if rng.random() < 0.4:
            shape = [rng.randint(16, 2048)]
        else:
            shape = [rng.randint(16, 512), rng.randint(16, 512)]
        attrs = {"backward_us": flt(rng.uniform(5, 500)),
                 "rms": flt(0.001 + rng.random() * 0.01),
                 "sketch": sketch(rng)}
        tensors.append((f"t{i}", shape, attrs))
    write(path, f"synthetic{n}", tensors)


if __name__ == "__main__":
    if sys.argv[1] == "resnet50":
        resnet50(sys.argv[2])
    else:
        synthetic(int(sys.argv[2]), sys.argv[3])
