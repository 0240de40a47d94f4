#!/usr/bin/env bash
# LibTorch training under mpirun (docs/training.md): the Fashion-CNN trained
# for 3 short epochs on 2 ranks with a dense layer-wise schedule and with
# the --fuse-sparse plan (top-k buckets): every rank must end with
# bit-identical parameters and the training loss must fall; dense on 2
# ranks must match one process with the same global batch. Then schedules
# of other models, --device cuda without a GPU, a --save path that
# cannot be written and damaged data must fail on every rank with the
# message, quickly. The model and schedules come from
# make-training-inputs.sh (never committed).
# Ranks with different data, or whose parameters end apart (rank 1's float
# sums corrupted by FAULTS_LIBRARY, test/Runtime/MpiFaults.c, when given),
# fail on every rank with the message.
# Usage: train.sh BIN_DIR OUT_DIR [FAULTS_LIBRARY]
set -uo pipefail
bin=$1 out=$2 faults=${3:-}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

failed=0
for s in dense sparse; do
  json=$(timeout 120 mpirun -np 2 --oversubscribe "$bin/agtf-run" \
    "$out/$s.bin" --model "$out/fashion-cnn.pt" --train-samples 512 \
    --test-samples 256 --epochs 3 --batch-size 32 --lr 0.1 --json \
    --save "$out/$s-trained.pt" --log "$out/$s.csv" 2>&1)
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL: $s: rc=$rc"; echo "$json"; failed=1; continue
  fi
  if ! /usr/bin/python3 - "$json" "$out/$s.csv" "$out/$s-trained.pt" "$s" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
# The residual each bucket left (docs/runtime.md, "Measured residual"): 0
# for dense buckets, some but not all of the energy for top-k ones.
res = r["residual"]
kinds = {b["kind"] for b in res["buckets"]}
assert ("topk" in kinds) == (sys.argv[4] == "sparse"), kinds
# every step, or none where no bucket is measured
assert res["iterations"] == (3 * 8 if "topk" in kinds else 0), res
for b in res["buckets"]:
    v = b["relative_residual"]
    assert (v == 0) if b["kind"] == "dense" else (0 < v < 1), b
    assert all(0 <= m["relative_residual"] <= 1 for m in b["members"]), b
hashes = r["parameter_hashes"]
assert len(hashes) == 2 and len(set(hashes)) == 1, hashes
assert r["parameters_identical"], r
loss = r["train_loss"]
assert loss[-1] < loss[0], f"training loss did not fall: {loss}"
rows = open(sys.argv[2]).read().split()
assert rows[0] == "epoch,train_loss,test_accuracy,samples_per_s,seconds", rows
assert len(rows) == 4, rows
import torch
torch.jit.load(sys.argv[3])
print(f"loss {loss[0]:.4f} -> {loss[-1]:.4f}, accuracy {r['test_accuracy']}, "
      f"{r['samples_per_s'][-1]:.0f} samples/s, parameters {hashes[0]} on both ranks")
PY
  then
    echo "FAIL: $s"; echo "$json"; failed=1
  else
    echo "ok: $s"
  fi
done

# A learning rate that makes training diverge: every rank stops at the
# same check with the message, exits non-zero, and --save writes nothing
# (issue 19). With 4 steps an epoch the first check is the epoch's last.
rm -f "$out/diverged.pt"
start=$SECONDS
timeout 120 mpirun -np 2 --oversubscribe "$bin/agtf-run" "$out/dense.bin" \
  --model "$out/fashion-cnn.pt" --train-samples 256 --test-samples 64 \
  --epochs 2 --batch-size 32 --lr 1e30 --json --save "$out/diverged.pt" \
  > "$out/diverged.json" 2> "$out/diverged.err"
rc=$?
stopped="not finite on rank 0, 1 (epoch 1, by step 4): training stopped on every rank, nothing saved"
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && [ $((SECONDS - start)) -lt 60 ] &&
   grep -q "rank 0: .*$stopped" "$out/diverged.err" &&
   grep -q "rank 1: .*$stopped" "$out/diverged.err" &&
   [ ! -e "$out/diverged.pt" ] && ! grep -q train_loss "$out/diverged.json"; then
  echo "ok: a diverged run stops on every rank: $(head -1 "$out/diverged.err")"
else
  echo "FAIL: diverged run: rc=$rc after $((SECONDS - start)) s"
  cat "$out/diverged.json" "$out/diverged.err"; failed=1
fi

# Dense on 2 ranks with batch 16 takes the same samples per step as one
# process with batch 32 and averages to the same gradient: the parameters
# after 8 steps must agree up to float rounding (a wrong shard or average
# moves them by ~1e-3).
for run in "2 16 two" "1 32 one"; do
  read -r np batch name <<<"$run"
  timeout 120 mpirun -np "$np" --oversubscribe "$bin/agtf-run" \
    "$out/dense.bin" --model "$out/fashion-cnn.pt" --train-samples 256 \
    --test-samples 64 --batch-size "$batch" --lr 0.1 --json \
    --save "$out/$name-process.pt" > /dev/null 2>&1 ||
    { echo "FAIL: dense on $np process(es)"; failed=1; }
done
if /usr/bin/python3 - "$out" <<'PY'
import sys, torch
out = sys.argv[1]
two, one, start = (dict(torch.jit.load(f"{out}/{n}.pt").named_parameters())
                   for n in ("two-process", "one-process", "fashion-cnn"))
