// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=single compression=acp rank=2},gcomm-simulate))' | FileCheck %s --check-prefix=ACP
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=single compression=powersgd rank=2},gcomm-simulate))' | FileCheck %s --check-prefix=POWERSGD
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-merge{strategy=single compression=topk-sampled},gcomm-simulate))' | FileCheck %s --check-prefix=SAMPLED

// An 8x6 matrix at rank 2, P = 2, alpha = 100, beta = 0.01, s0 = 10:
// ready = 10 (backward) + 10 (s0) = 20. A factor step sends
// r (n + m) / 2 = 2 * 14 / 2 = 14 values: one ring allreduce costs
// 2 (P - 1) alpha + 2 (P - 1) / P * 4 * 14 * beta = 200 + 0.56 = 200.56.
// ACP-SGD reduces one factor a step: end = 20 + 200.56 = 220.56.
// ACP: compress #gcomm.lowrank<rank = 2> via allreduce {predicted = #gcomm.times<ready = 20.0, start = 20.0, end = 220.56>}
// PowerSGD reduces P, then Q: two allreduces, end = 20 + 401.12 = 421.12.
// POWERSGD: compress #gcomm.lowrank<rank = 2, method = powersgd> via allreduce {predicted = #gcomm.times<ready = 20.0, start = 20.0, end = 421.12>}
// Sampled top-k keeps k = 24 of 48 like exact top-k, whose allgather costs
// log2(2) alpha + (P - 1) * 24 * 8 * beta = 100 + 1.92; its count differs
// per rank, so the counts are allgathered first: log2(2) alpha +
// (P - 1) * 8 * beta = 100.08. end = 20 + 101.92 + 100.08 = 222.0.
// SAMPLED: compress #gcomm.topk<density = 0.5, select = sampled> via allgather {predicted = #gcomm.times<ready = 20.0, start = 20.0, end = 222.0{{[0-9]*}}>}
gcomm.graph @matrix {
  gcomm.tensor @w : tensor<8x6xf32> {backward_us = 10.0, density = 0.5}
}
