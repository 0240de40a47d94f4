"""torch.topk and x.abs() on the CPU, one thread, in agtf-topk-cpu-bench's table.

/usr/bin/python3 torch_topk_cpu.py [--sizes 10000000,25000000]
    [--densities 0.001,0.01] [--reps 11] [--fabs-ms N=MIN:MEDIAN,...]
Prints markdown rows: x.abs() and torch.topk(x.abs(), k) (what a PyTorch
top-k compressor does; k = max(1, ceil(density n))) on torch.randn data,
min and median of --reps runs after one warm-up, with the ratios of the
median and the min to those of agtf-topk-cpu-bench's fabs pass of the same
size (--fabs-ms, from the same run) or, without it, to x.abs()'s.
"""
import argparse
import math
import time

import torch


def timing(reps, work):
    work()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return times[0], times[len(times) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000000,25000000")
    parser.add_argument("--densities", default="0.001,0.01")
    parser.add_argument("--reps", type=int, default=11)
    parser.add_argument("--fabs-ms", default="")
    args = parser.parse_args()
    torch.set_num_threads(1)
    fabs_ms = {}
    for item in filter(None, args.fabs_ms.split(",")):
        n, times = item.split("=")
        lo, med = times.split(":")
        fabs_ms[int(n)] = (float(lo), float(med))
    torch.manual_seed(1)
    for n in (int(s) for s in args.sizes.split(",")):
        x = torch.randn(n)
        lo, med = timing(args.reps, lambda: x.abs())
        base_lo, base_med = fabs_ms.get(n, (lo, med))
        print(f"| torch {torch.__version__}: x.abs() | {n} | 0 | 0 | {lo:.2f} "
              f"| {med:.2f} | {med / base_med:.2f} | {lo / base_lo:.2f} "
              f"| one thread |", flush=True)
        for density in (float(d) for d in args.densities.split(",")):
            k = max(1, min(n, math.ceil(density * n)))
            lo, med = timing(args.reps, lambda: torch.topk(x.abs(), k))
            print(f"| torch.topk(x.abs(), k) | {n} | {density:g} | {k} "
                  f"| {lo:.2f} | {med:.2f} | {med / base_med:.2f} "
                  f"| {lo / base_lo:.2f} | one thread |", flush=True)


if __name__ == "__main__":
    main()