moved = max((one[k] - start[k]).abs().max().item() for k in one)
diff = max((one[k] - two[k]).abs().max().item() for k in one)
assert moved > 1e-3 and diff < 1e-6, (moved, diff)
print(f"ok: 2 ranks = 1 process: parameters moved {moved:.2g}, differ by {diff:.2g}")
PY
then :; else echo "FAIL: 2 ranks and 1 process disagree"; failed=1; fi

expect() { # MESSAGE SCHEDULE MODEL [OPTION...]
  local start=$SECONDS got rc message=$1 schedule=$2 model=$3
  shift 3
  got=$(timeout 60 mpirun -np 2 --oversubscribe "$bin/agtf-run" "$schedule" \
    --model "$model" --train-samples 64 --test-samples 64 "$@" 2>&1); rc=$?
  if [ $rc -eq 0 ] || [ $rc -eq 124 ] || [ $((SECONDS - start)) -gt 30 ]; then
    echo "FAIL: rc=$rc after $((SECONDS - start)) s"; echo "$got"; failed=1
  elif [ "$(grep -c -- "$message" <<<"$got")" -ne 2 ]; then
    echo "FAIL: not every rank said '$message':"; echo "$got"; failed=1
  else
    echo "ok: $message"
  fi
}
expect "agtf-run: rank [01]: $out/reshaped.bin was made for another model: tensor 'fc3.weight' is 84x10 in the schedule, 10x84 in $out/fashion-cnn.pt" \
  "$out/reshaped.bin" "$out/fashion-cnn.pt"
expect "$out/dense.bin was made for another model: tensor 'fc3.bias' is in the schedule but is not a trainable parameter of $out/tiny-cnn.pt" \
  "$out/dense.bin" "$out/tiny-cnn.pt"
# Where there is no GPU (a GPU trains: scripts/gpu-check.sh covers that).
if ! nvidia-smi -L >/dev/null 2>&1; then
  expect "agtf-run: rank [01]: --device cuda: \(no CUDA device is visible on this host\|this build has no CUDA\)" \
    "$out/dense.bin" "$out/fashion-cnn.pt" --device cuda
fi
expect "agtf-run: rank [01]: cannot write '$out/missing/trained.pt': No such file or directory" \
  "$out/dense.bin" "$out/fashion-cnn.pt" --save "$out/missing/trained.pt"
# Damaged data: every rank names the file.
mkdir -p "$out/bad-data"
for f in train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  ln -sf "/usr/share/datasets/fashion-mnist/$f.gz" "$out/bad-data/$f.gz"
done
printf 'this is not an IDX file of images' | gzip > "$out/bad-data/train-images-idx3-ubyte.gz"
expect "agtf-run: rank [01]: '$out/bad-data/train-images-idx3-ubyte.gz' is not an IDX file of Fashion-MNIST images (28x28 unsigned bytes)" \
  "$out/dense.bin" "$out/fashion-cnn.pt" --data-dir "$out/bad-data"

expect_job() { # MESSAGE MPIRUN-ARGS...: both ranks say it
  local start=$SECONDS got rc message=$1
  shift
  got=$(timeout 60 mpirun --oversubscribe "$@" 2>&1); rc=$?
  if [ $rc -eq 0 ] || [ $rc -eq 124 ] || [ $((SECONDS - start)) -gt 30 ]; then
    echo "FAIL: rc=$rc after $((SECONDS - start)) s"; echo "$got"; failed=1
  elif [ "$(grep -c -- "agtf-run: rank [01]: $message" <<<"$got")" -ne 2 ]; then
    echo "FAIL: not every rank said '$message':"; echo "$got"; failed=1
  else
    echo "ok: $message"
  fi
}
train=("$bin/agtf-run" "$out/dense.bin" --model "$out/fashion-cnn.pt"
       --train-samples 64 --test-samples 64)
# Batches of other sizes would end in MPI_ERR_TRUNCATE.
expect_job "ranks disagree: --batch-size is 16 on rank 1 but 32 on rank 0" \
  -np 1 "${train[@]}" : -np 1 "${train[@]}" --batch-size 16
expect_job "ranks disagree: --data-dir is $out/bad-data (bytes hash 0x[0-9a-f]*) on rank 1 but /usr/share/datasets/fashion-mnist (bytes hash 0x[0-9a-f]*) on rank 0" \
  -np 1 "${train[@]}" : -np 1 "${train[@]}" --data-dir "$out/bad-data"
# A failure of one rank's own before the first collective (here its --log
# cannot be written) stops the other at once, not at --timeout.
expect_job "cannot write '$out/missing/rank1.csv': No such file or directory" \
  -np 1 "${train[@]}" : -np 1 "${train[@]}" --log "$out/missing/rank1.csv"
if [ -n "$faults" ]; then
  rm -f "$out/apart.pt"
  expect_job "the ranks' parameters differ after the run: rank 1's hash 0x[0-9a-f]* is not rank 0's" \
    -np 1 "${train[@]}" --save "$out/apart.pt" : \
    -np 1 env LD_PRELOAD="$faults" AGTF_FAULT=corrupt-allreduce "${train[@]}"
  if [ -e "$out/apart.pt" ]; then
    echo "FAIL: ranks that ended apart saved a model"; failed=1
  fi
fi
exit $failed
