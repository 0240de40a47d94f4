// A cluster file or an MLIR input nested far deeper than any real one is
// refused by its depth before a recursive parser can exhaust the stack.
// RUN: %python -c "print('{\"workers\": 4, \"x\": ' + '[' * 100000 + ']' * 100000 + '}')" > %t.json
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%t.json}))' 2>&1 | FileCheck %s --check-prefix=CLUSTER
// RUN: not agtf-profile --from-trace --cluster %t.json -o %t.out.json %t.bin %t.trace 2>&1 | FileCheck %s --check-prefix=PROFILE
// RUN: %python -c "print('gcomm.graph @g attributes {x = ' + '[' * 100000 + ']' * 100000 + '} { gcomm.tensor @w : tensor<4xf32> }')" > %t.mlir
// RUN: not agtf-opt %t.mlir -o %t.out.mlir 2>&1 | FileCheck %s --check-prefix=MLIR-OPT
// RUN: not agtf-translate --gcomm-to-schedule %t.mlir -o %t.bin 2>&1 | FileCheck %s --check-prefix=MLIR-TRANSLATE
// RUN: test ! -e %t.out.mlir && test ! -e %t.bin
// A depth at the limit is parsed: the error is the key's, not the depth's.
// RUN: %python -c "print('{\"workers\": 4, \"x\": ' + '[' * 255 + ']' * 255 + '}')" > %t.ok.json
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%t.ok.json}))' 2>&1 | FileCheck %s --check-prefix=AT-LIMIT

// CLUSTER: error: gcomm-annotate-cost: cluster file '{{.*}}.json': nested 100001 deep (at most 256)
// PROFILE: agtf-profile: cluster file '{{.*}}.json' is nested 100001 deep (at most 256)
// MLIR-OPT: agtf-opt: error: '{{.*}}.mlir' is nested 100001 deep (at most 256)
// MLIR-TRANSLATE: agtf-translate: error: '{{.*}}.mlir' is nested 100001 deep (at most 256)
// AT-LIMIT: cluster file '{{.*}}.ok.json': 'x' must be a number
gcomm.graph @g {
  gcomm.tensor @w : tensor<10x10xf32>
}
