#!/usr/bin/env bash
# The CPU selection benchmark: agtf-topk-cpu-bench, then torch.topk and
# x.abs() on one thread (/usr/bin/python3 with torch) on the same sizes in
# the same run, as one markdown table whose ratios are to the fabs pass of
# agtf-topk-cpu-bench.
# Usage: bench/topk-cpu/run.sh BUILD_DIR [--sizes N,N] [--densities D,D]
#                              [--reps R] [--seed S]
set -euo pipefail
build=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
sizes=10000000,25000000
densities=0.001,0.01
reps=11
args=("$@")
while [ $# -gt 0 ]; do
  case $1 in
    --sizes=*) sizes=${1#*=} ;;
    --densities=*) densities=${1#*=} ;;
    --reps=*) reps=${1#*=} ;;
    --sizes) sizes=$2; shift ;;
    --densities) densities=$2; shift ;;
    --reps) reps=$2; shift ;;
  esac
  shift || break
done
table=$(mktemp)
trap 'rm -f "$table"' EXIT
"$build/bin/agtf-topk-cpu-bench" "${args[@]}" | tee "$table"
# "| one pass: std::fabs ... | N | 0 | 0 | min | median | ..." -> N=min:median
fabs=$(awk -F'|' '/std::fabs/ { gsub(/ /, ""); printf "%s%s=%s:%s", sep, $3, $6, $7; sep="," }' "$table")
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  /usr/bin/python3 "$here/torch_topk_cpu.py" --sizes "$sizes" \
    --densities "$densities" --reps "$reps" --fabs-ms "$fabs"
else
  echo "| torch.topk | - | - | - | - | - | - | - | not measured: /usr/bin/python3 has no torch |"
fi
