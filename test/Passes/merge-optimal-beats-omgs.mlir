// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=omgs compression=topk},gcomm-simulate))' | FileCheck %s --check-prefix=OMGS
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=optimal compression=topk},gcomm-simulate))' | FileCheck %s --check-prefix=OPT
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json timeline=stream},gcomm-merge{strategy=optimal compression=topk},gcomm-simulate))' | FileCheck %s --check-prefix=STREAM

// P = 2, alpha = 100 us, beta = 0.01 us/B, ts = 10 us a bucket, serial.
// Top-k allgather: tc(k) = ceil(log2 2) alpha + (2-1) k (4+4) beta
//                        = 100 + 0.08 k.
// k: @a 100, @b 1000, @c 1000. Backward ready: B = 10, 510, 1510.
//
// Layer-wise (what OMGS keeps):
//   [@a]: clock 10, ready 10+10 = 20, tc 108, ends 128
//   [@b]: clock 20, ready 510+20 = 530, tc 180, ends 710
//   [@c]: clock 30, ready 1510+30 = 1540, tc 180, ends 1720 -> T = 1720
// OMGS at @b: wait = tb(@b) + ts(ab) - ts(a) - ts(b) - slack
//                  = 500 + 10 - 10 - 10 - 0 = 490 > save = 108+180-188 = 100;
// at @c: wait = 1000 + 10 - 10 - 10 - 0 = 990 > save = 180+180-260 = 100.
// Optimal merges @a into @b: nothing waits on @a's early communication,
// and one sparsification fewer sits on the serial compute stream:
//   [@a, @b]: clock 10, ready 510+10 = 520, tc 188, ends 708
//   [@c]:     clock 20, ready 1510+20 = 1530, tc 180, ends 1710 -> T = 1710
gcomm.graph @g {
  gcomm.tensor @a : tensor<10x100xf32> {backward_us = 10.0, density = 0.1}
  gcomm.tensor @b : tensor<100x100xf32> {backward_us = 500.0, density = 0.1}
  gcomm.tensor @c : tensor<100x100xf32> {backward_us = 1000.0, density = 0.1}
}
// OMGS: predicted_iter_us = 1.720000e+03
// OMGS: gcomm.bucket @b0 [@a] compress #gcomm.topk<density = 0.1> via allgather {predicted = #gcomm.times<ready = 20.0, start = 20.0, end = 128.0>}
// OMGS-NEXT: gcomm.bucket @b1 [@b] {{.*}} {predicted = #gcomm.times<ready = 530.0, start = 530.0, end = 710.0>}
// OMGS-NEXT: gcomm.bucket @b2 [@c] {{.*}} {predicted = #gcomm.times<ready = 1540.0, start = 1540.0, end = 1720.0>}

// OPT: predicted_iter_us = 1.710000e+03
// OPT: gcomm.bucket @b0 [@a, @b] compress #gcomm.topk<density = 0.1> via allgather {predicted = #gcomm.times<ready = 520.0, start = 520.0, end = 708.0>}
// OPT-NEXT: gcomm.bucket @b1 [@c] {{.*}} {predicted = #gcomm.times<ready = 1530.0, start = 1530.0, end = 1710.0>}

// Stream timeline (sparsification on its own stream, T = max(B(L), c_J)):
// layer-wise ends 1510+10+180 = 1700; [@a,@b],[@c] ends the same, 1700;
// [@a],[@b,@c]: [@a] ends 128, [@b,@c] sparsified at 1510..1520, tc 260,
// ends 1780; single: ready 1520, tc 268, ends 1788. The first plan with
// the least time in the DP's order wins: layer-wise's split at @b is found
// first (equal times are not replaced).
// STREAM: predicted_iter_us = 1.700000e+03
