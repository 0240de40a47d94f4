"""One price (issue 18, item 1): random graphs and clusters, planned by every
merge strategy with every compression method, lowered, written as
schedule.bin and printed as JSON. From that JSON alone, this script prices
each plan with its own implementation of docs/passes.md's models ("The
models") and requires

  1. the recomputed iteration time to equal the schedule's predicted one
     (predicted.iteration_us, gcomm-simulate's predicted_iter_us) within a
     relative 1e-9, and the buckets' predicted times and the exposed
     communication with it;
  2. under that one price, `optimal` (no noise guard) never to be slower
     than any other strategy's plan of the same graph, cluster and
     compression, within a relative 1e-9;
and, from the graph and the merge options, that each bucket's compression
is what docs/passes.md says the merge writes (k_G, density, values, rank).
The schedule's cost model must be the cluster file's constants (defaults
for keys it leaves out). A combination the passes refuse is counted and
listed; the .mlir file checks that there are none.

Nothing of the project is imported: the formulas below are the test's own.
Seeded, so every run plans the same graphs. Usage: one-price.py TMPDIR
[SEED]."""
import json
import math
import os
import random
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

tmp = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 18
GRAPHS = 10  # each planned on CLUSTERS random clusters
CLUSTERS = 2
REL = 1e-9

COMPRESSIONS = ["dense", "dense-f16", "topk", "topk-sampled", "gtopk", "dgc",
                "lowrank", "powersgd"]


def strategies():
    """The strategy option's values, as agtf-opt --help lists them."""
    text = subprocess.run(["agtf-opt", "--help"], check=True,
                          capture_output=True, text=True).stdout
    names = []
    for line in text.split("--strategy=<value>", 1)[1].splitlines()[1:]:
        m = re.match(r"\s+=(\S+)\s+-", line)
        if not m:
            break
        names.append(m.group(1))
    expected = {"layerwise", "single", "threshold", "mgwfbp", "omgs", "agtf",
                "optimal"}
    if not expected <= set(names):
        sys.exit(f"cannot read the strategies from --help: {names}")
    return names


# ---------------------------------------------------------------------------
# Random graphs and clusters.

def mlir_float(x):
    """A float literal MLIR reads back as the same double (it needs a '.')."""
    s = repr(float(x))
    if "." not in s:
        s = s.replace("e", ".0e") if "e" in s else s + ".0"
    return s


def log_uniform(rng, lo, hi):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def random_shape(rng):
    kind = rng.random()
    if kind < 0.3:  # vectors: biases, norms, and a few large ones
        return [int(log_uniform(rng, 1, 2e5))]
    if kind < 0.4:  # degenerate matrices: never factored, or barely
        # r (n + m) = n m at n = m = 2r, and at [3, 6] for r = 2: factoring
        # would not make them smaller.
        r = rng.choice([1, 2, 4, 8])
        return rng.choice([[1, rng.randint(1, 300)], [rng.randint(1, 300), 1],
                           [2 * r, 2 * r], [3, 6], [6, 3], [1, 1],
                           [rng.randint(2, 9), rng.randint(2, 9)]])
    if kind < 0.7:  # matrices
        while True:
            a = int(log_uniform(rng, 2, 2000))
            b = int(log_uniform(rng, 2, 2000))
            if a * b <= 1_000_000:
                return [a, b]
    while True:  # 4-D convolutions
        o = int(log_uniform(rng, 1, 512))
        i = int(log_uniform(rng, 1, 512))
        k = rng.choice([1, 1, 3, 3, 3, 5, 7])
        if o * i * k * k <= 1_000_000:
            return [o, i, k, k]


