#!/usr/bin/python3
"""Writes gcomm graphs for compile-speed benchmarks.

  make_graph.py resnet50 OUT.mlir    ResNet-50's 161 parameters (torchvision),
                                     in reverse registration order, with
                                     backward FLOPs for a batch of 32
  make_graph.py synthetic N OUT.mlir N tensors with seeded random shapes,
                                     times and power-law sketches
  make_graph.py model NAME OUT.mlir  a published transformer configuration
                                     of examples/models/make_models.py
                                     (CONFIGS: gpt2-xl, bert-large,
                                     llama2-7b, mixtral-8x7b,
                                     deepseek-moe-16b), built on the meta
                                     device: its parameters in reverse
                                     registration order, with backward
                                     FLOPs for one iteration's tokens; or
                                     a mini one of MODELS (gpt2-mini,
                                     bert-mini, llama-mini, moe-mini), for
                                     8 x 64 tokens
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


def model(name, path):
    """Shapes only: the model is built on the meta device, so that billions
    of parameters take no memory. agtf-import gives the mini configurations
    of make_models.py the same order up to LayerNorm's weight and bias,
    which swap. Backward FLOPs per tensor: 4 x tokens x elements for a
    matrix (the gradients of its input and of itself), 2 x tokens x
    elements for a vector, each expert's share of the tokens for a mixture
    of experts; an embedding's gradient is a scatter of its tokens' rows,
    and a tied embedding also carries the LM head's matrix. Magnitude
    sketches and rms are seeded random, as for the synthetic graphs."""
    import os
    import torch
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "examples", "models"))
    import make_models
    if name in make_models.CONFIGS:
        tokens, build = make_models.CONFIGS[name]
    elif name.endswith("-mini") and name in make_models.MODELS:
        tokens, build = 8 * 64, lambda device: make_models.MODELS[name]()
    else:
        sys.exit(f"make_graph.py: error: unknown model '{name}'")
    net = build(torch.device("meta"))
    modules = dict(net.named_modules())
    share = {}  # module name -> fraction of the tokens it sees
    for mname, mod in modules.items():
        if isinstance(mod, make_models.MoeFeedForward):
            for e in range(len(mod.experts)):
                share[f"{mname}.experts.{e}"] = mod.top_k / len(mod.experts)
    tied = isinstance(net, make_models.Gpt2)
    rng = random.Random(0)
    tensors = []
    for pname, p in reversed(list(net.named_parameters())):
        owner = pname.rsplit(".", 1)[0]
        fraction = next((f for m, f in share.items()
                         if owner == m or owner.startswith(m + ".")), 1.0)
        t = tokens * fraction
        if isinstance(modules[owner], torch.nn.Embedding):
            flops = 2.0 * tokens * p.shape[1]
            if tied and pname == "wte.weight":
                flops += 4.0 * tokens * p.numel()
        elif p.dim() > 1:
            flops = 4.0 * t * p.numel()
        else:
            flops = 2.0 * t * p.numel()
        attrs = {"flops": flt(flops), "rms": flt(0.001 + rng.random() * 0.01),
                 "sketch": sketch(rng)}
        tensors.append((pname, list(p.shape), attrs))
    write(path, name.replace("-", "_"), tensors)


if __name__ == "__main__":
    if sys.argv[1] == "resnet50":
        resnet50(sys.argv[2])
    elif sys.argv[1] == "model":
        model(sys.argv[2], sys.argv[3])
    else:
        synthetic(int(sys.argv[2]), sys.argv[3])
