#!/usr/bin/env bash
# Predicted iteration time of every merge strategy on one graph, as a
# markdown table. Usage: bench/strategies.sh GRAPH.mlir [CLUSTER_OPTIONS]
# e.g. bench/strategies.sh /tmp/r50.mlir 'workers=16'
set -euo pipefail
opt=${AGTF_OPT:-build/bin/agtf-opt}
graph=$1
cost=${2:-workers=16}
density=${DENSITY:-0.001}
prefix="gcomm-annotate-cost{$cost},gcomm-annotate-timing,gcomm-sparsity-budget{rule=importance density=$density}"
row() {
  local name=$1 merge=$2
  local out
  out=$($opt "$graph" --pass-pipeline="builtin.module(gcomm.graph($prefix,$merge,gcomm-simulate))")
  local t n b e
  t=$(grep -o 'predicted_iter_us = [-0-9.e+]*' <<<"$out" | awk '{print $3}')
  e=$(grep -o 'predicted_exposed_comm_us = [-0-9.e+]*' <<<"$out" | awk '{print $3}')
  n=$(grep -o 'predicted_noise = [-0-9.e+]*' <<<"$out" | awk '{print $3}')
  b=$(grep -c 'gcomm.bucket' <<<"$out")
  awk -v name="$name" -v b="$b" -v t="$t" -v e="$e" -v n="$n" \
    'BEGIN { printf "| %s | %d | %.1f | %.1f | %.3f |\n", name, b, t / 1000, e / 1000, n }'
}
echo "| strategy | buckets | predicted iteration (ms) | exposed comm (ms) | noise (relative) |"
echo "| --- | --- | --- | --- | --- |"
row "dense, DDP 25 MB buckets" "gcomm-merge{strategy=threshold}"
row "top-k layer-wise" "gcomm-merge{strategy=layerwise compression=topk}"
row "top-k single bucket" "gcomm-merge{strategy=single compression=topk}"
row "top-k mgwfbp" "gcomm-merge{strategy=mgwfbp compression=topk}"
row "top-k omgs" "gcomm-merge{strategy=omgs compression=topk}"
row "top-k agtf" "gcomm-merge{strategy=agtf compression=topk}"
row "top-k optimal (no guard)" "gcomm-merge{strategy=optimal compression=topk}"
row "--fuse-sparse (optimal, guard eps=0)" "gcomm-merge{strategy=optimal compression=topk noise-tolerance=0}"
row "gtopk optimal (no guard)" "gcomm-merge{strategy=optimal compression=gtopk}"