def random_graph(rng, index):
    count = rng.randint(2, 25)
    tensors = []
    for t in range(count):
        shape = random_shape(rng)
        backward = rng.choice([0.0, round(log_uniform(rng, 0.5, 5000), 3),
                               round(log_uniform(rng, 0.5, 5000), 3),
                               round(log_uniform(rng, 0.5, 5000), 3)])
        density = None
        if rng.random() < 0.35:
            density = rng.choice([1.0, 0.5, round(log_uniform(rng, 1e-5, 0.3),
                                                  7)])
        tensors.append({"name": f"t{t}", "shape": shape,
                        "backward_us": backward, "density": density})
    attrs = {}
    if rng.random() < 0.7:
        attrs["forward_us"] = round(log_uniform(rng, 1, 20000), 3)
    if rng.random() < 0.7:
        attrs["update_us"] = round(log_uniform(rng, 0.1, 2000), 3)
    lines = []
    head = ", ".join(f"{k} = {mlir_float(v)}" for k, v in attrs.items())
    lines.append(f"gcomm.graph @g{index}" +
                 (f" attributes {{{head}}}" if head else "") + " {")
    for t in tensors:
        shape = "x".join(str(d) for d in t["shape"])
        extra = f"backward_us = {mlir_float(t['backward_us'])}"
        if t["density"] is not None:
            extra += f", density = {mlir_float(t['density'])}"
        lines.append(f"  gcomm.tensor @{t['name']} : tensor<{shape}xf32> "
                     f"{{{extra}}}")
    lines.append("}")
    return {"tensors": tensors, "forward_us": attrs.get("forward_us", 0.0),
            "update_us": attrs.get("update_us", 0.0),
            "text": "\n".join(lines) + "\n"}


COLLECTIVES = ["allreduce", "allgather", "gtopk"]
CURVES = COLLECTIVES + ["compress", "decompress", "comm_beside_sparsify"]
DEFAULTS = {"workers": 16, "alpha": 100.0, "beta": 0.0085, "sparsify_us": 20.0,
            "sparsify_us_per_element": 2.6e-5, "pack_us_per_element": 2.7e-6,
            "decompress_us_per_element": 0.0, "bucket_us": 0.0,
            "timeline": "serial"}


def random_cluster(rng):
    """A cluster file and the constants it means (defaults for what it
    leaves out)."""
    f = {}
    want = {"workers": DEFAULTS["workers"], "timeline": DEFAULTS["timeline"],
            "bucket_us": DEFAULTS["bucket_us"]}
    want["workers"] = f["workers"] = rng.choice([1, 2, 3, 4, 8, 16])
    for name, key, lo, hi in (("alpha", "alpha_us", 0.5, 300),
                              ("beta", "beta_us_per_byte", 1e-5, 2e-2)):
        value = lambda: rng.choice([0.0, round(log_uniform(rng, lo, hi), 9),
                                    round(log_uniform(rng, lo, hi), 9)])
        style = rng.choice(["default", "one", "object", "keys", "mixed"])
        if style == "default":
            per = {c: DEFAULTS[name] for c in COLLECTIVES}
        elif style == "one":
            v = value()
            f[key] = v
            per = {c: v for c in COLLECTIVES}
        elif style == "object":
            per = {c: value() for c in COLLECTIVES}
            f[key] = dict(per)
        else:  # alpha_<collective>_us, over alpha_us or the default
            v = value() if style == "mixed" else DEFAULTS[name]
            if style == "mixed":
                f[key] = v
            per = {}
            for c in COLLECTIVES:
                if rng.random() < 0.7:
                    per[c] = value()
                    f[key.replace("_us", f"_{c}_us", 1)] = per[c]
                else:
                    per[c] = v
        want[name] = per
    for key, lo, hi in (("sparsify_us", 0.1, 80),
                        ("sparsify_us_per_element", 1e-7, 1e-4),
                        ("pack_us_per_element", 1e-8, 1e-5),
                        ("decompress_us_per_element", 1e-8, 1e-4)):
        if rng.random() < 0.8:
            f[key] = rng.choice([0.0, round(log_uniform(rng, lo, hi), 12),
                                 round(log_uniform(rng, lo, hi), 12)])
        want[key] = f.get(key, DEFAULTS[key])
    if rng.random() < 0.8:
        want["timeline"] = f["timeline"] = rng.choice(["serial", "stream",
                                                       "shared"])
    if rng.random() < 0.3:
        f["value_bytes"] = 4
        f["index_bytes"] = 4
    if rng.random() < 0.2:
        f["measured"] = {"tool": "one-price.py", "workers": 99}
    if rng.random() < 0.3:
        want["bucket_us"] = f["bucket_us"] = round(log_uniform(rng, 0.1, 500),
                                                   9)
    # Measured curves (agtf-profile's samples), in any subset.
    want["curves"] = {}
    if rng.random() < 0.4:
        measured = f.setdefault("measured", {})
        for name in CURVES:
            if rng.random() < 0.5:
                continue
            size = log_uniform(rng, 1, 1e4)
            us = log_uniform(rng, 0.1, 100)
            points = []
            for _ in range(rng.randint(1, 6)):
                points.append([round(size, 6), round(us, 6)])
                size *= log_uniform(rng, 1.5, 40)
                us *= log_uniform(rng, 0.7, 30)
            measured[name] = {"samples": points, "note": "one-price.py"}
            want["curves"][name] = points
    # The comm lane beside the sparsify lane (agtf-profile --from-trace):
    # times alone against times beside, slower by up to 60x.
    name = "comm_beside_sparsify"
    if name not in want["curves"] and rng.random() < 0.4:
        x = log_uniform(rng, 1, 100)
        points = []
        for _ in range(rng.randint(1, 5)):
            points.append([round(x, 6), round(x * log_uniform(rng, 1, 60), 6)])
            x *= log_uniform(rng, 2, 30)
        for i in range(1, len(points)):  # non-decreasing, as the fit writes
            points[i][1] = max(points[i][1], points[i - 1][1])
        measured = f.setdefault("measured", {})
        measured[name] = {"samples": points, "note": "one-price.py"}
        want["curves"][name] = points
    return f, want


