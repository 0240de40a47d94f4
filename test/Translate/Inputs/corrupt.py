"""Flips random bits in a good schedule (and truncates it at random
lengths) and checks that agtf-translate refuses each file with an error
or reads it, and never crashes or hangs."""
import random
import subprocess
import sys

good = open(sys.argv[1], "rb").read()
tmp = sys.argv[2]
rng = random.Random(1)
bad = []
for i in range(300):
    data = bytearray(good)
    if i % 3 == 0:
        data = data[: rng.randrange(len(data))]
    else:
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(data))
            data[pos] ^= 1 << rng.randrange(8)
    path = f"{tmp}/corrupt.bin"
    open(path, "wb").write(bytes(data))
    r = subprocess.run(["agtf-translate", "--schedule-to-json", path,
                        "-o", f"{tmp}/corrupt.json"],
                       capture_output=True, text=True, timeout=20)
    if r.returncode not in (0, 1) or (r.returncode == 1 and "error:" not in r.stderr):
        bad.append((i, r.returncode, r.stderr[-200:]))
if bad:
    print("FAILED", bad[:3])
else:
    print("300 corrupted files: every one refused or read, no crash")
