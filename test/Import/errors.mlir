// Bad input: one error line naming the problem, non-zero exit, no output.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %agtf_src_root/examples/models/make_models.py %t tiny-cnn tiny-frozen > /dev/null

// RUN: not agtf-import %t/missing.pt --input-shape 2x3x8x8 -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: test ! -e %t/out.mlir
// MISSING: agtf-import: error: cannot open '{{.*}}missing.pt': No such file or directory

// RUN: echo "not a model" > %t/text.pt
// RUN: not agtf-import %t/text.pt --input-shape 2x3x8x8 -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=NOT-TS
// RUN: test ! -e %t/out.mlir
// NOT-TS: agtf-import: error: '{{.*}}text.pt' is not a TorchScript model: {{.+}}

// A 5x5 image leaves 3x3 after the convolution: fc expects 144 inputs.
// RUN: not agtf-import %t/tiny-cnn.pt --input-shape 2x3x5x5 --profile-iters 1 -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: test ! -e %t/out.mlir
// SHAPE: agtf-import: error: forward of '{{.*}}tiny-cnn.pt' rejects input 2x3x5x5 random normal f32: {{.*}}shapes cannot be multiplied

// RUN: not agtf-import %t/tiny-frozen.pt --input-shape 2x4 -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=FROZEN
// RUN: test ! -e %t/out.mlir
// FROZEN: agtf-import: error: '{{.*}}tiny-frozen.pt' has no trainable parameters

// RUN: not agtf-import %t/tiny-cnn.pt --input-shape 2x3xfoo -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=BAD-SHAPE
// RUN: test ! -e %t/out.mlir
// BAD-SHAPE: agtf-import: error: --input-shape '2x3xfoo' is not a shape like

// Each error is one line.
// RUN: not agtf-import %t/tiny-cnn.pt --input-shape 2x3x5x5 -o %t/out.mlir 2>&1 | wc -l | FileCheck %s --check-prefix=ONE-LINE
// ONE-LINE: {{^ *1$}}
