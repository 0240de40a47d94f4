// Token models (int64 ids below the embedding's size, detected) and
// Fashion-MNIST batches.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %agtf_src_root/examples/models/make_models.py %t tiny-lm tiny-tied fashion-cnn | FileCheck %s --check-prefix=MODEL
// RUN: agtf-import %t/tiny-lm.pt --input-shape 2x5 --profile-iters 2 -o %t/lm.mlir
// RUN: %python %S/Inputs/check_import.py %t/lm.mlir --profiled | FileCheck %s --check-prefix=LM
// RUN: agtf-opt %t/lm.mlir | FileCheck %s --check-prefix=LM-IR
// A tied weight is one tensor, whose FLOPs count both uses: the decoder on
// 2x3 tokens, 2 * 80 * 6 = 960, and the embedding's scatter-add, 2*3*4 = 24.
// RUN: agtf-import %t/tiny-tied.pt --input-shape 2x3 -o %t/tied.mlir
// RUN: %python %S/Inputs/check_import.py %t/tied.mlir --unprofiled | FileCheck %s --check-prefix=TIED
// RUN: FileCheck %s --check-prefix=TIED-IR < %t/tied.mlir
// TIED: tensors 2 numel 100
// TIED-IR: gcomm.tensor @embedding.weight : tensor<20x4xf32> {flops = 9.840000e+02 : f64}
// RUN: agtf-import %t/fashion-cnn.pt --input-shape 4x1x28x28 --data fashion-mnist --profile-iters 1 -o %t/cnn.mlir
// RUN: %python %S/Inputs/check_import.py %t/cnn.mlir --profiled | FileCheck %s --check-prefix=CNN
// RUN: agtf-opt %t/cnn.mlir > /dev/null

// MODEL: tiny-lm: 7 tensors, 1426 parameters
// MODEL: tiny-tied: 2 tensors, 100 parameters
// MODEL: fashion-cnn: 10 tensors, 44426 parameters
// LM: tensors 7 numel 1426
// LM: order decoder.{{bias|weight}} decoder.{{bias|weight}} lstm.{{.*}} embedding.weight
// LM: times ok
// Decoder 8->50 on 2x5 tokens: 2 * 400 * 10 = 8000 FLOPs.
// LM-IR: gcomm.tensor @decoder.weight : tensor<50x8xf32> {{{.*}}flops = 8.000000e+03
// CNN: tensors 10 numel 44426
// CNN: times ok
