//===- MergeThreshold.cpp - PyTorch DDP's byte threshold ------------------===//

#include "passes/cost/MergeSolvers.h"

using namespace agtf::cost;

Partition agtf::cost::mergeThreshold(const Problem &problem, int64_t bytes,
                                     int64_t firstBytes, int64_t elementBytes) {
  Partition plan;
  int64_t held = 0;
  size_t n = problem.tensors.size();
  for (size_t i = 0; i < n; ++i) {
    held += problem.tensors[i].numel * elementBytes;
    int64_t limit = plan.empty() ? firstBytes : bytes;
    if (held >= limit || i + 1 == n) {
      plan.push_back(i + 1);
      held = 0;
    }
  }
  return plan;
}
