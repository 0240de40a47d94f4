#!/usr/bin/python3
"""Turns a graph imported on the CPU into a roofline profile of a GPU.

Usage: roofline_profile.py IN.mlir FROM_BATCH TO_BATCH DEVICE OUT.mlir
       [PEAK_GFLOPS EFFICIENCY]

IN.mlir is agtf-import's output at batch FROM_BATCH with --profile-iters
(gradient sketches, rms and grad_norm from those CPU iterations). Its
analytic backward FLOPs are linear in the batch, so they are scaled to
TO_BATCH, and every tensor's backward_us becomes FLOPs / (PEAK_GFLOPS x
EFFICIENCY), the roofline gcomm-annotate-timing uses (default 60000 GFLOP/s
at 0.5). The graph's backward_us is their sum and forward_us half of it (the
pass's rule); update_us is left to the pass. Times are labelled as a
roofline in the file's header: they were not measured on DEVICE.
"""
import re
import sys

FLOAT = re.compile(r"-?\d+\.\d*(?:[eE][-+]?\d+)?")


def literal(x):
    """Six significant digits, in a form MLIR parses (it needs a '.')."""
    s = "%.6g" % x
    if "e" in s and "." not in s:
        s = s.replace("e", ".0e")
    elif "e" not in s and "." not in s:
        s += ".0"
    return s


def shorten(line):
    """Rounds every float of a tensor's attributes to six digits except a
    sketch's `kept` fractions, which must stay strictly increasing. The
    symbol and type before the attributes are kept as they are: a name such
    as layer4.2.bn3.weight holds digits and dots too."""
    head, brace, attrs = line.partition(" {")
    parts = re.split(r"(kept = \[[^\]]*\])", attrs)
    return head + brace + "".join(
        p if p.startswith("kept") else
        FLOAT.sub(lambda m: literal(float(m.group())), p) for p in parts)


def set_attr(line, name, value):
    pattern = re.compile(r"\b%s = [^,}]*" % name)
    text = "%s = %s : f64" % (name, literal(value))
    if pattern.search(line):
        return pattern.sub(text, line, count=1)
    return line.replace("{", "{%s, " % text, 1)


def main():
    if len(sys.argv) not in (6, 8):
        sys.exit(__doc__)
    src, frm, to, device, out = sys.argv[1:6]
    peak, eff = (float(sys.argv[6]), float(sys.argv[7])) if len(
        sys.argv) == 8 else (60000.0, 0.5)
    scale = float(to) / float(frm)
    flops_per_us = peak * 1e3 * eff
    lines = open(src).read().splitlines()
    header = [l for l in lines if l.startswith("//")]
    body = [l for l in lines if not l.startswith("//")]
    total = 0.0
    tensors = []
    for line in body:
        if "gcomm.tensor" in line:
            m = re.search(r"flops = (%s)" % FLOAT.pattern, line)
            if not m:
                sys.exit("roofline_profile.py: a tensor without flops: " + line)
            flops = float(m.group(1)) * scale
            us = flops / flops_per_us
            total += us
            line = set_attr(set_attr(line, "flops", flops), "backward_us", us)
            line = shorten(line)
        tensors.append(line)
    graph = next(i for i, l in enumerate(tensors) if "gcomm.graph" in l)
    g = re.sub(r"attributes \{[^}]*\} ", "", tensors[graph])
    tensors[graph] = g.replace(
        " {", " attributes {backward_us = %s : f64, forward_us = %s : f64} {"
        % (literal(total), literal(total / 2)), 1)
    with open(out, "w") as f:
        f.write("// ROOFLINE, NOT MEASURED: %s backward times at batch %s = "
                "analytic FLOPs / (%g GFLOP/s x %g); forward = backward / 2.\n"
                % (device, to, peak, eff))
        f.write("// FLOPs counted by agtf-import at batch %s and scaled by "
                "%g; sketches, rms, grad_norm from that CPU import:\n"
                % (frm, scale))
        for l in header:
            f.write(l + "\n")
        for l in tensors:
            f.write(l + "\n")


if __name__ == "__main__":
    main()
