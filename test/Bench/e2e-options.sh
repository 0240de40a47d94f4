#!/usr/bin/env bash
# bench/e2e/run.sh refuses bad options before it builds a network or runs
# anything: exit status 2 and a message naming the option (no root needed).
# Usage: e2e-options.sh SOURCE_DIR WORK_DIR
set -uo pipefail
src=$1 dir=$2
rm -rf "$dir" && mkdir -p "$dir"
fail() { echo "FAIL: $*"; exit 1; }
expect() { # PATTERN ARGS...
  local pattern=$1 out status
  shift
  out=$(bash "$src/bench/e2e/run.sh" --out "$dir/out" "$@" 2>&1)
  status=$?
  [ $status = 2 ] || fail "run.sh $* exited $status, not 2: $out"
  grep -qF -- "$pattern" <<<"$out" || fail "run.sh $*: no '$pattern' in: $out"
  [ ! -e "$dir/out" ] || fail "run.sh $* left $dir/out"
  echo "ok: $pattern"
}
expect "--autogroups must be on, off or keep, not 'maybe'" --autogroups maybe
expect "--compare-fit '$dir/none' is not an executable agtf-profile" \
  --compare-fit "$dir/none"
touch "$dir/tool" && chmod +x "$dir/tool"
expect "--compare-fit needs --calibrate yes" --compare-fit "$dir/tool" --calibrate no
expect "unknown option '--bogus'" --bogus 1
echo PASS
