#!/usr/bin/python3
"""The peer of bench/e2e: PyTorch DDP (gloo) training a model on synthetic
data, one process per emulated host, started by bench/e2e/run.sh.

Usage: ddp_peer.py MODEL RANK WORLD MASTER_ADDR PORT MODE ITERS WARMUP
                   BATCH SIZE
  MODEL  resnet20 | resnet50 | vgg16 (examples/models/make_models.py)
  MODE   allreduce: DDP's default hook, 25 MB buckets (first bucket 1 MB)
         powersgd:  DDP's PowerSGD hook, rank 4, error feedback, from the
                    third iteration on (give WARMUP >= 2), in one bucket
         local:     the same training under no_sync(): no communication, the
                    compute alone, to tell DDP's communication from the CPU's
                    compute
  BATCH, SIZE  the synthetic batch (BATCH x 3 x SIZE x SIZE, random labels)
Rank 0 prints one JSON line: per-iteration wall times (seconds, the
slowest rank), their median and the bytes DDP reduces per iteration.
Set GLOO_SOCKET_IFNAME to the emulated interface.
"""
import json
import os
import statistics
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "examples", "models"))
import make_models  # noqa: E402


def main():
    if len(sys.argv) != 11:
        sys.exit(__doc__)
    (name, rank, world, addr, port, mode, iters, warmup, batch,
     size) = sys.argv[1:]
    rank, world, iters, warmup = int(rank), int(world), int(iters), int(warmup)
    batch, size = int(batch), int(size)
    if mode not in ("allreduce", "powersgd", "local"):
        sys.exit("ddp_peer.py: unknown mode '%s'" % mode)
    # Four ranks share two cores: one thread each.
    torch.set_num_threads(1)
    torch.manual_seed(0)
    dist.init_process_group("gloo", init_method="tcp://%s:%s" % (addr, port),
                            rank=rank, world_size=world)
    if mode == "powersgd":
        # One bucket: the hook's callbacks block a gloo worker thread until
        # the next allreduce ends, so with gloo's two threads two buckets in
        # flight deadlock (checked), and more threads interleave messages.
        dist._DEFAULT_FIRST_BUCKET_BYTES = 1 << 40
        model = DDP(make_models.MODELS[name](), bucket_cap_mb=1 << 20)
        from torch.distributed.algorithms.ddp_comm_hooks import \
            powerSGD_hook as powersgd
        state = powersgd.PowerSGDState(
            process_group=None, matrix_approximation_rank=4,
            start_powerSGD_iter=2)
        model.register_comm_hook(state, powersgd.powerSGD_hook)
    else:
        model = DDP(make_models.MODELS[name]())
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    gen = torch.Generator().manual_seed(rank)
    x = torch.randn(batch, 3, size, size, generator=gen)
    y = torch.randint(0, 10, (batch,), generator=gen)
    times = []
    for i in range(warmup + iters):
        dist.barrier()
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        if mode == "local":
            with model.no_sync():
                F.cross_entropy(model(x), y).backward()
        else:
            F.cross_entropy(model(x), y).backward()
        opt.step()
        if i >= warmup:
            times.append(time.perf_counter() - start)
    # The slowest rank's time per iteration.
    t = torch.tensor(times, dtype=torch.float64)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    if rank == 0:
        params = sum(p.numel() for p in model.parameters())
        print(json.dumps({"model": name, "mode": mode, "world": world,
                          "batch": batch, "size": size, "iters": iters,
                          "warmup": warmup, "parameters": params,
                          "iteration_s": t.tolist(),
                          "median_s": statistics.median(t.tolist())}),
              flush=True)
    dist.barrier()
    # Skip the interpreter's teardown: with the PowerSGD hook, gloo's
    # threads can abort the process at exit ("terminate called without an
    # active exception", seen once), after the figures are out.
    os._exit(0)


if __name__ == "__main__":
    main()
