// Bad input: a clear error naming the problem, a non-zero exit, no output.
// RUN: rm -rf %t && mkdir -p %t
// RUN: agtf-translate --gcomm-to-schedule %s -o %t/good.bin
// RUN: not agtf-translate --schedule-to-json %s -o %t/out 2>&1 | FileCheck %s --check-prefix=MLIR
// RUN: test ! -e %t/out
// RUN: echo '{"workers": 4}' > %t/sched.json
// RUN: not agtf-translate --schedule-to-gcomm %t/sched.json -o %t/out 2>&1 | FileCheck %s --check-prefix=MLIR
// RUN: test ! -e %t/out
// RUN: head -c 40 %t/good.bin > %t/truncated.bin
// RUN: not agtf-translate --schedule-to-json %t/truncated.bin -o %t/out 2>&1 | FileCheck %s --check-prefix=CORRUPT
// RUN: test ! -e %t/out
// RUN: %python %S/Inputs/corrupt.py %t/good.bin %t | FileCheck %s --check-prefix=FUZZ
// RUN: not agtf-translate --schedule-to-json %t/missing.bin 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not agtf-translate --gcomm-to-schedule %S/Inputs/unplanned.mlir -o %t/out 2>&1 | FileCheck %s --check-prefix=UNPLANNED
// RUN: not agtf-translate --gcomm-to-schedule %S/Inputs/two-graphs.mlir -o %t/out 2>&1 | FileCheck %s --check-prefix=TWO
// RUN: test ! -e %t/out

// MLIR: error: not an AGTF schedule (no 'AGTF' file identifier)
// CORRUPT: error: {{.*}}
// FUZZ: 300 corrupted files: every one refused or read, no crash
// MISSING: cannot open input file '{{.*}}missing.bin'
// UNPLANNED: error: gcomm-to-schedule: @g has no buckets: run gcomm-merge first
// TWO: error: gcomm-to-schedule: expected one gcomm.graph, found 2
gcomm.graph @g attributes {workers = 2 : i64} {
  gcomm.tensor @a : tensor<10x100xf32> {backward_us = 10.0}
  gcomm.bucket @b0 [@a] compress #gcomm.topk<density = 0.1> via allgather
}
