// RUN: agtf-opt %s | agtf-opt | FileCheck %s
// RUN: agtf-opt %s --mlir-print-op-generic | agtf-opt | FileCheck %s

// Every op and attribute of the dialect, printed and parsed back.

// CHECK-LABEL: gcomm.graph @graph_level
// CHECK-SAME: backward_us = 1.200000e+02 : f64, forward_us = 8.000000e+01 : f64, update_us = 5.000000e+00 : f64, workers = 16 : i64
// CHECK-NEXT: gcomm.tensor @fc.bias : tensor<10xf32> {backward_us = 2.500000e+00 : f64, rms = 1.000000e-02 : f64}
// CHECK-NEXT: gcomm.tensor @"0.weight" : tensor<10x84xf16> {backward_us = 1.000000e+01 : f64, density = 1.000000e-03 : f64, flops = 1.680000e+03 : f64, grad_norm = 2.000000e-01 : f64, sketch = #gcomm.sketch<kept = [1.0e-05, 0.001, 1.0], threshold = [3.5, 0.25, 0.0], energy = [0.125, 0.5, 1.0]>}
// CHECK-NEXT: gcomm.tensor @scalar : tensor<f32>
gcomm.graph @graph_level attributes {workers = 16 : i64, forward_us = 80.0, backward_us = 120.0, update_us = 5.0} {
  gcomm.tensor @fc.bias : tensor<10xf32> {backward_us = 2.5, rms = 0.01}
  gcomm.tensor @"0.weight" : tensor<10x84xf16> {backward_us = 10.0, flops = 1680.0, grad_norm = 0.2, density = 0.001,
      sketch = #gcomm.sketch<kept = [1.0e-5, 1.0e-3, 1.0], threshold = [3.5, 0.25, 0.0], energy = [0.125, 0.5, 1.0]>}
  gcomm.tensor @scalar : tensor<f32>
}

// CHECK-LABEL: gcomm.graph @plan_level
// CHECK-SAME: predicted_exposed_comm_us = 4.000000e+00 : f64, predicted_iter_us = 1.000000e+02 : f64, predicted_noise = 5.000000e-01 : f64
// CHECK: gcomm.bucket @b0 [@t0] compress #gcomm.dense<f32> via allreduce
// CHECK-NEXT: gcomm.bucket @b1 [@t1, @t2] compress #gcomm.dense<f16> via allreduce
// CHECK-NEXT: gcomm.bucket @b2 [@t3] compress #gcomm.topk<density = 0.001> via allgather {predicted = #gcomm.times<ready = 1.5, start = 2.0, end = 30.25>}
// CHECK-NEXT: gcomm.bucket @b3 [@t4] compress #gcomm.topk<density = 0.01, select = sampled, value = f16> via allgather
// CHECK-NEXT: gcomm.bucket @b4 [@t5] compress #gcomm.gtopk<density = 0.001> via gtopk
// CHECK-NEXT: gcomm.bucket @b5 [@t6] compress #gcomm.gtopk<density = 0.5, value = bf16> via gtopk
// CHECK-NEXT: gcomm.bucket @b6 [@t7] compress #gcomm.dgc<density = 0.001> via allgather
// CHECK-NEXT: gcomm.bucket @b7 [@t8] compress #gcomm.dgc<density = 0.002, momentum = 0.95, warmup = 0, value = f16> via allgather
// CHECK-NEXT: gcomm.bucket @b8 [@t9] compress #gcomm.lowrank<rank = 4> via allreduce
// CHECK-NEXT: gcomm.bucket @b9 [@t10] compress #gcomm.lowrank<rank = 1, method = powersgd> via allreduce
gcomm.graph @plan_level attributes {predicted_iter_us = 100.0, predicted_exposed_comm_us = 4.0, predicted_noise = 0.5} {
  gcomm.tensor @t0 : tensor<8xf32>
  gcomm.tensor @t1 : tensor<8xf32>
  gcomm.tensor @t2 : tensor<8x8xf32>
  gcomm.tensor @t3 : tensor<100x10xf32>
  gcomm.tensor @t4 : tensor<100x10xf32>
  gcomm.tensor @t5 : tensor<100x10xf32>
  gcomm.tensor @t6 : tensor<100x10xf32>
  gcomm.tensor @t7 : tensor<100x10xf32>
  gcomm.tensor @t8 : tensor<100x10xf32>
  gcomm.tensor @t9 : tensor<100x10xf32>
  gcomm.tensor @t10 : tensor<100x10xf32>
  gcomm.bucket @b0 [@t0] compress #gcomm.dense<f32> via allreduce
  gcomm.bucket @b1 [@t1, @t2] compress #gcomm.dense<f16> via allreduce
  gcomm.bucket @b2 [@t3] compress #gcomm.topk<density = 0.001, select = exact, value = f32> via allgather {predicted = #gcomm.times<ready = 1.5, start = 2.0, end = 30.25>}
  gcomm.bucket @b3 [@t4] compress #gcomm.topk<value = f16, density = 0.01, select = sampled> via allgather
  gcomm.bucket @b4 [@t5] compress #gcomm.gtopk<density = 0.001> via gtopk
  gcomm.bucket @b5 [@t6] compress #gcomm.gtopk<density = 0.5, value = bf16> via gtopk
  gcomm.bucket @b6 [@t7] compress #gcomm.dgc<density = 0.001, momentum = 0.9, warmup = 5> via allgather
  gcomm.bucket @b7 [@t8] compress #gcomm.dgc<density = 0.002, momentum = 0.95, warmup = 0, value = f16> via allgather
  gcomm.bucket @b8 [@t9] compress #gcomm.lowrank<rank = 4, method = acp> via allreduce
  gcomm.bucket @b9 [@t10] compress #gcomm.lowrank<rank = 1, method = powersgd> via allreduce
}
