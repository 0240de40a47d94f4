#!/usr/bin/env bash
# The GPU check (issue 7, docs/gpu.md), one command on the lent GPU machine:
#   1. configure and build the runtime half (-DAGTF_COMPILER=OFF: no MLIR
#      there) against the machine's CUDA, NCCL, Open MPI and LibTorch
#      (prefix from python3's torch);
#   2. run the CPU and GPU unit tests (every CUDA kernel against its CPU
#      twin, the device engine against the CPU engine); a GPU test that
#      skips is a failure here;
#   3. agtf-run --device cuda --check: NCCL on 1 rank, MPI on 2-4 ranks
#      (--oversubscribe; several ranks share the one GPU);
#   3b. training on the device (agtf-run --model --device cuda): the
#      Fashion-CNN on the carried Fashion-MNIST slice, 1 rank with NCCL
#      (dense against the CPU, and --fuse-sparse) and 2 ranks with MPI;
#   4. the kernel benchmarks (bench/kernels/run.sh, torch.topk beside);
#   5. compute-sanitizer on the kernel and engine tests, with the time that
#      is left: memcheck (all but the 10^8-element and the slowest cases),
#      racecheck (shared-memory hazards) and synccheck (barriers and warp
#      intrinsics in divergent code) on the small cases of every kernel
#      that uses shared memory, a barrier or a warp vote, initcheck (reads
#      of device memory never written) on the small kernel cases and the
#      engine tests.
# AGTF_GPU_CHECK_PARTS (default "unit run train bench sanitize") picks the
# parts after the build, so that a rerun on a warm machine repeats only
# what failed, e.g. AGTF_GPU_CHECK_PARTS=sanitize.
# Schedules: the machine has no agtf-opt, so they are planned on the CPU
# machine by scripts/gpu-prepare.sh into .gpu-deps/schedules, which the
# run carries (or name another folder with AGTF_SCHEDULES). FlatBuffers,
# GoogleTest, CLI11 and nlohmann::json come from .gpu-deps/root when the
# machine lacks them.
# Writes to $OUT (default ./gpu-check-out): summary.md (one line per step),
# benchmarks.md (the table) and gpu-check.log (every step's output).
# Exits non-zero when any step failed. Keeps within ~9 minutes on 16 cores.
# Usage, from the repository root: scripts/gpu-check.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${OUT:-$root/gpu-check-out}
mkdir -p "$out"
log=$out/gpu-check.log
summary=$out/summary.md
: >"$log"
printf '| step | result | seconds |\n| --- | --- | --- |\n' >"$summary"
build=$root/build-gpu
deps=$root/.gpu-deps
schedules=${AGTF_SCHEDULES:-$deps/schedules}
budget=${AGTF_GPU_CHECK_SECONDS:-540}
parts=" ${AGTF_GPU_CHECK_PARTS:-unit run train bench sanitize} "
wants() { [[ $parts == *" $1 "* ]]; }
failed=0
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

note() { echo "$*" | tee -a "$log"; }
record() { # STEP RESULT SECONDS
  printf '| %s | %s | %s |\n' "$1" "$2" "$3" >>"$summary"
  note "== $1: $2 (${3}s)"
}
# step NAME TIMEOUT COMMAND...: runs it with its output in the log.
step() {
  local name=$1 limit=$2
  shift 2
  local left=$((budget - SECONDS))
  if [ "$left" -le 10 ]; then
    record "$name" "FAILED: not run, the time budget (${budget}s) is spent" 0
    failed=1
    return 1
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  note "== $name (limit ${limit}s): $*"
  local start=$SECONDS status
  # Through bash, so that exported functions run under timeout too.
  timeout "$limit" bash -c '"$@"' _ "$@" >>"$log" 2>&1
  status=$?
  if [ $status -eq 0 ]; then
    record "$name" ok $((SECONDS - start))
  elif [ $status -eq 124 ]; then
    record "$name" "FAILED: timed out after ${limit}s" $((SECONDS - start))
    failed=1
  else
    record "$name" "FAILED: exit $status" $((SECONDS - start))
    failed=1
  fi
  return $status
}

