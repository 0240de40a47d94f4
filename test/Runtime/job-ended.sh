# Sourced by the tests of a faulty rank (dead-rank.sh, faulty-rank.sh):
# judges a job that had to end. Each function prints ok or FAIL and sets
# failed=1 on a failure.

# ended NAME RC START OUTPUT MESSAGE [COUNT]: the job ended non-zero within
# 30 s of START (in $SECONDS) and not by the test's timeout, and at least
# COUNT (default 1) lines of OUTPUT match MESSAGE.
ended() {
  local name=$1 rc=$2 start=$3 out=$4 message=$5 count=${6:-1}
  if [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ] || [ $((SECONDS - start)) -gt 30 ]; then
    echo "FAIL ($name): rc=$rc after $((SECONDS - start)) s"; echo "$out"
    failed=1; return 1
  fi
  if [ "$(grep -c -- "$message" <<<"$out")" -lt "$count" ]; then
    echo "FAIL ($name): not $count line(s) with '$message' in:"; echo "$out"
    failed=1; return 1
  fi
  echo "ok ($name): rc=$rc after $((SECONDS - start)) s: $(grep -m1 -- "$message" <<<"$out")"
}

# nothing_left NAME PATTERN: no process whose command line matches PATTERN
# is left (any that is gets killed).
nothing_left() {
  sleep 1
  if pgrep -f "$2" > /dev/null; then
    echo "FAIL ($1): processes left behind"; pkill -9 -f "$2"
    failed=1
  fi
}
