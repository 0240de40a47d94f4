"""torch.topk on the GPU, on the sizes of agtf-kernel-bench, in its table.

python3 torch_topk.py [--sizes 25000000,100000000] [--density 0.001] [--reps 20]
Prints markdown rows: torch.topk(x.abs(), k, sorted=False) (what a PyTorch
top-k compressor does), the median of --reps runs timed with CUDA events
after two warm-up runs.
"""
import argparse
import math

import torch


def median_ms(reps, work):
    start = torch.cuda.Event(enable_timing=True)
    stop = torch.cuda.Event(enable_timing=True)
    for _ in range(2):
        work()
    times = []
    for _ in range(reps):
        start.record()
        work()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    times.sort()
    return times[len(times) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="25000000,100000000")
    parser.add_argument("--density", type=float, default=0.001)
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("torch_topk.py: torch sees no CUDA device")
    for n in (int(s) for s in args.sizes.split(",")):
        k = max(1, math.ceil(args.density * n))
        x = torch.randn(n, device="cuda")
        ms = median_ms(args.reps, lambda: torch.topk(x.abs(), k, sorted=False))
        print(f"| torch.topk(x.abs(), k, sorted=False), torch {torch.__version__} "
              f"| {n} | {ms:.4f} | same run | |")


if __name__ == "__main__":
    main()
