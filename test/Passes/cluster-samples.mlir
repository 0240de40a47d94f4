// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/sampled.json},gcomm-merge{strategy=layerwise compression=dense},gcomm-simulate))' | FileCheck %s
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/sampled.json workers=4},gcomm-merge{strategy=layerwise compression=dense},gcomm-simulate))' | FileCheck %s --check-prefix=OTHERP

// The cluster's measured allreduce samples price every dense bucket,
// interpolated piecewise linearly in log-log: from (1000 B, 20 us) to
// (16000 B, 80 us) the time grows as sqrt(bytes), t = 20 sqrt(B / 1000).
// Serial timeline, free packing, backward 10 us per tensor:
// @a 1000 f32 = 4000 B: 20 * 2 = 40 us; ready 10, runs 10 .. 50.
// @b 250 f32 = 1000 B, the first sample: 20 us; ready 20, runs 50 .. 70.
// @c 8000 f32 = 32000 B, past the last sample: the last segment's
// (80 - 20) / 15000 = 0.004 us per byte, 80 + 16000 * 0.004 = 144 us;
// ready 30, runs 70 .. 214.
// The alpha-beta line (1000 us + bytes) would be over 2000 us a bucket.
gcomm.graph @g {
  gcomm.tensor @a : tensor<1000xf32> {backward_us = 10.0}
  gcomm.tensor @b : tensor<250xf32> {backward_us = 10.0}
  gcomm.tensor @c : tensor<8000xf32> {backward_us = 10.0}
}
// CHECK: gcomm.bucket @b0 [@a] {{.*}} {predicted = #gcomm.times<ready = 10.0, start = 10.0, end = 50.0>}
// CHECK-NEXT: gcomm.bucket @b1 [@b] {{.*}} {predicted = #gcomm.times<ready = 20.0, start = 50.0, end = 70.0>}
// CHECK-NEXT: gcomm.bucket @b2 [@c] {{.*}} {predicted = #gcomm.times<ready = 30.0, start = 70.0, end = 214.0>}

// Samples measured on 2 ranks do not price 4: the alpha-beta line does,
// 2 (P - 1) 1000 + 2 (P - 1) / P * 4000 = 12000 us for @a.
// OTHERP: gcomm.bucket @b0 [@a] {{.*}} {predicted = #gcomm.times<ready = 10.0, start = 10.0, end = 12010.0>}
