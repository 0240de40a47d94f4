// Profiles a tiny model whose backprop order differs from the reverse of
// its registration order, then checks counts, order, times and sketches.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %agtf_src_root/examples/models/make_models.py %t tiny-shuffled | FileCheck %s --check-prefix=MODEL
// RUN: agtf-import %t/tiny-shuffled.pt --input-shape 4x6 --profile-iters 5 --seed 3 -o %t/out.mlir
// RUN: %python %S/Inputs/check_import.py %t/out.mlir --profiled | FileCheck %s --check-prefix=CHECKER
// The verifier re-parses the output: sketches are monotone within [0, 1].
// RUN: agtf-opt %t/out.mlir | FileCheck %s

// MODEL: tiny-shuffled: 8 tensors, 98 parameters
// CHECKER: tensors 8 numel 98
// CHECKER: times ok

// Registered c, a, d, b; used x -> b -> {a, c} -> product -> d. Backprop
// reaches d first, then c (created after a in the forward pass, so the
// engine runs its node first), then a, then b; the reverse registration
// order would be b, d, a, c.
// CHECK: gcomm.graph @"tiny-shuffled" attributes {backward_us = {{.*}}, forward_us =
// CHECK-NEXT: gcomm.tensor @d.{{bias|weight}} : {{.*}}sketch = #gcomm.sketch<kept = [{{.*}}, 1.0], threshold
// CHECK-NEXT: gcomm.tensor @d.{{bias|weight}} :
// CHECK-NEXT: gcomm.tensor @c.{{bias|weight}} :
// CHECK-NEXT: gcomm.tensor @c.{{bias|weight}} :
// CHECK-NEXT: gcomm.tensor @a.{{bias|weight}} :
// CHECK-NEXT: gcomm.tensor @a.{{bias|weight}} :
// CHECK-NEXT: gcomm.tensor @b.{{bias|weight}} :
// CHECK-NEXT: gcomm.tensor @b.{{bias|weight}} :
// CHECK-NEXT: {{^ *}}}
