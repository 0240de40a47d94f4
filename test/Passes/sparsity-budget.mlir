// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-sparsity-budget{rule=uniform density=0.01}))' | FileCheck %s --check-prefix=UNIFORM
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-sparsity-budget{rule=importance density=0.01}))' | FileCheck %s --check-prefix=IMPORTANCE
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-annotate-cost{cluster-file=%S/Inputs/two-workers.json},gcomm-sparsity-budget{rule=lags density=0.001}))' | FileCheck %s --check-prefix=LAGS

// @v is 1-D and @small has 100 < min-numel = 1024 elements: both dense.
// uniform: the two 100x100 matrices get 0.01.
// importance (gamma 1): mean rms 0.02; weights 10000 * 0.5 and
// 10000 * 1.5; budget 0.01 * 20000 = 200 shared 50 : 150, densities
// 0.005 and 0.015.
// lags (P = 2, alpha 100, beta 0.01, 8 bytes a pair): rho = (tb_next -
// 100) / (8 * 0.01 * 10000) = (tb_next - 100) / 800. @w1: next is @w2 with
// 180 us: 80 / 800 = 0.1. @w2: next is @v with 50 us: negative, floor
// 0.001. @w3: next @small, 2000 us: 1900/800 > 1, dense.
gcomm.graph @g {
  gcomm.tensor @w1 : tensor<100x100xf32> {backward_us = 10.0, rms = 0.01}
  gcomm.tensor @w2 : tensor<100x100xf32> {backward_us = 180.0, rms = 0.03}
  gcomm.tensor @v : tensor<5000xf32> {backward_us = 50.0, rms = 0.5}
  gcomm.tensor @w3 : tensor<100x100xf32> {backward_us = 10.0}
  gcomm.tensor @small : tensor<10x10xf32> {backward_us = 2000.0, rms = 0.5}
}
// UNIFORM: @w1 {{.*}}density = 1.000000e-02
// UNIFORM: @w2 {{.*}}density = 1.000000e-02
// UNIFORM: @v {{.*}}density = 1.000000e+00
// UNIFORM: @w3 {{.*}}density = 1.000000e-02
// UNIFORM: @small {{.*}}density = 1.000000e+00

// IMPORTANCE: @w1 {{.*}}density = 5.000000e-03
// IMPORTANCE: @w2 {{.*}}density = 1.500000e-02
// IMPORTANCE: @v {{.*}}density = 1.000000e+00
// (@w3 has no rms: it counts as the mean, 0.02, and takes an equal share.)

// LAGS: @w1 {{.*}}density = 1.000000e-01
// LAGS: @w2 {{.*}}density = 1.000000e-03
// LAGS: @v {{.*}}density = 1.000000e+00
// LAGS: @w3 {{.*}}density = 1.000000e+00
