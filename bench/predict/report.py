"""Table of bench/predict/run.sh's results: measured over predicted
iteration time per plan, under the alpha-beta fit and the samples."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1])]
table = {}
for r in rows:
    table.setdefault((r["model"], r["plan"]), {})[r["cluster"]] = r
print("| model | plan | buckets | measured us (p10-p90) | "
      "measured/predicted, alpha-beta | measured/predicted, samples |")
print("| --- | --- | --- | --- | --- | --- |")
for (model, plan), by in table.items():
    cells = []
    for cluster in ("alpha-beta", "samples"):
        r = by.get(cluster)
        cells.append("%.2f" % (r["measured_us"] / r["predicted_us"])
                     if r else "-")
    s = by.get("samples") or next(iter(by.values()))
    print("| %s | %s | %d | %.0f (%.0f-%.0f) | %s | %s |" %
          (model, plan, s["buckets"], s["measured_us"], s["p10"], s["p90"],
           cells[0], cells[1]))
