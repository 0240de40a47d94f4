// RUN: %python %S/../../bench/make_graph.py synthetic 300 %t.mlir
// RUN: %python %S/Inputs/check-optimality-gap.py agtf-opt %t.mlir | FileCheck %s
// RUN: not agtf-opt %t.mlir --fuse-sparse='workers=16 optimality-gap=-1' 2>&1 | FileCheck %s --check-prefix=NEGATIVE

// --fuse-sparse's optimality-gap (default 0.01): each plan within its gap
// of the exact optimum (gap 0), under the noise guard, and its certificate
// optimal_lower_bound_us below the optimum; gap 0 certifies the optimum.
// CHECK: exact: [[T:[0-9.]+]] us, bound [[T]]
// CHECK: the plans are within their gaps
// NEGATIVE: error: gcomm-merge: optimality-gap must be finite and >= 0, got -1.0
