#!/usr/bin/env bash
# Installs every Debian package AGTF needs. Idempotent: when everything is
# present it asks apt nothing and returns in well under a second.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ git pkg-config
  # compiler half: MLIR 19 (FileCheck, not, split-file and lit come with
  # llvm-19-tools)
  libmlir-19-dev mlir-19-tools llvm-19-dev llvm-19-tools
  # runtime half; the runtime tools' command lines and the JSON they write
  libopenmpi-dev openmpi-bin libflatbuffers-dev flatbuffers-compiler
  libcli11-dev nlohmann-json3-dev
  # import and training
  libtorch-dev python3-torch python3-torchvision dataset-fashion-mnist
  # tests (clang-14 with libFuzzer fuzzes the schedule reader; clang-19's
  # CUDA front end checks the .cu files, scripts/check-cuda-diagnostics.sh)
  libgtest-dev clang-14 libclang-rt-14-dev clang-19
  # benchmarks: plots, and tc/ip for the emulated network
  python3-matplotlib iproute2
)

missing=()
for p in "${packages[@]}"; do
  # dpkg-query is quick and needs no package lists.
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
