"""Compares the tensors of two gcomm graphs: the same names and shapes in
the same order, except that the members of one module (a name up to its
last '.') that are adjacent may come in either order; autograd computes a
LayerNorm's weight and bias gradients in one node, so their order is
arbitrary. Prints the count, or the first difference."""
import re
import sys


def tensors(path):
    found = re.findall(r"gcomm\.tensor @\"?([\w.]+)\"? : (tensor<[^>]*>)",
                       open(path).read())
    runs = []  # adjacent members of one module, as sets
    for name, shape in found:
        owner = name.rsplit(".", 1)[0]
        if runs and runs[-1][0] == owner:
            runs[-1][1].add((name, shape))
        else:
            runs.append((owner, {(name, shape)}))
    return len(found), runs


(count_a, a), (count_b, b) = tensors(sys.argv[1]), tensors(sys.argv[2])
for i, (x, y) in enumerate(zip(a, b)):
    if x != y:
        sys.exit(f"differ at module run {i}: {sorted(x[1])} vs {sorted(y[1])}")
if count_a != count_b or len(a) != len(b):
    sys.exit(f"{count_a} tensors vs {count_b}")
print(f"same {count_a} tensors")
