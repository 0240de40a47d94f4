#!/usr/bin/python3
"""Reads agtf-import output and prints what lit tests FileCheck:

  tensors N numel M       always
  order NAME NAME ...     the tensors in the order written
  times ok                with --profiled: forward_us, backward_us and every
                          tensor's backward_us > 0, and the tensors' times sum
                          to within 10% of the graph's backward_us
  unprofiled ok           with --unprofiled: no times, every tensor has flops

Anything else prints "error: ..." and exits 1.
"""
import re
import sys


def main():
    path, *flags = sys.argv[1:]
    text = open(path).read()
    graph = re.search(r"gcomm\.graph @\S+ (attributes \{([^}]*)\} )?\{", text)
    if not graph:
        sys.exit("error: no gcomm.graph")
    graph_attrs = graph.group(2) or ""
    tensors = re.findall(
        r"gcomm\.tensor @(\"[^\"]+\"|\S+) : tensor<([0-9x]+)x?[a-z]+[0-9]*>"
        r"(?: \{(.*)\})?", text)
    numel = 0
    for _, shape, _ in tensors:
        n = 1
        for size in shape.strip("x").split("x"):
            n *= int(size)
        numel += n
    print("tensors %d numel %d" % (len(tensors), numel))
    print("order " + " ".join(name for name, _, _ in tensors))

    def value(attrs, key):
        match = re.search(r"\b%s = ([-+0-9.eEx]+)" % key, attrs)
        return float(match.group(1)) if match else None

    if "--profiled" in flags:
        forward = value(graph_attrs, "forward_us")
        total = value(graph_attrs, "backward_us")
        if not (forward and forward > 0 and total and total > 0):
            sys.exit("error: graph forward_us/backward_us missing or <= 0")
        times = [value(attrs, "backward_us") for _, _, attrs in tensors]
        if any(t is None or t <= 0 for t in times):
            sys.exit("error: a tensor's backward_us is missing or <= 0")
        if abs(sum(times) - total) > 0.1 * total:
            sys.exit("error: tensor times sum to %g us, graph backward_us is "
                     "%g us" % (sum(times), total))
        print("times ok")
    if "--unprofiled" in flags:
        if "backward_us" in text or "sketch" in text:
            sys.exit("error: unprofiled output holds times or sketches")
        if any(value(attrs, "flops") is None for _, _, attrs in tensors):
            sys.exit("error: a tensor has no flops")
        print("unprofiled ok")


if __name__ == "__main__":
    main()
