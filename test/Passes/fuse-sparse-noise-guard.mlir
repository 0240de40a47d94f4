// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %agtf_src_root/examples/models/make_models.py %t fashion-cnn > /dev/null
// RUN: agtf-import %t/fashion-cnn.pt --input-shape 16x1x28x28 --profile-iters 2 --warmup 1 -o %t/fashion-cnn.mlir
// RUN: %python %S/Inputs/check-noise-guard.py agtf-opt %t/fashion-cnn.mlir | FileCheck %s

// --fuse-sparse's guard in each of its forms: noise-reference=layerwise or
// single with noise-tolerance, or noise-budget; the plan's noise is within
// the budget every time, and under noise=energy it is the fraction of the
// gradient's energy left unsent, least for top-k over one bucket (on an
// imported graph, whose sketches are read from its gradients).
// CHECK: relative: layer-wise
// CHECK: energy: layer-wise
// CHECK: gcomm-merge: no plan within noise-budget {{.*}}; top-k over one bucket has noise {{.*}} and layer-wise
// CHECK: every plan within its budget
