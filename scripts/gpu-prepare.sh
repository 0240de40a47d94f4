#!/usr/bin/env bash
# Run on the CPU machine, before scripts/gpu-check.sh runs on the lent GPU
# machine: makes .gpu-deps/, the one folder the device `run` must carry
# (docs/gpu.md). The GPU machine has no MLIR and no package registry, so:
#   .gpu-deps/schedules/  the runtime test schedules, planned with agtf-opt
#                         and written with agtf-translate here (as the
#                         runtime-make-schedules test does)
#   .gpu-deps/training/   the training tests' inputs (make-training-
#                         inputs.sh): the Fashion-CNN and its schedules
#   .gpu-deps/overlap/    ResNet-50's dense and --fuse-sparse schedules for
#                         bench/overlap/run.sh, planned from the H100
#                         roofline profile (the model itself is made there)
#   .gpu-deps/fashion-mnist/  the first 8,192 training images and labels
#                         of Debian's Fashion-MNIST (consistent IDX files)
#                         and the 10,000 test ones, for the training check
#   .gpu-deps/root/       Debian's FlatBuffers (headers, library, flatc),
#                         GoogleTest (headers, static libraries), CLI11 and
#                         nlohmann::json (headers and CMake configs),
#                         unpacked; gpu-check.sh uses them only where the
#                         machine has none of its own
# Usage: scripts/gpu-prepare.sh [BUILD_DIR]   (default: build; configured
# with the compiler half, it builds agtf-import, agtf-opt and agtf-translate)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=$root/.gpu-deps
packages=(libflatbuffers-dev libflatbuffers2 flatbuffers-compiler libgtest-dev
  libcli11-dev nlohmann-json3-dev)

rm -rf "$out"
mkdir -p "$out/debs" "$out/root" "$out/schedules" "$out/overlap"
if ! (cd "$out/debs" && apt-get download "${packages[@]}" >/dev/null 2>&1); then
  # Stale package lists: refresh once.
  apt-get update -qq
  (cd "$out/debs" && apt-get download "${packages[@]}" >/dev/null)
fi
for deb in "$out"/debs/*.deb; do
  dpkg -x "$deb" "$out/root"
done
# Of usr/share only the CMake configs (CLI11's and nlohmann_json's) count.
rm -rf "$out/debs"
find "$out/root/usr/share" -mindepth 1 -maxdepth 1 ! -name cmake \
  -exec rm -rf {} +

if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
  cmake -G Ninja -S "$root" -B "$build" >/dev/null
fi
cmake --build "$build" --target agtf-import agtf-opt agtf-translate >/dev/null
bash "$root/test/Runtime/make-schedules.sh" "$build/bin" "$root" \
  "$out/schedules"
bash "$root/test/Runtime/make-training-inputs.sh" "$build/bin" "$root" \
  "$out/training" >/dev/null
rm -f "$out"/training/*.mlir "$out"/training/tiny-cnn.pt
bash "$root/bench/overlap/plan.sh" "$build/bin" "$out/overlap"
/usr/bin/python3 - /usr/share/datasets/fashion-mnist "$out/fashion-mnist" <<'PY'
# IDX: big-endian magic, counts, then the bytes; keep the first 8192 items.
import gzip, os, shutil, struct, sys
src, dst = sys.argv[1:3]
os.makedirs(dst, exist_ok=True)
for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"):
    data = gzip.open(f"{src}/{name}.gz").read()
    dims = data[3]
    shape = list(struct.unpack(f">{dims}I", data[4:4 + 4 * dims]))
    item = 1
    for d in shape[1:]:
        item *= d
    shape[0] = min(shape[0], 8192)
    head = data[:4] + struct.pack(f">{dims}I", *shape)
    body = data[4 + 4 * dims:4 + 4 * dims + shape[0] * item]
    with gzip.open(f"{dst}/{name}.gz", "wb") as f:
        f.write(head + body)
for name in ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
    shutil.copy(f"{src}/{name}.gz", dst)
PY
echo "gpu-prepare: $(du -sh "$out" | cut -f1) in $out: carry \".gpu-deps\""
