// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=layerwise}))' | FileCheck %s --check-prefix=LAYER
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=single compression=topk density=0.01}))' | FileCheck %s --check-prefix=SINGLE
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=layerwise compression=gtopk density=0.01}))' | FileCheck %s --check-prefix=GTOPK
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=layerwise compression=lowrank rank=2}))' | FileCheck %s --check-prefix=LOWRANK

// Four tensors: bias (10), weight (10x100 = 1000), bias (50), weight
// (50x20 = 1000); the weight @w1 carries its own budget of 0.1.
gcomm.graph @g {
  gcomm.tensor @b2 : tensor<10xf32>
  gcomm.tensor @w2 : tensor<10x100xf32>
  gcomm.tensor @b1 : tensor<50xf32>
  gcomm.tensor @w1 : tensor<50x20xf32> {density = 0.1}
  // An earlier plan is replaced.
  gcomm.bucket @old [@b2, @w2, @b1, @w1] compress #gcomm.dense<f32> via allreduce
}

// layerwise: one dense bucket per tensor, in backprop order.
// LAYER-NOT: @old
// LAYER: gcomm.bucket @b0 [@b2] compress #gcomm.dense<f32> via allreduce
// LAYER-NEXT: gcomm.bucket @b1_0 [@w2] compress #gcomm.dense<f32> via allreduce
// LAYER-NEXT: gcomm.bucket @b2_1 [@b1] compress #gcomm.dense<f32> via allreduce
// LAYER-NEXT: gcomm.bucket @b3 [@w1] compress #gcomm.dense<f32> via allreduce
// (@b1 and @b2 are tensor names: the buckets are renamed.)

// single: vectors without a budget are kept whole, matrices at the option's
// density or their own: k = 10 + ceil(0.01*1000) + 50 + ceil(0.1*1000)
// = 10 + 10 + 50 + 100 = 170 of N = 2060, density 170/2060.
// SINGLE: gcomm.bucket @b0 [@b2, @w2, @b1, @w1] compress #gcomm.topk<density = 0.0825242718446602> via allgather

// 1-D buckets stay dense under sparse compression; @w2 keeps
// ceil(0.01*1000) = 10 of 1000, @w1 its own 100 of 1000.
// GTOPK: gcomm.bucket @b0 [@b2] compress #gcomm.dense<f32> via allreduce
// GTOPK-NEXT: [@w2] compress #gcomm.gtopk<density = 0.01> via gtopk
// GTOPK-NEXT: [@b1] compress #gcomm.dense<f32> via allreduce
// GTOPK-NEXT: [@w1] compress #gcomm.gtopk<density = 0.1> via gtopk

// LOWRANK: [@b2] compress #gcomm.dense<f32> via allreduce
// LOWRANK-NEXT: [@w2] compress #gcomm.lowrank<rank = 2> via allreduce
