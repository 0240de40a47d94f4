# Sourced by the runtime's failure tests. expect MESSAGE COMMAND... runs
# COMMAND (for at most 60 s) and passes when it fails within 30 s, prints
# MESSAGE (a fixed string) and never printed a replay's result; else it
# prints why and sets failed=1.
failed=0
expect() {
  local message=$1; shift
  local start=$SECONDS out rc
  out=$(timeout 60 "$@" 2>&1); rc=$?
  if [ $rc -eq 0 ] || [ $rc -eq 124 ] || [ $((SECONDS - start)) -gt 30 ]; then
    echo "FAIL: rc=$rc after $((SECONDS - start)) s: $*"; echo "$out"; failed=1
  elif ! grep -qF -- "$message" <<<"$out"; then
    echo "FAIL: no '$message' in:"; echo "$out"; failed=1
  elif grep -qE '^ +measured iteration +median' <<<"$out"; then
    echo "FAIL: it ran anyway:"; echo "$out"; failed=1
  else
    echo "ok: $message"
  fi
}
