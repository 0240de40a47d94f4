#!/usr/bin/env bash
# Configures and builds the runtime half with the compiler half switched
# off, as on a machine without MLIR (the lent GPU machine).
set -euo pipefail
src=$1
dir=$2
rm -rf "$dir"
cmake -G Ninja -S "$src" -B "$dir" -DAGTF_COMPILER=OFF -DAGTF_CUDA=OFF \
  -DAGTF_TESTS=OFF | grep 'AGTF '
cmake --build "$dir"
if grep -rq "mlir" "$dir/build.ninja"; then
  echo "error: the runtime half references MLIR" >&2
  exit 1
fi
echo "runtime half built without MLIR"
