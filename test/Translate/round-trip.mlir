// Plan -> schedule.bin -> MLIR -> schedule.bin is byte-identical, for
// plans from every merge strategy and compression, lowered or not.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/round-trip.py %s %t | FileCheck %s

// CHECK: layerwise-topk: identical
// CHECK: single-topk: identical
// CHECK: threshold-dense: identical
// CHECK: threshold-dense-f16: identical
// CHECK: mgwfbp-dense: identical
// CHECK: omgs-topk: identical
// CHECK: agtf-topk: identical
// CHECK: optimal-topk: identical
// CHECK: optimal-gtopk: identical
// CHECK: optimal-dgc: identical
// CHECK: optimal-lowrank: identical
// CHECK: fuse-sparse-stream: identical
// CHECK: all 12 identical
gcomm.graph @net attributes {forward_us = 500.0} {
  gcomm.tensor @fc.bias : tensor<10xf32> {backward_us = 5.0, rms = 0.02}
  gcomm.tensor @fc.weight : tensor<10x512xf32> {backward_us = 40.0, rms = 0.01}
  gcomm.tensor @conv3.weight : tensor<512x256x3x3xf32> {backward_us = 900.0, rms = 0.002}
  gcomm.tensor @bn2.weight : tensor<256xf32> {backward_us = 8.0, rms = 0.01}
  gcomm.tensor @conv2.weight : tensor<256x128x3x3xf32> {backward_us = 700.0, rms = 0.003}
  gcomm.tensor @"0.weight" : tensor<128x3x3x3xf16> {backward_us = 300.0, rms = 0.004}
}
