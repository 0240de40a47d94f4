#!/usr/bin/python3
"""Prints a schedule's plan from `agtf-translate --schedule-to-json` output
(standard input): one line a bucket, then the predicted iteration."""
import json
import sys

s = json.load(sys.stdin)
tensors = s["tensors"]
print(f"schedule v{s['format_version']} for {s['world_size']} workers, "
      f"{len(tensors)} tensors, layout {s['layout_hash']}, "
      f"{len(s['steps'])} stream steps")
print(f"{'bucket':8} {'tensors':>7} {'elements':>10} {'compression':22} "
      f"{'collective':10} {'comm (us)':>18}")
for b in s["buckets"]:
    members = tensors[b["first_tensor"]:b["first_tensor"] + b["tensor_count"]]
    numel = sum(t["numel"] for t in members)
    c = b["compression"]
    kind = c["kind"]
    if "density" in c:
        kind += f" {c['density']:.4g}"
    elif "rank" in c:
        kind += f" rank {c['rank']}"
    p = b.get("predicted")
    comm = f"{p['start_us']:.0f}..{p['end_us']:.0f}" if p else "-"
    print(f"{b['name']:8} {b['tensor_count']:>7} {numel:>10} {kind:22} "
          f"{b['collective']:10} {comm:>18}")
if "predicted" in s:
    p = s["predicted"]
    print(f"predicted iteration {p['iteration_us'] / 1000:.3f} ms, exposed "
          f"communication {p['exposed_comm_us'] / 1000:.3f} ms, "
          f"noise {p['noise']:.4g}")
