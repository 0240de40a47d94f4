// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=omgs compression=topk noise=agtf-norm},gcomm-simulate{noise=agtf-norm}))' | FileCheck %s --check-prefix=OMGS
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=agtf compression=topk noise=agtf-norm},gcomm-simulate{noise=agtf-norm}))' | FileCheck %s --check-prefix=AGTF
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=optimal compression=topk noise=agtf-norm}))' | FileCheck %s --check-prefix=FREE
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=optimal compression=topk noise=agtf-norm noise-tolerance=0}))' | FileCheck %s --check-prefix=GUARD
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=optimal compression=topk noise=agtf-norm noise-tolerance=2.2}))' | FileCheck %s --check-prefix=LOOSE

// Cluster as in merge-optimal-beats-omgs.mlir: tc(k) = 100 + 0.08 k, ts 10.
// @a keeps 100 of 1000 (rho 0.1, g = 10), @b 100 of 10000 (rho 0.01, g = 1).
// AGTF noise: layer-wise (1/0.1 - 1) 10 + (1/0.01 - 1) 1 = 90 + 99 = 189;
// fused (11000/200 - 1)(10 + 1) = 54 * 11 = 594 > 189.
//
// OMGS at @b: wait = 10 + 10 - 10 - 10 - 0 = 0 < save = 108+108-116 = 100:
// merges. Single: clock 10, ready 20+10 = 30, tc 116, ends 146.
// AGTF refuses the merge (594 > 189) and keeps layer-wise:
//   [@a] ready 20 ends 128; [@b] clock 20, ready 40, starts 128, ends 236.
// Optimal without a guard takes the merge; with eps = 0 it cannot; with
// eps = 2.2 the budget is 3.2 * 189 = 604.8 >= 594 and it merges again.
gcomm.graph @g {
  gcomm.tensor @a : tensor<10x100xf32> {backward_us = 10.0, density = 0.1, grad_norm = 10.0}
  gcomm.tensor @b : tensor<100x100xf32> {backward_us = 10.0, density = 0.01, grad_norm = 1.0}
}
// OMGS: predicted_iter_us = 1.460000e+02 : f64, predicted_noise = 5.940000e+02 : f64
// OMGS: gcomm.bucket @b0 [@a, @b] compress #gcomm.topk<density = 0.01818181818181818> via allgather

// AGTF: predicted_iter_us = 2.360000e+02 : f64, predicted_noise = 1.890000e+02 : f64
// AGTF: gcomm.bucket @b0 [@a] compress #gcomm.topk<density = 0.1> via allgather
// AGTF-NEXT: gcomm.bucket @b1 [@b] compress #gcomm.topk<density = 0.01> via allgather

// FREE: gcomm.bucket @b0 [@a, @b]
// GUARD: gcomm.bucket @b0 [@a]
// GUARD-NEXT: gcomm.bucket @b1 [@b]
// LOOSE: gcomm.bucket @b0 [@a, @b]
