#!/usr/bin/env bash
# agtf-profile under mpirun with small sizes (docs/cli.md). Messages reach
# 1 MiB so that the bandwidth term stands out of the latency noise of a
# loaded host and every fitted beta is positive.
# Usage: profile.sh BIN_DIR WORK_DIR MODE, MODE one of:
#   np2, np3  the cluster file loads in gcomm-annotate-cost with workers = P,
#             every cost is finite and >= 0, the fit errors are printed and
#             the extra fits sit under "measured";
#   np1       one rank: zero communication costs, said on stdout;
#   every-rank  np2 with --kernels-on-every-rank --selection sampled: the
#             kernels are timed on both ranks and sparsify_us,
#             sparsify_us_per_element are the sampled top-k fit's;
#   errors    an unwritable -o, a bad option and ranks given different
#             sizes fail on every rank, with a message, without hanging.
set -uo pipefail
bin=$1 dir=$2 mode=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$dir"
# Both spellings of a value: --name VALUE and --name=VALUE.
small=(--max-bytes=1048576 --max-elements 10000 --reps=5 --warmup 1 --timeout=30)
graph=$dir/graph.mlir
printf 'gcomm.graph @g {\n  gcomm.tensor @w : tensor<10x100xf32>\n}\n' > "$graph"
fail() { echo "FAIL: $mode: $*"; exit 1; }

# profile NP FILE: runs agtf-profile, checks the file and what agtf-opt makes
# of it.
profile() {
  local np=$1 file=$2 out annotated
  shift 2
  rm -f "$file"
  out=$(timeout 120 mpirun -np "$np" --oversubscribe "$bin/agtf-profile" \
        -o "$file" "${small[@]}" "$@" 2>&1) || fail "np=$np exited $?: $out"
  echo "$out"
  [ -f "$file" ] || fail "np=$np wrote no $file"
  ls "$file".tmp.* 2>/dev/null && fail "np=$np left a temporary file"
  grep -q "rms err" <<<"$out" || fail "np=$np printed no fit error"
  annotated=$("$bin/agtf-opt" "$graph" --pass-pipeline="builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=$file}))" 2>&1) ||
    fail "agtf-opt rejected $file: $annotated"
  grep -q "workers = $np : i64}" <<<"$annotated" ||
    fail "no workers = $np in the cluster dictionary: $annotated"
  grep -q 'timeline = "stream"' <<<"$annotated" ||
    fail "no stream timeline: $annotated"
  python3 - "$file" "$np" <<'PY' || fail "bad values in $file"
import json, math, sys
c = json.load(open(sys.argv[1]))
P = int(sys.argv[2])
assert c["workers"] == P, c["workers"]
costs = [c["alpha_us"][k] for k in ("allreduce", "allgather", "gtopk")]
costs += [c["beta_us_per_byte"][k] for k in ("allreduce", "allgather", "gtopk")]
costs += [c[k] for k in ("sparsify_us", "sparsify_us_per_element",
                         "pack_us_per_element")]
assert all(math.isfinite(v) and v >= 0 for v in costs), costs
assert c["value_bytes"] == 4 and c["index_bytes"] == 4
m = c["measured"]
for k in ("allreduce", "allgather", "gtopk", "broadcast", "sendrecv"):
    f = m[k]
    for v in (f["alpha_us"], f["beta_us_per_byte"], f["max_rel_error"],
              f["rms_rel_error"]):
        assert math.isfinite(v) and v >= 0, (k, f)
    assert (len(f["samples"]) >= 2) == (P > 1), (k, f["samples"])
    if P == 1:
        assert f["alpha_us"] == 0 and f["beta_us_per_byte"] == 0, (k, f)
for k in ("topk", "sampled_topk", "pack"):
    assert len(m[k]["samples"]) >= 2, k
    assert all(s[1] > 0 for s in m[k]["samples"]), (k, m[k]["samples"])
if P > 1:
    assert all(v > 0 for v in costs[3:6]), "a zero beta from real traffic"
for k in ("date", "host", "device"):
    assert m[k], k
PY
}

