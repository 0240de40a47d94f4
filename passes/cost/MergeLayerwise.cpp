//===- MergeLayerwise.cpp - a bucket per tensor ---------------------------===//

#include "passes/cost/MergeSolvers.h"

using namespace agtf::cost;

Partition agtf::cost::mergeLayerwise(const Problem &problem) {
  Partition plan;
  for (size_t i = 1; i <= problem.tensors.size(); ++i)
    plan.push_back(i);
  return plan;
}
