//===- MergeSingle.cpp - one bucket ---------------------------------------===//

#include "passes/cost/MergeSolvers.h"

using namespace agtf::cost;

Partition agtf::cost::mergeSingle(const Problem &problem) {
  if (problem.tensors.empty())
    return {};
  return {problem.tensors.size()};
}
