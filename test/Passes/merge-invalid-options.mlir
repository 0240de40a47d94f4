// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=greedy}))' 2>&1 | FileCheck %s --check-prefix=STRATEGY
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{compression=zip}))' 2>&1 | FileCheck %s --check-prefix=COMPRESSION
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{compression=topk density=0}))' 2>&1 | FileCheck %s --check-prefix=DENSITY
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{compression=lowrank rank=0}))' 2>&1 | FileCheck %s --check-prefix=RANK
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=threshold bucket-bytes=0}))' 2>&1 | FileCheck %s --check-prefix=BYTES
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{compression=topk noise-tolerance=nan}))' 2>&1 | FileCheck %s --check-prefix=TOLERANCE
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{compression=topk density=nan}))' 2>&1 | FileCheck %s --check-prefix=DENSITYNAN
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=optimal optimality-gap=-0.5}))' 2>&1 | FileCheck %s --check-prefix=GAP
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=optimal optimality-gap=nan}))' 2>&1 | FileCheck %s --check-prefix=GAPNAN
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=optimal noise-reference=best}))' 2>&1 | FileCheck %s --check-prefix=REFERENCE
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=optimal noise-budget=nan}))' 2>&1 | FileCheck %s --check-prefix=BUDGETNAN
// RUN: not agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=optimal noise=l2}))' 2>&1 | FileCheck %s --check-prefix=NOISE

// The option's parser knows the strategies of cost::getMergeStrategies().
// STRATEGY: for the --strategy option: Cannot find option named 'greedy'!
// STRATEGY: failed to add `gcomm-merge` with options `strategy=greedy`
// COMPRESSION: error: unknown compression 'zip'; expected dense, dense-f16, topk, topk-sampled, gtopk, dgc, lowrank (acp) or powersgd
// DENSITY: error: density must be in (0, 1], got 0.0
// RANK: error: rank must be >= 1, got 0
// BYTES: error: gcomm-merge: bucket-bytes and first-bucket-bytes must be >= 1
// TOLERANCE: error: gcomm-merge: noise-tolerance must be finite (negative: no guard), got nan
// DENSITYNAN: error: density must be in (0, 1], got nan
// GAP: error: gcomm-merge: optimality-gap must be finite and >= 0, got -0.5
// GAPNAN: error: gcomm-merge: optimality-gap must be finite and >= 0, got nan
// REFERENCE: error: gcomm-merge: unknown noise-reference 'best'; expected layerwise or single
// BUDGETNAN: error: gcomm-merge: noise-budget must be finite (negative: none), got nan
// NOISE: error: unknown noise model 'l2'; expected relative, agtf-norm or energy
gcomm.graph @g {
  gcomm.tensor @w : tensor<10x10xf32>
}
