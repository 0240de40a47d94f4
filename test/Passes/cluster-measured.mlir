// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/measured.json}))' | FileCheck %s
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/measured-plus-unknown.json}))' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/per-collective-over-all.json}))' | FileCheck %s --check-prefix=OVERRIDE
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/measured-not-object.json}))' 2>&1 | FileCheck %s --check-prefix=NOTOBJECT

// The `measured` object (agtf-profile's extra fits) is accepted and
// ignored: its "workers" does not override the top-level one, and no key of
// it reaches the cluster dictionary.
// CHECK: cluster = {alpha_allgather_us = 1.200000e+01 : f64, alpha_allreduce_us = 1.100000e+01 : f64, alpha_gtopk_us = 1.300000e+01 : f64
// CHECK-SAME: beta_gtopk_us_per_byte = 3.000000e-03 : f64
// CHECK-NOT: broadcast
// CHECK-NOT: measured
// CHECK-SAME: timeline = "stream"
// CHECK-SAME: workers = 3 : i64}

// A collective's own key overrides alpha_us / beta_us_per_byte, whatever
// order the JSON object iterates its keys in (it used to be hash order:
// beta_allgather_us_per_byte = 2 was lost under beta_us_per_byte = 1).
// OVERRIDE: cluster = {alpha_allgather_us = 5.000000e+00 : f64, alpha_allreduce_us = 7.000000e+00 : f64, alpha_gtopk_us = 9.000000e+00 : f64, beta_allgather_us_per_byte = 2.000000e+00 : f64, beta_allreduce_us_per_byte = 1.000000e+00 : f64, beta_gtopk_us_per_byte = 1.000000e+00 : f64

// Unknown top-level keys are still errors beside `measured`.
// UNKNOWN: error: gcomm-annotate-cost: cluster file '{{.*}}measured-plus-unknown.json': unknown key 'latency'
// NOTOBJECT: error: gcomm-annotate-cost: cluster file '{{.*}}measured-not-object.json': 'measured' must be an object

gcomm.graph @g {
  gcomm.tensor @w : tensor<10x100xf32>
}
