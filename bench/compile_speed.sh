#!/usr/bin/env bash
# Wall time of agtf-opt --fuse-sparse (median of 5 runs, process start
# included) on ResNet-50 and on synthetic graphs. Writes its graphs under
# build/bench. Usage: bench/compile_speed.sh [SIZES...] (default 1000 5000)
set -euo pipefail
opt=${AGTF_OPT:-build/bin/agtf-opt}
dir=build/bench
mkdir -p $dir
/usr/bin/python3 bench/make_graph.py resnet50 $dir/resnet50.mlir
median() {
  local times=()
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { print (b - a) * 1000 }')")
  done
  printf '%s\n' "${times[@]}" | sort -g | sed -n 3p
}
echo "| graph | tensors | pipeline | median wall time (ms) |"
echo "| --- | --- | --- | --- |"
for noise in "" "noise-tolerance=-1"; do
  label=${noise:-"guard eps=0"}
  t=$(median $opt $dir/resnet50.mlir --fuse-sparse="workers=16 $noise")
  printf '| ResNet-50 | 161 | --fuse-sparse (%s) | %.0f |\n' "$label" "$t"
done
for n in "${@:-1000 5000}"; do
  for size in $n; do
    /usr/bin/python3 bench/make_graph.py synthetic "$size" $dir/synthetic$size.mlir
    t=$(median timeout 600 $opt $dir/synthetic$size.mlir --fuse-sparse="workers=16 noise-tolerance=-1")
    printf '| synthetic | %d | --fuse-sparse (no guard) | %.0f |\n' "$size" "$t"
  done
done
