#!/usr/bin/env bash
# The CUDA diagnostics check must catch each class it is there for: every
# fixture in test/Cuda/Diagnostics fails the checks named here, with the
# diagnostic that names the defect. Without this, a check that silently
# stopped working (a flag dropped, a tool missing) would pass everything.
# Usage: diagnostics-catch.sh CHECKER FIXTURE_DIR (NVCC, CLANG_CUDA as for
# the checker; without CLANG_CUDA the clang cases are skipped).
set -uo pipefail
checker=$1
fixtures=$2
bad=0
expect_caught() { # CHECK FIXTURE PATTERN
  local output
  if output=$(bash "$checker" --check "$1" "$fixtures/$2" 2>&1); then
    echo "FAIL: the $1 check passed $2"
    echo "$output"
    bad=1
  elif ! grep -q -- "$3" <<<"$output"; then
    echo "FAIL: the $1 check refused $2 without '$3':"
    echo "$output"
    bad=1
  else
    echo "ok: the $1 check refuses $2 ($3)"
  fi
}
expect_caught nvcc-debug recursive-clear.cu "cannot be statically determined"
expect_caught nvcc default-stream-launch.cu "explicit stream argument"
if [ -n "${CLANG_CUDA:-}" ]; then
  expect_caught clang recursive-clear.cu "call itself"
  expect_caught clang index-truncation.cu "Wshorten-64-to-32"
else
  echo "note: no CLANG_CUDA: the clang cases were not run"
fi
exit $bad
