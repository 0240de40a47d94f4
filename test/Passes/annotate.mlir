// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{workers=8 alpha=50 beta=0.001 timeline=stream},gcomm-annotate-timing))' | FileCheck %s

// Roofline: 60000 GFLOP/s at efficiency 0.5 = 3e7 FLOP/us, so 3e9 FLOPs
// take 100 us. Backward sums to 100 + 20 = 120; forward is half, 60;
// the update costs 5e-6 us per parameter: (1000 + 10) * 5e-6 = 0.00505.
// CHECK: gcomm.graph @g attributes {backward_us = 1.200000e+02 : f64, cluster = {alpha_allgather_us = 5.000000e+01 : f64
// CHECK-SAME: beta_allreduce_us_per_byte = 1.000000e-03 : f64
// CHECK-SAME: timeline = "stream"
// CHECK-SAME: forward_us = 6.000000e+01 : f64
// CHECK-SAME: update_us = 0.00505{{[0-9]*}} : f64, workers = 8 : i64}
// CHECK: gcomm.tensor @w : tensor<10x100xf32> {backward_us = 1.000000e+02 : f64, flops = 3.000000e+09 : f64}
// CHECK: gcomm.tensor @b : tensor<10xf32> {backward_us = 2.000000e+01 : f64}
gcomm.graph @g {
  gcomm.tensor @w : tensor<10x100xf32> {flops = 3.0e9}
  gcomm.tensor @b : tensor<10xf32> {backward_us = 20.0}
}
