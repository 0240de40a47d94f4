//===- Problem.cpp - what a merge plan is chosen for ----------------------===//

#include "passes/cost/Problem.h"
#include "kernels/TopK.h"

using namespace agtf::cost;

// The runtime keeps exactly this many elements (kernels/TopK.h).
const char *agtf::cost::timelineName(Timeline timeline) {
  static const char *const names[] = {"serial", "stream", "shared"};
  return names[int(timeline)];
}

const char *agtf::cost::curveName(Curve curve) {
  static const char *const names[kCurves] = {
      "allreduce", "allgather",  "gtopk",
      "compress",  "decompress", "comm_beside_sparsify"};
  return names[int(curve)];
}

int64_t Tensor::keptCount() const { return kernels::topKCount(numel, density); }
