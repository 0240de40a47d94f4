#!/usr/bin/env bash
# Run on the CPU machine, before scripts/gpu-check.sh runs on the lent GPU
# machine: makes .gpu-deps/, the one folder the device `run` must carry
# (docs/gpu.md). The GPU machine has no MLIR and no package registry, so:
#   .gpu-deps/schedules/  the runtime test schedules, planned with agtf-opt
#                         and written with agtf-translate here (as the
#                         runtime-make-schedules test does)
#   .gpu-deps/root/       Debian's FlatBuffers (headers, library, flatc) and
#                         GoogleTest (headers, static libraries), unpacked;
#                         gpu-check.sh uses them only where the machine has
#                         none of its own
# Usage: scripts/gpu-prepare.sh [BUILD_DIR]   (default: build; configured
# with the compiler half, it builds agtf-opt and agtf-translate)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=$root/.gpu-deps
packages=(libflatbuffers-dev libflatbuffers2 flatbuffers-compiler libgtest-dev)

rm -rf "$out"
mkdir -p "$out/debs" "$out/root" "$out/schedules"
if ! (cd "$out/debs" && apt-get download "${packages[@]}" >/dev/null 2>&1); then
  # Stale package lists: refresh once.
  apt-get update -qq
  (cd "$out/debs" && apt-get download "${packages[@]}" >/dev/null)
fi
for deb in "$out"/debs/*.deb; do
  dpkg -x "$deb" "$out/root"
done
rm -rf "$out/debs" "$out/root/usr/share"

if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
  cmake -G Ninja -S "$root" -B "$build" >/dev/null
fi
cmake --build "$build" --target agtf-opt agtf-translate >/dev/null
bash "$root/test/Runtime/make-schedules.sh" "$build/bin" "$root" \
  "$out/schedules"
echo "gpu-prepare: $(du -sh "$out" | cut -f1) in $out: carry \".gpu-deps\""
