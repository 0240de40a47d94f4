// A cluster file or an input nested far deeper than any real one is refused
// by its depth before a recursive parser can exhaust the stack.
// RUN: %python -c "print('{\"workers\": 4, \"x\": ' + '[' * 100000 + ']' * 100000 + '}')" > %t.json
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%t.json}))' 2>&1 | FileCheck %s --check-prefix=CLUSTER
// RUN: not agtf-profile --from-trace --cluster %t.json -o %t.out.json %t.bin %t.trace 2>&1 | FileCheck %s --check-prefix=PROFILE
// A depth at the limit is parsed: the error is the key's, not the depth's.
// RUN: %python -c "print('{\"workers\": 4, \"x\": ' + '[' * 255 + ']' * 255 + '}')" > %t.ok.json
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%t.ok.json}))' 2>&1 | FileCheck %s --check-prefix=AT-LIMIT

// CLUSTER: error: gcomm-annotate-cost: cluster file '{{.*}}.json': nested 100001 deep (at most 256)
// PROFILE: agtf-profile: cluster file '{{.*}}.json' is nested 100001 deep (at most 256)
// AT-LIMIT: cluster file '{{.*}}.ok.json': 'x' must be a number
gcomm.graph @g {
  gcomm.tensor @w : tensor<10x10xf32>
}
