// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=mgwfbp},gcomm-simulate))' | FileCheck %s

// Dense ring allreduce at P = 2: tc(N) = 2 alpha + 2 (1/2) 4 N beta
// = 200 + 0.04 N; packing is free in this cluster. N = 1000 each: tc 240.
// Ready: @a 10, @b 60, @c 560.
// [@a] starts at 10, would end at 250. @b is ready at 60 < 250 and 60 - 10
// = 50 < alpha = 100: merge. [@a, @b] starts 60, tc 280, ends 340.
// @c is ready at 560 >= 340: a new bucket, 560 .. 800.
gcomm.graph @g {
  gcomm.tensor @a : tensor<1000xf32> {backward_us = 10.0}
  gcomm.tensor @b : tensor<1000xf32> {backward_us = 50.0}
  gcomm.tensor @c : tensor<1000xf32> {backward_us = 500.0}
}
// CHECK: predicted_iter_us = 8.000000e+02
// CHECK: gcomm.bucket @b0 [@a, @b] compress #gcomm.dense<f32> via allreduce {predicted = #gcomm.times<ready = 60.0, start = 60.0, end = 340.0>}
// CHECK-NEXT: gcomm.bucket @b1 [@c] compress #gcomm.dense<f32> via allreduce {predicted = #gcomm.times<ready = 560.0, start = 560.0, end = 800.0>}

// MG-WFBP's threshold is the startup time of one allreduce, 2 (P - 1) alpha
// = 200 in this ring model, not alpha: @b is ready at 160 < 250, and
// 160 - 10 = 150 >= alpha but < 200: merge. [@a, @b] starts 160, tc 280,
// ends 440; @c is ready at 660 >= 440: 660 .. 900.
gcomm.graph @startup {
  gcomm.tensor @a : tensor<1000xf32> {backward_us = 10.0}
  gcomm.tensor @b : tensor<1000xf32> {backward_us = 150.0}
  gcomm.tensor @c : tensor<1000xf32> {backward_us = 500.0}
}
// CHECK: predicted_iter_us = 9.000000e+02
// CHECK: gcomm.bucket @b0 [@a, @b] compress #gcomm.dense<f32> via allreduce {predicted = #gcomm.times<ready = 160.0, start = 160.0, end = 440.0>}
// CHECK-NEXT: gcomm.bucket @b1 [@c] compress #gcomm.dense<f32> via allreduce {predicted = #gcomm.times<ready = 660.0, start = 660.0, end = 900.0>}