def merge_options(rng, graph):
    total_bytes = 4 * sum(math.prod(t["shape"]) for t in graph["tensors"])
    return {"density": rng.choice([0.001, 0.01, 0.05,
                                   round(log_uniform(rng, 1e-4, 0.2), 6)]),
            "rank": rng.choice([1, 2, 4, 4, 8]),
            "bucket-bytes": max(1, total_bytes // rng.randint(2, 6)),
            "first-bucket-bytes": max(1, total_bytes // rng.randint(6, 30))}


# ---------------------------------------------------------------------------
# The models of docs/passes.md, from the schedule's JSON only.

VALUE_BYTES = {"f32": 4, "f16": 2, "bf16": 2}
INDEX_BYTES = 4
COLLECTIVE_OF = {"dense": "allreduce", "lowrank": "allreduce",
                 "topk": "allgather", "dgc": "allgather", "gtopk": "gtopk"}


def ceil_log2(p):
    rounds = 0
    while (1 << rounds) < p:
        rounds += 1
    return rounds


def factor_rank(shape, numel, rank):
    """kernels::factorRank's rule as docs/passes.md states it: a member
    [n, m...] is factored at min(r, n, m) when that makes it smaller."""
    if len(shape) < 2:
        return 0, numel, 1
    n = shape[0]
    m = numel // n
    r = min(rank, n, m)
    if r >= 1 and r * (n + m) < n * m:
        return r, n, m
    return 0, n, m


def along_curve(points, x):
    """docs/passes.md, "Measured curves": piecewise linear in log-log
    between the points, the first point's time below them, the last
    segment's time per unit above."""
    if x <= points[0][0] or len(points) == 1:
        return points[0][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x <= x1:
            t = math.log(x / x0) / math.log(x1 / x0)
            return math.exp(math.log(y0) + t * math.log(y1 / y0))
    (x0, y0), (x1, y1) = points[-2], points[-1]
    return y1 + (x - x1) * max(0.0, (y1 - y0) / (x1 - x0))


def price_bucket(s, bucket):
    """(ts, tc, detail) of one bucket."""
    cm = s["cost_model"]
    curves = cm["curves"]
    p = s["world_size"]
    members = s["tensors"][bucket["first_tensor"]:
                           bucket["first_tensor"] + bucket["tensor_count"]]
    n_total = sum(t["numel"] for t in members)
    c = bucket["compression"]
    kind = c["kind"]
    if bucket["collective"] != COLLECTIVE_OF[kind]:
        raise ValueError(f"bucket {bucket['name']}: {kind} via "
                         f"{bucket['collective']}")
    coll = cm["collectives"][bucket["collective"]]
    alpha, beta = coll["alpha_us"], coll["beta_us_per_byte"]
    bv = VALUE_BYTES[c["value_dtype"]]
    bi = INDEX_BYTES

    def ring(values):
        if "allreduce" in curves:
            return along_curve(curves["allreduce"], bv * values)
        return (2 * (p - 1) * alpha +
                2 * (p - 1) / p * bv * values * beta)

    if kind == "dense":
        ts = cm["pack_us_per_element"] * n_total
        detail = f"dense N={n_total} bv={bv}"
        tc = ring(n_total)
    else:
        if "compress" in curves:
            ts = along_curve(curves["compress"], n_total)
        else:
            ts = cm["sparsify_us"] + cm["sparsify_us_per_element"] * n_total
        if kind in ("topk", "dgc", "gtopk"):
            k = min(n_total, max(1, math.ceil(c["density"] * n_total)))
            rounds = ceil_log2(p)
            curve = curves.get(bucket["collective"])

            def gather(count, width):
                if curve:
                    return along_curve(curve, count * width)
                if kind == "gtopk":
                    return (2 * rounds * alpha +
                            2 * rounds * count * width * beta)
                return rounds * alpha + (p - 1) * count * width * beta

            tc = gather(k, bv + bi)
            if kind != "gtopk" and (kind == "dgc" or
                                    c["select"] == "sampled"):
                tc += gather(1, 8)  # the counts' allgather
            detail = (f"{kind}/{c.get('select')} N={n_total} k={k} "
                      f"bv={bv}")
            # The selection's decompression into the whole bucket, on the
            # comm lane, with or without peers.
            if "decompress" in curves:
                decompress = along_curve(curves["decompress"], n_total)
            else:
                decompress = cm["decompress_us_per_element"] * n_total
        else:  # lowrank
            rank = c["rank"]
            acp = 0.0
            first = second = 0
            factored = False
            for t in members:
                r, n, m = factor_rank(t["shape"], t["numel"], rank)
                if r:
                    factored = True
                    acp += r * (n + m) / 2
                    first += r * n
                    second += r * m
                else:
                    acp += t["numel"]
                    first += t["numel"]
            if c["method"] == "acp":
                tc = ring(acp)
                detail = f"acp r={rank} values={acp}"
            else:
                tc = ring(first) + (ring(second) if factored else 0.0)
                detail = (f"powersgd r={rank} P={first} Q={second} "
                          f"factored={factored}")
    if p <= 1:
        tc = 0.0
    if kind in ("topk", "dgc", "gtopk"):
        tc += decompress
    tc += cm["bucket_us"]  # the engine's hand-offs, with or without peers
    if cm["timeline"] == "shared":  # one lane sparsifies, then communicates
        return 0.0, tc + ts, detail
    return ts, tc, detail


def price(s):
    """The plan's timeline: per bucket (ready, start, end, detail), the
    iteration time and the exposed communication."""
    pred = s.get("predicted", {})
    fwd = pred.get("forward_us", 0.0)
    upd = pred.get("update_us", 0.0)
    backward = [0.0]
    for t in s["tensors"]:
        backward.append(backward[-1] + t["backward_us"])
    serial = s["cost_model"]["timeline"] == "serial"
    # docs/passes.md, "The comm lane beside the sparsify lane": a bucket's
    # communication progresses at 1/tc while no bucket sparsifies and at
    # 1/beside(tc) while one does.
    beside = s["cost_model"]["curves"].get("comm_beside_sparsify")
    if s["cost_model"]["timeline"] == "shared":
        beside = None
    clock = comm = 0.0
    priced = []
    for b in s["buckets"]:
        ts, tc, detail = price_bucket(s, b)
        done = backward[b["first_tensor"] + b["tensor_count"]]
        if serial:
            clock += ts
            ready = done + clock
        else:
            clock = max(clock, done) + ts
            ready = clock
        priced.append((ts, tc, detail, ready))
    busy = [(ready - ts, ready) for ts, _, _, ready in priced if ts > 0]

    def finish(start, tc):
        if not beside or tc <= 0:
            return start + tc
        slow = max(tc, along_curve(beside, tc))
        t, left = start, 1.0
        for lo, hi in busy:
            if hi <= t:
                continue
            if lo > t:
                if (lo - t) / tc >= left:
                    return t + left * tc
                left -= (lo - t) / tc
                t = lo
            if (hi - t) / slow >= left:
                return t + left * slow
            left -= (hi - t) / slow
            t = hi
        return t + left * tc

    rows = []
    for ts, tc, detail, ready in priced:
        start = max(comm, ready)
        comm = finish(start, tc)
        rows.append((ready, start, comm, f"{detail} ts={ts!r} tc={tc!r}"))
    tail = comm if serial else max(backward[-1], comm)
    iteration = fwd + tail + upd
    exposed = max(0.0, iteration - (fwd + backward[-1] + upd))
    return rows, iteration, exposed


SPARSE_KIND = {"topk": ("topk", "exact"), "topk-sampled": ("topk", "sampled"),
               "gtopk": ("gtopk", "exact"), "dgc": ("dgc", "exact")}


def plan_problems(s, graph, compression, options):
    """What docs/passes.md says gcomm-merge writes on each bucket, from the
    graph and the merge options: for a selection, k_i = max(1, ceil(rho_i
    n_i)) with rho_i the tensor's budget (else the option's density for a
    matrix, dense for a vector), a bucket with a sparse member is sparse and
    keeps k_G = sum k_i, its density k_G / N_G stepped down to the next
    smaller double until ceil(rho N_G) = k_G; dense buckets carry the
    method's values (f16 for dense-f16); low-rank buckets the option's rank
    and method."""
    problems = []
    want_values = "f16" if compression == "dense-f16" else "f32"
    for b in s["buckets"]:
        c = b["compression"]
        first = b["first_tensor"]
        members = graph["tensors"][first:first + b["tensor_count"]]
        if c["value_dtype"] != want_values:
            problems.append(f"bucket {b['name']}: values {c['value_dtype']}")
        if compression in SPARSE_KIND:
            numel = kept = 0
            sparse = False
            for t in members:
                n = math.prod(t["shape"])
                rho = t["density"]
                if rho is None:
                    rho = options["density"] if len(t["shape"]) >= 2 else 1.0
                sparse = sparse or rho < 1.0
                numel += n
                kept += n if rho >= 1.0 else max(1, math.ceil(rho * n))
            if not sparse:
                if c["kind"] != "dense":
                    problems.append(f"bucket {b['name']}: no budget, but "
                                    f"{c['kind']}")
                continue
            kind, select = SPARSE_KIND[compression]
            if (c["kind"], c.get("select")) != (kind, select):
                problems.append(f"bucket {b['name']}: {c['kind']}/"
                                f"{c.get('select')}, not {kind}/{select}")
                continue
            rho = kept / numel
            while max(1, math.ceil(rho * numel)) > kept:
                rho = math.nextafter(rho, 0.0)
            if c["density"] != rho:
                problems.append(f"bucket {b['name']}: density "
                                f"{c['density']!r} keeps "
                                f"{math.ceil(c['density'] * numel)} of "
                                f"{numel}, k_G = {kept} (density {rho!r})")
        elif compression in ("lowrank", "powersgd"):
            method = "acp" if compression == "lowrank" else "powersgd"
            if c["kind"] == "lowrank" and (c["rank"], c["method"]) != (
                    options["rank"], method):
                problems.append(f"bucket {b['name']}: rank {c['rank']} "
                                f"{c['method']}")
        elif c["kind"] != "dense":
            problems.append(f"bucket {b['name']}: {c['kind']}")
    return problems


def close(a, b, scale=None):
    scale = max(abs(a), abs(b)) if scale is None else scale
    return abs(a - b) <= REL * scale


# ---------------------------------------------------------------------------
# The plans.

def run_case(case):
    """Plans, lowers, writes and prints one graph x cluster x strategy x
    compression. Returns the schedule's JSON, or the error of a refusal."""
    gi, ci, strategy, compression, graph_file, cluster_file, options = case
    merge = (f"strategy={strategy} compression={compression} "
             f"density={options['density']} rank={options['rank']}")
    if strategy == "threshold":
        merge += (f" bucket-bytes={options['bucket-bytes']}"
                  f" first-bucket-bytes={options['first-bucket-bytes']}")
    base = f"{tmp}/g{gi}-c{ci}-{strategy}-{compression}"
    pipeline = (f"builtin.module(gcomm.graph(gcomm-annotate-cost"
                f"{{cluster-file={cluster_file}}},gcomm-merge{{{merge}}},"
                f"gcomm-simulate))")
    opt = subprocess.run(["agtf-opt", graph_file,
                          f"--pass-pipeline={pipeline}", "-o",
                          base + ".plan.mlir"], capture_output=True, text=True)
    if opt.returncode != 0:
        return case, None, opt.stderr.strip() or f"exit {opt.returncode}"
    for cmd in (["agtf-opt", base + ".plan.mlir", "--gcomm-lower-to-streams",
                 "-o", base + ".mlir"],
                ["agtf-translate", "--gcomm-to-schedule", base + ".mlir",
                 "-o", base + ".bin"]):
        subprocess.run(cmd, check=True)
    out = subprocess.run(["agtf-translate", "--schedule-to-json",
                          base + ".bin"], check=True, capture_output=True,
                         text=True).stdout
    schedule = json.loads(out)
    # gcomm-simulate's predicted_iter_us, which the schedule carries.
    with open(base + ".plan.mlir") as f:
        m = re.search(r"predicted_iter_us = ([-+0-9.e]+) : f64", f.read())
    schedule["graph_predicted_iter_us"] = float(m.group(1)) if m else None
    return case, schedule, None


def describe(graph, cluster, case, s, rows):
    _, _, strategy, compression, _, cluster_file, options = case
    print(f"--- {strategy} x {compression}, options {options}")
    print(graph["text"], end="")
    print(f"cluster {cluster_file}: {json.dumps(cluster)}")
    for b, (ready, start, end, detail) in zip(s["buckets"], rows):
        p = b.get("predicted", {})
        print(f"  {b['name']} [{b['first_tensor']}, +{b['tensor_count']}) "
              f"{detail}\n    recomputed ready {ready!r} start {start!r} "
              f"end {end!r}\n    predicted  ready {p.get('ready_us')!r} "
              f"start {p.get('start_us')!r} end {p.get('end_us')!r}")


def main():
    os.makedirs(tmp, exist_ok=True)
    names = strategies()
    rng = random.Random(seed)
    graphs, clusters, cases = [], {}, []
    for gi in range(GRAPHS):
        graph = random_graph(rng, gi)
        graphs.append(graph)
        graph_file = f"{tmp}/g{gi}.mlir"
        with open(graph_file, "w") as f:
            f.write(graph["text"])
        for ci in range(CLUSTERS):
            cluster, want = random_cluster(rng)
            cluster_file = f"{tmp}/g{gi}-c{ci}.json"
            with open(cluster_file, "w") as f:
                json.dump(cluster, f)
            clusters[gi, ci] = (cluster, want)
            options = merge_options(rng, graph)
            for strategy in names:
                for compression in COMPRESSIONS:
                    cases.append((gi, ci, strategy, compression, graph_file,
                                  cluster_file, options))

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run_case, cases))

    failures = budget_failures = sparse_buckets = 0
    plans = 0
    refused = []
    iteration = {}  # (gi, ci, compression) -> {strategy: predicted}
    for case, s, error in results:
        gi, ci, strategy, compression = case[:4]
        graph = graphs[gi]
        cluster, want = clusters[gi, ci]
        if s is None:
            refused.append(f"{strategy} x {compression} on g{gi}-c{ci}: "
                           f"{error.splitlines()[0]}")
            continue
        plans += 1
        problems = []
        # The schedule carries the cluster file's constants and the graph's
        # compute times.
        cm = s["cost_model"]
        got = {"workers": s["world_size"], "timeline": cm["timeline"],
               "alpha": {c: cm["collectives"][c]["alpha_us"]
                         for c in COLLECTIVES},
               "beta": {c: cm["collectives"][c]["beta_us_per_byte"]
                        for c in COLLECTIVES}}
        for key in ("sparsify_us", "sparsify_us_per_element",
                    "pack_us_per_element", "decompress_us_per_element",
                    "bucket_us"):
            got[key] = cm[key]
        got["curves"] = {name: [list(p) for p in points]
                         for name, points in cm["curves"].items()}
        for key in sorted(k for k in want if got[k] != want[k]):
            problems.append(f"cost model's {key} {got[key]} is not the "
                            f"cluster file's {want[key]}")
        if (cm["value_bytes"], cm["index_bytes"]) != (4, 4):
            problems.append(f"value/index bytes {cm['value_bytes']}, "
                            f"{cm['index_bytes']}")
        budget = plan_problems(s, graph, compression, case[6])
        if budget:
            budget_failures += 1
            if budget_failures <= 5:
                print(f"BUDGET g{gi}-c{ci} {strategy} x {compression}: " +
                      "; ".join(budget))
        sparse_buckets += sum(b["compression"]["kind"] != "dense" and
                              b["compression"]["kind"] != "lowrank"
                              for b in s["buckets"])
        pred = s.get("predicted")
        if pred is None:
            problems.append("no predicted timeline")
            rows = []
        else:
            if (pred["forward_us"], pred["update_us"]) != (
                    graph["forward_us"], graph["update_us"]):
                problems.append(f"forward/update {pred['forward_us']}, "
                                f"{pred['update_us']} are not the graph's")
            for t, g in zip(s["tensors"], graph["tensors"]):
                if (t["shape"], t["backward_us"]) != (g["shape"],
                                                      g["backward_us"]):
                    problems.append(f"tensor {t['name']} differs from the "
                                    f"graph's")
            if s["graph_predicted_iter_us"] != pred["iteration_us"]:
                problems.append(f"graph's predicted_iter_us "
                                f"{s['graph_predicted_iter_us']!r} is not "
                                f"the schedule's {pred['iteration_us']!r}")
            rows, total, exposed = price(s)
            if not close(total, pred["iteration_us"]):
                problems.append(f"iteration: recomputed {total!r}, predicted "
                                f"{pred['iteration_us']!r}")
            if not close(exposed, pred["exposed_comm_us"], total):
                problems.append(f"exposed comm: recomputed {exposed!r}, "
                                f"predicted {pred['exposed_comm_us']!r}")
            for b, (ready, start, end, _) in zip(s["buckets"], rows):
                p = b["predicted"]
                if not (close(ready, p["ready_us"], total) and
                        close(start, p["start_us"], total) and
                        close(end, p["end_us"], total)):
                    problems.append(f"bucket {b['name']}'s times differ")
            iteration.setdefault((gi, ci, compression), {})[strategy] = (
                pred["iteration_us"])
        if problems:
            failures += 1
            if failures <= 5:
                print(f"MISMATCH g{gi}-c{ci} {strategy} x {compression}: " +
                      "; ".join(problems))
                describe(graph, cluster, case, s, rows)

    comparisons = 0
    slower = 0
    for (gi, ci, compression), times in sorted(iteration.items()):
        best = times.get("optimal")
        if best is None:
            continue
        for strategy, t in sorted(times.items()):
            if strategy == "optimal":
                continue
            comparisons += 1
            if best > t * (1 + REL):
                slower += 1
                if slower <= 5:
                    print(f"SLOWER g{gi}-c{ci} {compression}: optimal "
                          f"{best!r} us, {strategy} {t!r} us")
                    print(graphs[gi]["text"], end="")
                    print(f"cluster: {json.dumps(clusters[gi, ci][0])}")

    for line in refused:
        print(f"refused: {line}")
    print(f"{len(cases)} cases ({GRAPHS * CLUSTERS} graph x cluster pairs, "
          f"{len(names)} strategies x {len(COMPRESSIONS)} compressions), "
          f"{len(refused)} refused")
    measured = [key for key, (_, want) in clusters.items() if want["curves"]]
    print(f"measured curves: {len(measured)} of {len(clusters)} clusters; "
          f"engine cost per bucket: "
          f"{sum(w['bucket_us'] > 0 for _, w in clusters.values())}; "
          f"shared timeline: "
          f"{sum(w['timeline'] == 'shared' for _, w in clusters.values())}; "
          f"comm beside sparsify: "
          f"{sum('comm_beside_sparsify' in w['curves'] and w['timeline'] != 'shared' for _, w in clusters.values())}")
    if failures:
        print(f"one price: {failures} of {plans} plans DIFFER")
    else:
        print(f"one price: {plans} plans, all equal")
    if budget_failures:
        print(f"budgets: {budget_failures} of {plans} plans DIFFER")
    else:
        print(f"budgets: {plans} plans as documented, {sparse_buckets} "
              f"selection buckets keep k_G")
    if slower:
        print(f"optimal slower in {slower} of {comparisons} comparisons")
    else:
        print(f"optimal never slower: {comparisons} comparisons")
    sys.exit(1 if failures or budget_failures or slower else 0)


main()
