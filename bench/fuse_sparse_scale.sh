#!/usr/bin/env bash
# Guarded --fuse-sparse at scale: wall time and peak resident memory (GNU
# time) of agtf-opt with the exact search (optimality-gap=0) and with the
# default gap (0.01), on synthetic graphs and on graphs of published
# transformer configurations (bench/make_graph.py model: shapes only,
# roofline backward times, seeded sketches), with each plan's predicted
# iteration time, its certificate optimal_lower_bound_us and buckets.
# Usage: bench/fuse_sparse_scale.sh [GRAPH...] (default: 500 1000 5000
#   gpt2-xl bert-large llama2-7b mixtral-8x7b deepseek-moe-16b); a number
#   is a synthetic graph of that many tensors, a name one of
#   make_models.CONFIGS. Environment: AGTF_OPT (build/bin/agtf-opt),
#   OPTIONS (extra --fuse-sparse options, default "workers=16"),
#   EXACT_TIMEOUT (seconds the exact search may take, default 600).
# Each run is repeated 3 times (median wall time, largest peak memory),
# but a run over 10 s only once. Writes its graphs under build/bench.
set -euo pipefail
opt=${AGTF_OPT:-build/bin/agtf-opt}
options=${OPTIONS:-workers=16}
exact_timeout=${EXACT_TIMEOUT:-600}
dir=build/bench
mkdir -p "$dir"
graphs=("$@")
[ ${#graphs[@]} -gt 0 ] || graphs=(500 1000 5000 gpt2-xl bert-large llama2-7b
                                   mixtral-8x7b deepseek-moe-16b)
# Runs one configuration; prints "wall_s peak_mb iter_us lower_us buckets",
# or "timeout" when the limit stopped it.
measure() {
  local graph=$1 gap=$2 limit=$3 walls=() peak=0 out=$dir/scale.out.mlir
  for run in 1 2 3; do
    if ! /usr/bin/time -f "%e %M" -o "$dir/scale.time" timeout "$limit" \
        "$opt" "$graph" --fuse-sparse="$options optimality-gap=$gap" \
        -o "$out"; then
      echo timeout
      return
    fi
    read -r wall rss < "$dir/scale.time"
    walls+=("$wall")
    peak=$(( rss > peak ? rss : peak ))
    awk -v w="$wall" 'BEGIN { exit !(w > 10) }' && break
  done
  local median
  median=$(printf '%s\n' "${walls[@]}" | sort -g |
           awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  local get='s/.*NAME = \([-0-9.e+]*\).*/\1/p'
  echo "$median" "$((peak / 1024))" \
    "$(sed -n "${get/NAME/predicted_iter_us}" "$out" | head -1)" \
    "$(sed -n "${get/NAME/optimal_lower_bound_us}" "$out" | head -1)" \
    "$(grep -c 'gcomm.bucket' "$out")"
}
echo "| graph | tensors | optimality-gap | wall (s) | peak RSS (MB) | predicted iteration (ms) | lower bound (ms) | certified within | buckets |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for name in "${graphs[@]}"; do
  if [[ $name =~ ^[0-9]+$ ]]; then
    graph=$dir/synthetic$name.mlir
    /usr/bin/python3 bench/make_graph.py synthetic "$name" "$graph"
    label="synthetic"
  else
    graph=$dir/$name.mlir
    [ -f "$graph" ] || /usr/bin/python3 bench/make_graph.py model "$name" "$graph"
    label=$name
  fi
  tensors=$(grep -c 'gcomm.tensor' "$graph")
  for gap in 0 0.01; do
    limit=600
    [ "$gap" = 0 ] && limit=$exact_timeout
    read -r wall mb iter lower buckets <<<"$(measure "$graph" "$gap" "$limit")"
    if [ "$wall" = timeout ]; then
      printf '| %s | %d | %s | > %d (stopped) | | | | | |\n' "$label" "$tensors" \
        "$gap" "$limit"
      continue
    fi
    awk -v l="$label" -v n="$tensors" -v g="$gap" -v w="$wall" -v m="$mb" \
        -v t="$iter" -v b="$lower" -v k="$buckets" 'BEGIN {
      printf "| %s | %d | %s | %.2f | %d | %.1f | %.1f | %.3f%% | %d |\n",
             l, n, g, w, m, t / 1000, b / 1000, (t / b - 1) * 100, k }'
  done
done
