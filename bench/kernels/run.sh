#!/usr/bin/env bash
# The kernel benchmarks of docs/benchmarks.md: agtf-kernel-bench, then
# torch.topk on the same sizes in the same run (when python3 has torch
# with CUDA), as one markdown table.
# Usage: bench/kernels/run.sh BUILD_DIR [agtf-kernel-bench options]
set -euo pipefail
build=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
"$build/bin/agtf-kernel-bench" "$@"
sizes=25000000,100000000
density=0.001
while [ $# -gt 0 ]; do
  case $1 in
    --sizes=*) sizes=${1#*=} ;;
    --density=*) density=${1#*=} ;;
    --sizes) sizes=$2; shift ;;
    --density) density=$2; shift ;;
  esac
  shift || break
done
if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  python3 "$here/torch_topk.py" --sizes "$sizes" --density "$density"
else
  echo "| torch.topk | - | - | not measured: python3 has no torch with CUDA | |"
fi
