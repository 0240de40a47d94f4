#!/usr/bin/env bash
# Fuzzes the schedule reader with libFuzzer (clang-14, ASan, UBSan).
# Usage: scripts/fuzz-schedule.sh [SECONDS=60] [BUILD_DIR=build-fuzz]
# Exit 0: no finding; 1: a finding (the crashing input is kept under
# BUILD_DIR/findings); 77: clang-14 with libFuzzer is missing (skipped).
set -euo pipefail
seconds=${1:-60}
dir=${2:-build-fuzz}
src=$(cd "$(dirname "$0")/.." && pwd)
cxx=${FUZZ_CXX:-clang++-14}
if ! command -v "$cxx" > /dev/null ||
   ! echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long){return 0;}' |
     "$cxx" -x c++ -fsanitize=fuzzer - -o /dev/null 2> /dev/null; then
  echo "fuzz-schedule: skipped: $cxx with libFuzzer not found (install clang-14 libclang-rt-14-dev)"
  exit 77
fi
mkdir -p "$dir/runtime" "$dir/corpus" "$dir/findings"
flatc --cpp --scoped-enums -o "$dir/runtime" "$src/runtime/Schedule.fbs"
common=(-std=c++17 -I"$src" -I"$dir" "$src/runtime/ScheduleReader.cpp"
        "$src/runtime/LayoutHash.cpp" "$src/passes/cost/Problem.cpp"
        "$src/kernels/cpu/TopK.cpp")
"$cxx" -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  "${common[@]}" "$src/runtime/fuzz/ScheduleReaderFuzzer.cpp" \
  -o "$dir/schedule-fuzzer"
"$cxx" -O1 "${common[@]}" "$src/runtime/ScheduleBuilder.cpp" \
  "$src/runtime/OutputFile.cpp" "$src/runtime/fuzz/MakeSeeds.cpp" \
  -o "$dir/make-seeds"
"$dir/make-seeds" "$dir/corpus"
# -close_fd_mask=1 silences the target's stdout; findings go to findings/.
"$dir/schedule-fuzzer" "$dir/corpus" -max_total_time="$seconds" \
  -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$dir/findings/" 2>&1 | tee "$dir/fuzz.log" |
  grep -E "^#[0-9]+ *(INITED|DONE)|^stat::number_of_executed_units|^stat::peak_rss|ERROR|SUMMARY" || true
if ls "$dir/findings/"* > /dev/null 2>&1; then
  echo "fuzz-schedule: FINDING: $(ls "$dir/findings")" >&2
  exit 1
fi
echo "fuzz-schedule: no finding in ${seconds} s"
