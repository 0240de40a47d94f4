// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json workers=1},gcomm-merge{strategy=optimal compression=topk density=0.01},gcomm-simulate))' | FileCheck %s

// P = 1 (the option overrides the file): nothing is communicated, and on
// the serial timeline each bucket adds a 10 us sparsification, so a single
// bucket is best: 10 + 20 + 10 = 40.
// CHECK: predicted_iter_us = 4.000000e+01
// CHECK: gcomm.bucket @b0 [@x, @y] {{.*}} {predicted = #gcomm.times<ready = 40.0, start = 40.0, end = 40.0>}
gcomm.graph @alone {
  gcomm.tensor @x : tensor<10x100xf32> {backward_us = 10.0}
  gcomm.tensor @y : tensor<10x100xf32> {backward_us = 20.0}
}
