"""Final test accuracy of bench/accuracy.sh runs with different seeds.

Usage: summarize_seeds.py OUT_DIR... (each a bench/accuracy.sh OUT_DIR)
Prints a markdown table: per plan, the last epoch's test accuracy of every
run that has it, their mean, and the mean's difference from dense on 4
ranks over the same seeds. Run with Debian's /usr/bin/python3.
"""
import json
import os
import re
import sys

ROWS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "accuracy.sh")


def rows():
    """(name, label) of every row of accuracy.sh, then the one process."""
    text = open(ROWS_FILE).read()
    found = re.findall(r'^  "([^|"]+)\|([^|"]+)\|', text, re.M)
    return found + [("single", "dense, 1 process, 4x batch")]


def final(out, name):
    path = os.path.join(out, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        result = json.load(f)
    return 100 * result["test_accuracy"][-1]


def main():
    outs = sys.argv[1:]
    if not outs:
        sys.exit(__doc__)
    dense = [final(out, "dense") for out in outs]
    print("| plan | " + " | ".join("run %d" % (i + 1) for i in range(len(outs)))
          + " | mean | vs dense 4 ranks (same runs) |")
    print("| --- |" + " --- |" * (len(outs) + 2))
    for name, label in rows():
        values = [final(out, name) for out in outs]
        cells = ["%.2f" % v if v is not None else "–" for v in values]
        have = [(v, d) for v, d in zip(values, dense)
                if v is not None and d is not None]
        if not have:
            continue
        mean = sum(v for v, _ in have) / len(have)
        base = sum(d for _, d in have) / len(have)
        print("| %s | %s | %.2f | %+.2f |" % (label, " | ".join(cells), mean,
                                             mean - base))


if __name__ == "__main__":
    main()
