// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=optimal compression=topk noise-tolerance=0}))' | FileCheck %s --check-prefix=OPTIMAL
// RUN: agtf-opt %s --pass-pipeline='builtin.module(gcomm.graph(gcomm-merge{strategy=optimal compression=topk}, gcomm-merge{strategy=layerwise compression=topk}))' | FileCheck %s --check-prefix=OTHER

// gcomm-merge{strategy=optimal} writes what it proved, a lower bound of
// every plan's predicted iteration time; another strategy's plan drops it.
// OPTIMAL: gcomm.graph @g attributes {{{.*}}optimal_lower_bound_us =
// OTHER-NOT: optimal_lower_bound_us
gcomm.graph @g attributes {forward_us = 10.0, update_us = 1.0, optimal_lower_bound_us = 5.0} {
  gcomm.tensor @a : tensor<64x64xf32> {backward_us = 30.0, density = 0.01}
  gcomm.tensor @b : tensor<64xf32> {backward_us = 5.0}
  gcomm.tensor @c : tensor<128x64xf32> {backward_us = 40.0, density = 0.01}
}