case $mode in
np2 | np3)
  profile "${mode#np}" "$dir/cluster-$mode.json"
  ;;
every-rank)
  file=$dir/cluster-every-rank.json
  profile 2 "$file" --kernels-on-every-rank --selection sampled
  python3 - "$file" <<'PY' || fail "sparsify_us is not the sampled compressor's fit"
import json, sys
c = json.load(open(sys.argv[1]))
m = c["measured"]
assert m["kernels_timed_on"] == "every rank at once", m["kernels_timed_on"]
assert m["sparsify_fit"] == "compress (sampled top-k)", m["sparsify_fit"]
assert c["sparsify_us"] == m["compress"]["s0_us"], c
assert c["sparsify_us_per_element"] == m["compress"]["s1_us_per_element"]
assert c["decompress_us_per_element"] == m["decompress"]["us_per_element"]
assert c["decompress_us_per_element"] >= 0
for k in ("compress", "communicate", "decompress"):
    assert len(m[k]["samples"]) >= 2 and all(s[1] >= 0 for s in m[k]["samples"]), k
PY
  ;;
np1)
  out=$(profile 1 "$dir/cluster-np1.json") || { echo "$out"; exit 1; }
  echo "$out"
  grep -q "no communication" <<<"$out" || fail "np=1 did not say so"
  ;;
errors)
  # Unwritable output: every rank stops, non-zero, with a message.
  start=$SECONDS
  out=$(timeout 60 mpirun -np 2 --oversubscribe "$bin/agtf-profile" \
        -o "$dir/no-such-dir/c.json" "${small[@]}" 2>&1)
  rc=$?
  [ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "unwritable -o: rc=$rc: $out"
  grep -q "agtf-profile: cannot write '.*no-such-dir/c.json'" <<<"$out" ||
    fail "unwritable -o: no message: $out"
  out=$(timeout 60 mpirun -np 2 --oversubscribe "$bin/agtf-profile" \
        -o "$dir" "${small[@]}" 2>&1)
  rc=$?
  [ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "directory -o: rc=$rc: $out"
  grep -q "it is a directory" <<<"$out" || fail "directory -o: $out"
  # Bad options: before MPI starts, on every rank.
  for bad in "--reps 0" "--device cuda" "--max-bytes 8" "--selection fast" "--min-elements 20000000" "--frobnicate" ""; do
    args=(-o "$dir/c.json" $bad)
    [ -z "$bad" ] && args=()
    out=$(timeout 60 mpirun -np 2 --oversubscribe "$bin/agtf-profile" \
          "${args[@]}" 2>&1)
    rc=$?
    [ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "'$bad': rc=$rc: $out"
    grep -q "^agtf-profile: " <<<"$out" || fail "'$bad': no message: $out"
    echo "ok: '${bad:-no -o}' -> rc=$rc: $(grep -m1 '^agtf-profile: ' <<<"$out")"
  done
  # Ranks given other sizes would issue other collectives: every rank
  # names the option and stops, within seconds.
  out=$(timeout 60 mpirun --oversubscribe -np 1 "$bin/agtf-profile" \
        -o "$dir/c.json" "${small[@]}" --reps 2 : -np 1 "$bin/agtf-profile" \
        -o "$dir/c.json" "${small[@]}" --reps 3 2>&1)
  rc=$?
  [ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "--reps differ: rc=$rc: $out"
  [ "$(grep -c "agtf-profile: rank [01]: ranks disagree: --reps is 3 on rank 1 but 2 on rank 0" <<<"$out")" -eq 2 ] ||
    fail "--reps differ: not every rank said it: $out"
  [ $((SECONDS - start)) -lt 60 ] || fail "took $((SECONDS - start)) s"
  ;;
*)
  fail "unknown mode"
  ;;
esac
echo "ok: $mode"
