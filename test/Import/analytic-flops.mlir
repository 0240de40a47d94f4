// Without --profile-iters: no timing, analytic backward FLOPs per tensor.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %agtf_src_root/examples/models/make_models.py %t tiny-cnn | FileCheck %s --check-prefix=MODEL
// RUN: agtf-import %t/tiny-cnn.pt --input-shape 2x3x8x8 -o %t/out.mlir
// RUN: %python %S/Inputs/check_import.py %t/out.mlir --unprofiled | FileCheck %s --check-prefix=CHECKER
// RUN: agtf-opt %t/out.mlir | FileCheck %s

// MODEL: tiny-cnn: 6 tensors, 845 parameters
// CHECKER: tensors 6 numel 845
// CHECKER: unprofiled ok

// conv 3->4, 3x3 on 2x3x8x8: output 2x4x6x6 (288 values, 72 positions).
//   conv.weight (108): 2 * 108 * 72 = 15552; conv.bias: 288.
// batch norm: 2 * 288 = 576 each for weight and bias.
// fc 144->5 on 2 rows: fc.weight 2 * 720 * 2 = 2880; fc.bias: 2 * 5 = 10.
// CHECK: gcomm.graph @"tiny-cnn" {
// CHECK-DAG: gcomm.tensor @fc.bias : tensor<5xf32> {flops = 1.000000e+01 : f64}
// CHECK-DAG: gcomm.tensor @fc.weight : tensor<5x144xf32> {flops = 2.880000e+03 : f64}
// CHECK-DAG: gcomm.tensor @bn.weight : tensor<4xf32> {flops = 5.760000e+02 : f64}
// CHECK-DAG: gcomm.tensor @bn.bias : tensor<4xf32> {flops = 5.760000e+02 : f64}
// CHECK-DAG: gcomm.tensor @conv.weight : tensor<4x3x3x3xf32> {flops = 1.555200e+04 : f64}
// CHECK-DAG: gcomm.tensor @conv.bias : tensor<4xf32> {flops = 2.880000e+02 : f64}
