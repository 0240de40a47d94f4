#!/usr/bin/env bash
# Compares two bench/fingerprint/run.sh outputs: every schedule and every
# training run must be the same, bit for bit. Prints the differences and a
# summary line; exits 1 when anything differs.
# Usage: bench/fingerprint/compare.sh BEFORE_DIR AFTER_DIR
set -uo pipefail
before=$1 after=$2
status=0
for f in plans.sha256 training.sha256; do
  if diff "$before/$f" "$after/$f"; then
    echo "same: $f ($(wc -l <"$before/$f") entries)"
  else
    echo "DIFFERENT: $f"
    status=1
  fi
done
exit $status
