#!/usr/bin/env bash
# bench/e2e/netns.sh's autogroups setting, on a stand-in for
# /proc/sys/kernel/sched_autogroup_enabled (no root needed): a harness sets
# it and restores the host's value when it ends; of two harnesses that run
# at once, the last to end restores it, with the value the host had before
# the first; a harness that was killed leaves the host's value saved, and
# the next one to end restores it; a bad value is refused.
# Usage: autogroups.sh SOURCE_DIR WORK_DIR
set -uo pipefail
src=$1 dir=$2
rm -rf "$dir" && mkdir -p "$dir"
fail() { echo "FAIL: $*"; exit 1; }
export E2E_AUTOGROUP_FILE=$dir/enabled E2E_AUTOGROUP_STATE=$dir/state
netns=$src/bench/e2e/netns.sh
value() { cat "$E2E_AUTOGROUP_FILE"; }
# A harness: sets MODE, says so on its stdout with its pid, and holds it
# until the file GO exists (or, without GO, ends at once).
harness() { # MODE [GO]; says "set PID" once it holds the setting
  bash -c 'source "$1"; e2e_autogroups "$2" || exit $?; echo "set $$"
           while [ -n "$3" ] && [ ! -e "$3" ]; do sleep 0.05; done
           e2e_autogroups_restore' _ "$netns" "$@"
}
wait_for() { # FILE: until it says "set"
  for _ in $(seq 200); do grep -q set "$1" 2>/dev/null && return 0; sleep 0.05; done
  fail "a harness did not start: $(cat "$1")"
}

echo 1 > "$E2E_AUTOGROUP_FILE"
harness off > /dev/null || fail "one harness failed"
[ "$(value)" = 1 ] || fail "one harness left $(value), not the host's 1"
echo "ok: one harness restores"

harness off "$dir/go-a" > "$dir/a" & a=$!
wait_for "$dir/a"
[ "$(value)" = 0 ] || fail "the first harness did not set 0"
harness off "$dir/go-b" > "$dir/b" & b=$!
wait_for "$dir/b"
touch "$dir/go-a"; wait $a
[ "$(value)" = 0 ] || fail "the first to end restored $(value) under the second"
touch "$dir/go-b"; wait $b
[ "$(value)" = 1 ] || fail "the last to end left $(value), not the host's 1"
echo "ok: the last of two restores the host's value"

harness off "$dir/never" > "$dir/c" & c=$!
wait_for "$dir/c"
kill -9 "$(awk '{print $2}' "$dir/c")"
{ wait $c; } 2>/dev/null
[ "$(value)" = 0 ] || fail "the killed harness's setting is gone"
harness off > /dev/null || fail "the harness after a killed one failed"
[ "$(value)" = 1 ] || fail "after a killed harness, $(value) was left, not 1"
[ ! -e "$E2E_AUTOGROUP_STATE/saved" ] || fail "the saved value was left behind"
echo "ok: a killed harness's value is restored by the next"

out=$(harness maybe 2>&1); status=$?
[ $status = 2 ] || fail "a bad value exited $status, not 2"
grep -q "autogroups must be on, off or keep, not 'maybe'" <<<"$out" ||
  fail "no message for a bad value: $out"
[ "$(value)" = 1 ] || fail "a bad value changed the setting"
echo "ok: a bad value is refused"
echo PASS
