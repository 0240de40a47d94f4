"""Checks a gcomm-simulate Chrome trace: valid JSON, three named lanes,
one comm event per bucket with non-negative times."""
import json
import sys

events = json.load(open(sys.argv[1]))["traceEvents"]
lanes = {e["tid"]: e["args"]["name"] for e in events if e["ph"] == "M"}
print("lanes", " ".join(lanes[t] for t in sorted(lanes)))
comm = [e for e in events if e["ph"] == "X" and e["name"].startswith("comm ")]
sparsify = [e for e in events if e["ph"] == "X" and e["tid"] == 1]
ok = comm and len(comm) == len(sparsify) and all(
    e["ts"] >= 0 and e["dur"] >= 0 for e in events if e["ph"] == "X")
print("comm events match buckets" if ok else "bad trace")
