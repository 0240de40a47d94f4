// RUN: agtf-opt %s --fuse-sparse='cluster-file=%S/Inputs/two-workers.json density=0.01 trace=%t.trace.json' | FileCheck %s
// RUN: %python %S/Inputs/check-trace.py %t.trace.json | FileCheck %s --check-prefix=TRACE
// RUN: %python %S/Inputs/compare-strategies.py agtf-opt %s %S/Inputs/two-workers.json | FileCheck %s --check-prefix=BEST

// The pipeline: cost, timing, importance budget, optimal merge under the
// noise guard (eps = 0), simulation, on a small convolutional net.
// CHECK: gcomm.graph @net attributes {backward_us = {{.*}}cluster = {{.*}}forward_us = {{.*}}predicted_exposed_comm_us = {{.*}}predicted_iter_us = {{.*}}predicted_noise = {{.*}}workers = 2 : i64}
// CHECK: gcomm.tensor @fc.weight {{.*}}density =
// CHECK: gcomm.bucket @b0 {{.*}}predicted = #gcomm.times<ready =

// The trace has the three lanes and one comm event per bucket.
// TRACE: lanes compute sparsify comm
// TRACE: comm events match buckets

// --fuse-sparse is never slower than a strategy whose plan meets the same
// noise guard, and never noisier than layer-wise.
// BEST: fuse-sparse is fastest among plans within the noise guard
gcomm.graph @net {
  gcomm.tensor @fc.bias : tensor<10xf32> {backward_us = 5.0, rms = 0.02}
  gcomm.tensor @fc.weight : tensor<10x512xf32> {backward_us = 40.0, rms = 0.01, sketch = #gcomm.sketch<kept = [1.0e-05, 0.001, 0.1, 1.0], threshold = [0.5, 0.1, 0.01, 0.0], energy = [0.01, 0.2, 0.7, 1.0]>}
  gcomm.tensor @conv3.weight : tensor<512x256x3x3xf32> {backward_us = 900.0, rms = 0.002, sketch = #gcomm.sketch<kept = [1.0e-05, 0.001, 0.1, 1.0], threshold = [0.1, 0.02, 0.002, 0.0], energy = [0.02, 0.3, 0.8, 1.0]>}
  gcomm.tensor @bn2.weight : tensor<256xf32> {backward_us = 8.0, rms = 0.01}
  gcomm.tensor @conv2.weight : tensor<256x128x3x3xf32> {backward_us = 700.0, rms = 0.003, sketch = #gcomm.sketch<kept = [1.0e-05, 0.001, 0.1, 1.0], threshold = [0.2, 0.03, 0.003, 0.0], energy = [0.015, 0.25, 0.75, 1.0]>}
  gcomm.tensor @conv1.weight : tensor<128x3x3x3xf32> {backward_us = 300.0, rms = 0.004, sketch = #gcomm.sketch<kept = [1.0e-05, 0.001, 0.1, 1.0], threshold = [0.3, 0.04, 0.004, 0.0], energy = [0.02, 0.3, 0.8, 1.0]>}
}
