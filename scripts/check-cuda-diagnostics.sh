#!/usr/bin/env bash
# Compiles CUDA sources with the strictest diagnostics this machine has and
# fails on any of them (issue 16; docs/gpu.md, "What the build checks"):
#   nvcc        -O3 as built, every warning an error (nvcc's front end, the
#               host compiler's -Wall -Wextra, ptxas), launches must name
#               their stream (-Wdefault-stream-launch): a kernel on the
#               legacy default stream escapes the engine's event order;
#   nvcc-debug  the same with -G: device code is not optimised, so ptxas
#               sees any recursion left in it and cannot size the stack (an
#               error here). At -O3 nvcc silently deletes an infinitely
#               recursive __device__ function, which is how RadixSelect.cu's
#               clearHistogram once compiled into nothing;
#   clang       clang++-19's CUDA front end, host and sm_90, syntax only,
#               with -Wall -Wextra -Winfinite-recursion -Wshorten-64-to-32
#               (an implicit 64-to-32-bit narrowing: the index overflow
#               class) as errors. Clang 19 knows CUDA up to 12.5: CUDA 13
#               dropped texture_fetch_functions.h, which clang's wrapper
#               still includes, and clang has no __ldcg; a shim folder
#               supplies an empty header and a plain-load __ldcg, enough to
#               parse.
# Spill reports stay informational: they belong to the normal build
# (-Xptxas=-warn-spills), never to this check.
#
# Usage: scripts/check-cuda-diagnostics.sh [--check NAME]... [FILE.cu...]
#   default files: every .cu under kernels/ runtime/ bench/ tools/ examples/
#   NVCC, CLANG_CUDA, CUDA_ARCH (90) and BUILD_DIR (build) override the
#   tools, the target and the folder with generated headers.
# Exits 0 when every check passed, 1 when one failed, 77 without nvcc.
# Without clang++-19 the clang check is reported as skipped.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

checks=()
files=()
while [ $# -gt 0 ]; do
  case $1 in
  --check)
    checks+=("$2")
    shift 2
    ;;
  -h | --help)
    sed -n '2,30p' "$0"
    exit 0
    ;;
  *)
    files+=("$1")
    shift
    ;;
  esac
done
[ ${#checks[@]} -eq 0 ] && checks=(nvcc nvcc-debug clang)
for c in "${checks[@]}"; do
  case $c in
  nvcc | nvcc-debug | clang) ;;
  *)
    echo "check-cuda-diagnostics: unknown check '$c' (nvcc, nvcc-debug, clang)" >&2
    exit 2
    ;;
  esac
done
if [ ${#files[@]} -eq 0 ]; then
  while IFS= read -r f; do files+=("$f"); done < <(
    find kernels runtime bench tools examples -name '*.cu' 2>/dev/null | sort)
fi

nvcc=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
if ! [ -x "$nvcc" ]; then
  echo "check-cuda-diagnostics: no nvcc (set NVCC): skipped"
  exit 77
fi
cuda_root=$(cd "$(dirname "$nvcc")/.." && pwd)
clang=${CLANG_CUDA:-$(command -v clang++-19 || true)}
arch=${CUDA_ARCH:-90}
build=${BUILD_DIR:-build}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/shim"
: >"$work/shim/texture_fetch_functions.h"
cat >"$work/shim/ldcg.h" <<'EOF'
// Clang 19 lacks __ldcg; a plain load parses the same (syntax only).
template <typename T> __device__ inline T __ldcg(const T *p) {
  return *(const volatile T *)p;
}
EOF

common=(-std=c++17 -I"$root" -I"$build")
nvcc_flags=("${common[@]}" -x cu "--generate-code=arch=compute_$arch,code=sm_$arch"
  -Werror all-warnings -Wreorder -Wdefault-stream-launch
  -Xcompiler=-Wall,-Wextra,-Winfinite-recursion,-Werror)
clang_flags=("${common[@]}" -x cuda --cuda-path="$cuda_root"
  --cuda-gpu-arch=sm_$arch -nocudalib -fsyntax-only
  -Wall -Wextra -Winfinite-recursion -Wshorten-64-to-32 -Werror
  -Wno-unknown-cuda-version -Xclang -target-sdk-version=12.5
  -isystem "$work/shim" -include "$work/shim/ldcg.h"
  -isystem "$cuda_root/include/cccl")

failed=0
skipped=0
run_check() { # CHECK FILE
  local check=$1 file=$2 output status
  case $check in
  nvcc) output=$("$nvcc" "${nvcc_flags[@]}" -O3 -c "$file" -o "$work/o.o" 2>&1) ;;
  nvcc-debug) output=$("$nvcc" "${nvcc_flags[@]}" -G -c "$file" -o "$work/o.o" 2>&1) ;;
  clang)
    if [ -z "$clang" ]; then
      skipped=1
      return 0
    fi
    output=$("$clang" "${clang_flags[@]}" "$file" 2>&1)
    ;;
  esac
  status=$?
  if [ $status -eq 0 ] && [ -z "$output" ]; then
    echo "ok      $check $file"
  else
    echo "FAILED  $check $file"
    echo "$output" | sed 's/^/        /'
    failed=1
  fi
}

for file in "${files[@]}"; do
  for check in "${checks[@]}"; do
    run_check "$check" "$file"
  done
done
if [ $skipped = 1 ]; then
  echo "check-cuda-diagnostics: clang++-19 not found (install clang-19, or set CLANG_CUDA): the clang check was skipped"
fi
if [ $failed = 0 ]; then
  echo "check-cuda-diagnostics: ${#files[@]} files clean (${checks[*]})"
fi
exit $failed
