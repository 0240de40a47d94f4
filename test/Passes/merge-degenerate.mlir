// RUN: agtf-opt %s --split-input-file --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=optimal compression=topk},gcomm-simulate))' | FileCheck %s
// RUN: agtf-opt %s --split-input-file --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=omgs compression=topk},gcomm-simulate))' | FileCheck %s
// RUN: agtf-opt %s --split-input-file --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=agtf compression=topk},gcomm-simulate))' | FileCheck %s --check-prefix=AGTF

// One tensor: one bucket, whatever the strategy. ready 10+10 = 20,
// tc = 100 + 0.08 * 10 = 100.8.
// CHECK-LABEL: gcomm.graph @one
// CHECK: gcomm.bucket @b0 [@w] compress #gcomm.topk<density = 0.01> via allgather {predicted = #gcomm.times<ready = 20.0, start = 20.0, end = 120.8>}
// AGTF-LABEL: gcomm.graph @one
// AGTF: gcomm.bucket @b0 [@w]
gcomm.graph @one {
  gcomm.tensor @w : tensor<10x100xf32> {backward_us = 10.0, density = 0.01}
}

// -----

// All dense (vectors): dense allreduce buckets, never top-k.
// CHECK-LABEL: gcomm.graph @dense
// CHECK-NOT: #gcomm.topk
// CHECK: compress #gcomm.dense<f32> via allreduce
// AGTF-LABEL: gcomm.graph @dense
// AGTF-NOT: #gcomm.topk
gcomm.graph @dense {
  gcomm.tensor @b1 : tensor<100xf32> {backward_us = 10.0}
  gcomm.tensor @b2 : tensor<100xf32> {backward_us = 10.0}
}