#--- 0. what the machine has ----------------------------------------------
have_gpu=1
{
  echo "== machine"
  uname -a; nproc
  nvidia-smi -L 2>&1 || true
  command -v nvcc && nvcc --version | tail -2
  command -v mpirun && mpirun --version 2>&1 | head -1
  ompi_info --parsable --all 2>/dev/null | grep mpi_built_with_cuda_support || true
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available())' 2>&1 || true
} >>"$log" 2>&1
if ! nvidia-smi -L >/dev/null 2>&1; then
  have_gpu=0
  record "GPU present" "FAILED: nvidia-smi lists no GPU: the GPU steps are not run" 0
  failed=1
fi
for tool in nvcc mpirun cmake; do
  if ! command -v $tool >/dev/null && ! [ -x /usr/local/cuda/bin/$tool ]; then
    record "$tool present" "FAILED: $tool not found" 0
    failed=1
  fi
done

#--- 1. configure and build -----------------------------------------------
prefixes=()
torch_prefix=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)' 2>/dev/null || true)
[ -n "$torch_prefix" ] && prefixes+=("$torch_prefix")
if ! command -v flatc >/dev/null || ! [ -d /usr/include/gtest ] ||
  ! [ -d /usr/include/CLI ] || ! [ -d /usr/include/nlohmann ]; then
  if [ -d "$deps/root/usr" ]; then
    note "using FlatBuffers, GoogleTest, CLI11 and nlohmann::json from $deps/root"
    prefixes+=("$deps/root/usr")
    export PATH=$deps/root/usr/bin:$PATH
    export LD_LIBRARY_PATH=$deps/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  else
    note "no flatc, gtest, CLI11 or nlohmann::json here and no $deps/root: run scripts/gpu-prepare.sh on the CPU machine and carry .gpu-deps"
  fi
fi
generator="Unix Makefiles"
command -v ninja >/dev/null && generator=Ninja
prefix_path=$(IFS=';'; echo "${prefixes[*]}")
configure() { # extra cmake options
  rm -rf "$build"
  cmake -G "$generator" -S "$root" -B "$build" -DAGTF_COMPILER=OFF \
    -DAGTF_CUDA=ON -DAGTF_NCCL=ON -DAGTF_MPI=ON -DAGTF_FLATBUFFERS=ON \
    -DAGTF_TESTS=ON -DCMAKE_CUDA_ARCHITECTURES=90 \
    "-DCMAKE_PREFIX_PATH=$prefix_path" "$@"
}
export -f configure
export generator prefix_path build root
if [ -f "$build/CMakeCache.txt" ] && [ "${AGTF_GPU_CHECK_FRESH:-0}" != 1 ]; then
  # A rerun on the warm machine: the build folder is kept between calls.
  note "reusing $build (AGTF_GPU_CHECK_FRESH=1 configures afresh)"
elif ! step "configure (with LibTorch)" 180 configure; then
  # LibTorch's CMake files can fail on a CUDA they were not built with; the
  # runtime half does not need them.
  step "configure (LibTorch off)" 120 configure -DAGTF_TORCH=OFF || true
fi
targets=(agtf-run agtf-kernel-tests agtf-engine-tests agtf-cuda-kernel-tests
         agtf-cuda-engine-tests agtf-kernel-bench)
built=0
if [ -f "$build/CMakeCache.txt" ] &&
   step build 300 cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"; then
  built=1
fi
bin=$build/bin

#--- 2. unit tests ----------------------------------------------------------
# gtest_filter: every test; a skipped GPU test means no device: a failure.
no_skips() { # BINARY [args]
  local output
  output=$("$@" 2>&1)
  local status=$?
  echo "$output"
  [ $status -ne 0 ] && return $status
  if grep -q '\[  SKIPPED \]' <<<"$output"; then
    echo "gpu-check: GPU tests skipped: no device visible to them"
    return 1
  fi
}
export -f no_skips
if [ $built = 1 ] && wants unit; then
  step "CPU unit tests (kernels, engine)" 120 bash -c \
    "'$bin/agtf-kernel-tests' && '$bin/agtf-engine-tests'"
