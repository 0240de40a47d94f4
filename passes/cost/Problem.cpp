//===- Problem.cpp - what a merge plan is chosen for ----------------------===//

#include "passes/cost/Problem.h"
#include "kernels/TopK.h"

using namespace agtf::cost;

// The runtime keeps exactly this many elements (kernels/TopK.h).
int64_t Tensor::keptCount() const { return kernels::topKCount(numel, density); }
