// A model that computes NaN imports by shapes (it has shapes and an order)
// with a warning; profiled, its gradients' magnitudes do not exist: an
// error naming the first, and no output.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %agtf_src_root/examples/models/make_models.py %t tiny-cnn > /dev/null
// RUN: %python -c "import torch, sys; m = torch.jit.load(sys.argv[1]); p = dict(m.named_parameters()); torch.nn.init.constant_(p['fc.weight'].data[:1], float('nan')); m.save(sys.argv[2])" %t/tiny-cnn.pt %t/nan.pt
// RUN: agtf-import %t/nan.pt --input-shape 2x3x8x8 -o %t/nan.mlir 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: not agtf-import %t/nan.pt --input-shape 2x3x8x8 --profile-iters 1 -o %t/nan-profiled.mlir 2>&1 | FileCheck %s --check-prefix=PROFILED
// RUN: test ! -e %t/nan-profiled.mlir
// RUN: agtf-import %t/tiny-cnn.pt --input-shape 2x3x8x8 -o %t/ok.mlir 2>&1 | FileCheck %s --check-prefix=QUIET --allow-empty

// WARN: agtf-import: warning: the model's output or loss is not finite on 2x3x8x8 random normal f32: it cannot be trained as it is (a damaged file, or weights that overflow)
// WARN: agtf-import: warning: {{[0-9]+}} parameter(s) have a gradient that is not finite, the first '{{.*}}'
// PROFILED: agtf-import: error: the gradient of '{{.*}}' is not finite ({{[0-9]+}} parameter(s) in all) on 2x3x8x8 random normal f32: its magnitudes cannot be profiled (without --profile-iters the graph is written by shapes, with a warning)
// QUIET-NOT: warning