fi
if [ $built = 1 ] && [ $have_gpu = 1 ] && wants unit; then
  step "GPU kernel tests vs CPU twins (incl. 10^8 elements)" 240 \
    no_skips "$bin/agtf-cuda-kernel-tests"
  step "GPU engine tests vs CPU engine" 120 no_skips "$bin/agtf-cuda-engine-tests"
  # Built apart, so that a LibTorch that fails to compile it costs only this
  # step. It needs a LibTorch with CUDA (the target exists only then).
  if grep -q 'agtf-cuda-trainer-tests' "$build/build.ninja" "$build/Makefile" 2>/dev/null; then
    step "GPU trainer test (gradients on a side stream)" 240 bash -c \
      "cmake --build '$build' -j $(nproc) --target agtf-cuda-trainer-tests && no_skips '$bin/agtf-cuda-trainer-tests'"
  else
    record "GPU trainer test (gradients on a side stream)" "FAILED: not configured (LibTorch without CUDA, or configured without LibTorch)" 0
    failed=1
  fi
fi

#--- 3. agtf-run on the device --------------------------------------------
run_checks() { # BACKEND NP ALGORITHMS...
  local backend=$1 np=$2 bad=0 out
  shift 2
  for algo in "$@"; do
    local s=$schedules/$algo-layerwise.bin
    if ! out=$(mpirun -np "$np" --oversubscribe "$bin/agtf-run" "$s" --replay \
        --device cuda --backend "$backend" --check --json --iters 6 \
        --warmup 1 --time-scale 0.2 --timeout 60 --epoch-iters 2 2>&1) ||
       ! grep -q '"parameters_identical": true' <<<"$out" ||
       ! grep -q '"checked": true' <<<"$out"; then
      echo "FAIL: $backend np=$np $algo"; echo "$out"; bad=1; continue
    fi
    echo "ok: $backend np=$np $algo: $(grep -o '"device": "[^"]*"' <<<"$out")"
  done
  return $bad
}
all_algos=(dense dense-f16 topk topk-sampled gtopk dgc lowrank powersgd)
if [ $built = 1 ] && [ $have_gpu = 1 ] && wants run; then
  if [ -d "$schedules" ]; then
    export -f run_checks
    export bin schedules
    step "agtf-run --device cuda --backend nccl --check, 1 rank" 120 \
      bash -c 'run_checks nccl 1 "$@"' _ "${all_algos[@]}"
    step "agtf-run --device cuda --backend mpi --check, 3 ranks" 150 \
      bash -c 'run_checks mpi 3 "$@"' _ "${all_algos[@]}"
    step "agtf-run --device cuda --backend mpi --check, 2 and 4 ranks" 120 \
      bash -c 'run_checks mpi 2 topk gtopk topk-sampled && run_checks mpi 4 topk gtopk dgc'
  else
    record "agtf-run on the device" "FAILED: no schedules in $schedules (run scripts/gpu-prepare.sh and carry .gpu-deps)" 0
    failed=1
  fi
fi

#--- 3b. training on the device -------------------------------------------
# agtf-run --model (issue 8 item 2): the Fashion-CNN on 8,192 Fashion-MNIST
# images. Every run must end with the same parameters on every rank, a
# falling loss and a test accuracy above 50%; the dense run on the GPU must
# end near the same run on the CPU (the same samples and steps; only float
# rounding differs).
training=$deps/training
train_run() { # DEVICE BACKEND NP SCHEDULE
  mpirun -np "$3" --oversubscribe "$bin/agtf-run" "$training/$4.bin" \
    --model "$training/fashion-cnn.pt" --device "$1" --backend "$2" \
    --data fashion-mnist --data-dir "$deps/fashion-mnist" \
    --train-samples 4096 --test-samples 1000 --epochs 2 --batch-size 32 \
    --lr 0.05 --timeout 60 --json
}
train_check() { # DEVICE BACKEND NP SCHEDULE [REFERENCE_JSON]
  local got
  if ! got=$(train_run "$1" "$2" "$3" "$4" 2>&1); then
    echo "FAIL: $*"; echo "$got"; return 1
  fi
  echo "$got"
  python3 - "$got" "${5:-}" <<'PY'
import json, sys
r = json.loads(sys.argv[1][sys.argv[1].index("{"):])
loss, acc = r["train_loss"], r["test_accuracy"]
assert r["parameters_identical"], "parameters differ between ranks"
assert loss[-1] < 0.8 * loss[0], f"the loss did not fall: {loss}"
assert acc[-1] > 0.5, f"test accuracy {acc[-1]} <= 0.5"
if sys.argv[2]:
    ref = json.loads(open(sys.argv[2]).read())
    a, b = loss[-1], ref["train_loss"][-1]
    assert abs(a - b) <= 0.1 * b, f"final loss {a} on the GPU, {b} on the CPU"
    print(f"final loss {a:.4f} on the GPU, {b:.4f} on the CPU")
PY
}
if [ $built = 1 ] && [ $have_gpu = 1 ] && [ -x "$bin/agtf-run" ] && wants train; then
  if [ -f "$training/fashion-cnn.pt" ]; then
    export -f train_run train_check
    export training deps
    step "training: CPU reference, 1 rank" 120 bash -c \
      'train_run cpu mpi 1 dense > "$0/train-cpu.json"' "$out"
    step "training on cuda, dense, 1 rank (NCCL), vs the CPU" 120 bash -c \
      'train_check cuda nccl 1 dense "$0/train-cpu.json"' "$out"
    step "training on cuda, --fuse-sparse, 1 rank (NCCL)" 120 \
      train_check cuda nccl 1 sparse
    step "training on cuda, dense and --fuse-sparse, 2 ranks (MPI)" 180 \
      bash -c 'train_check cuda mpi 2 dense && train_check cuda mpi 2 sparse'
  else
    record "training on the device" "FAILED: no $training (run scripts/gpu-prepare.sh and carry .gpu-deps)" 0
    failed=1
  fi
fi

#--- 4. benchmarks ----------------------------------------------------------
if [ $built = 1 ] && [ $have_gpu = 1 ] && wants bench; then
  bench() { bash "$root/bench/kernels/run.sh" "$build" | tee "$out/benchmarks.md"; }
  export -f bench
  export root build out
  step "kernel benchmarks (bench/kernels/run.sh)" 120 bash -c bench
fi

#--- 5. compute-sanitizer -----------------------------------------------------
# The small cases still take every path: the in-block refinement, the
# last-block hand-offs, the threshold rounds' decision, pack's chunks.
small='TopKCuda.TinyAndSmallTensorsEveryK:TopKCuda.HalfAndBfloatValuesWithErrorFeedback:SampledTopKCuda.HeavyTailedAtDgcDensities:SparseOpsCuda.*:DenseOpsCuda.*'
if [ $built = 1 ] && [ $have_gpu = 1 ] && wants sanitize; then
  sanitizer=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
  sanitize() { # TOOL BINARY FILTER
    "$sanitizer" --tool "$1" --error-exitcode 1 "$2" "--gtest_filter=$3"
  }
  export -f sanitize
  export sanitizer
  step "compute-sanitizer memcheck on the kernel tests" 150 sanitize memcheck \
    "$bin/agtf-cuda-kernel-tests" \
    '-*Large100M*:*ManyCandidates*:*ThresholdRounds*:*TiesUniformConstantAndZeros*'
  step "compute-sanitizer racecheck on the small kernel cases" 120 sanitize \
    racecheck "$bin/agtf-cuda-kernel-tests" "$small"
  step "compute-sanitizer synccheck on the small kernel cases" 90 sanitize \
    synccheck "$bin/agtf-cuda-kernel-tests" "$small:TopKCuda.TiesGoToTheLowerIndex"
  step "compute-sanitizer initcheck on the small kernel cases" 90 sanitize \
    initcheck "$bin/agtf-cuda-kernel-tests" "$small"
  step "compute-sanitizer memcheck and initcheck on the engine tests" 120 \
    bash -c 'sanitize memcheck "$0" "*" && sanitize initcheck "$0" "*"' \
    "$bin/agtf-cuda-engine-tests"
fi

note ""
note "gpu-check: $([ $failed = 0 ] && echo 'all steps passed' || echo 'FAILED') in ${SECONDS}s"
cat "$summary"
[ -f "$out/benchmarks.md" ] && cat "$out/benchmarks.md"
exit $failed
