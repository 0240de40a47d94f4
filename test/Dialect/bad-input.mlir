// Bad input: a clear error naming the problem, a non-zero exit, and no
// output file left behind.
// RUN: rm -f %t.out
// RUN: not agtf-opt %t.missing.mlir -o %t.out 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: test ! -e %t.out
// RUN: not agtf-opt %S/Inputs/malformed.mlir -o %t.out 2>&1 | FileCheck %s --check-prefix=MALFORMED
// RUN: test ! -e %t.out
// RUN: not agtf-opt %s --fuse-sparse -o %t.out 2>&1 | FileCheck %s --check-prefix=PASSFAIL
// RUN: test ! -e %t.out

// MISSING: cannot open input file '{{.*}}missing.mlir': No such file or directory
// MALFORMED: malformed.mlir:2:49: error: expected attribute value
// PASSFAIL: error: 'gcomm.tensor' op tensor @w has neither backward_us nor flops
gcomm.graph @g {
  gcomm.tensor @w : tensor<10x10xf32>
}
