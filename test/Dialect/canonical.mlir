// A hand-written file in the printed form comes back byte for byte.
// RUN: grep -v '^//' %s > %t.expected
// RUN: agtf-opt %s > %t.printed
// RUN: diff -u %t.expected %t.printed
module {
  gcomm.graph @mlp attributes {forward_us = 4.000000e+01 : f64, workers = 4 : i64} {
    gcomm.tensor @fc2.bias : tensor<10xf32> {backward_us = 2.000000e+00 : f64}
    gcomm.tensor @fc2.weight : tensor<10x64xf32> {backward_us = 7.500000e+00 : f64, sketch = #gcomm.sketch<kept = [0.01, 0.1, 1.0], threshold = [0.5, 0.125, 0.0], energy = [0.25, 0.75, 1.0]>}
    gcomm.tensor @fc1.weight : tensor<64x784xf32> {backward_us = 3.000000e+01 : f64}
    gcomm.bucket @b0 [@fc2.bias] compress #gcomm.dense<f32> via allreduce
    gcomm.bucket @b1 [@fc2.weight, @fc1.weight] compress #gcomm.topk<density = 0.001, select = sampled> via allgather {predicted = #gcomm.times<ready = 39.5, start = 39.5, end = 120.0>}
  }
}

