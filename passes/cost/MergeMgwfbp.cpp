//===- MergeMgwfbp.cpp - MG-WFBP (INFOCOM'19) -----------------------------===//

#include "passes/cost/GreedyScan.h"
#include "passes/cost/MergeSolvers.h"

#include <algorithm>

using namespace agtf::cost;

Partition agtf::cost::mergeMgwfbp(const CostTable &table) {
  const Problem &problem = table.getProblem();
  return scanGreedily(table, [&](const PlanTimeline &timeline,
                                 const Partition &, size_t j) {
    // The current last bucket's communication under the plan so far, and
    // when tensor j would be ready to communicate in the same timeline
    // (with its sparsification or packing, as the bucket's start has them).
    const BucketTimes &last = timeline.buckets.back();
    BucketCost next = table.bucket(j, j + 1);
    double ready;
    if (problem.cluster.timeline == Timeline::Serial) {
      double compress = 0.0;
      for (const BucketCost &cost : timeline.costs)
        compress += cost.sparsifyUs;
      ready = table.backwardUntil(j + 1) + compress + next.sparsifyUs;
    } else {
      ready =
          std::max(last.ready, table.backwardUntil(j + 1)) + next.sparsifyUs;
    }
    // MG-WFBP's threshold is the startup time of one collective: here the
    // latency terms of the last bucket's collectives.
    double startup =
        fixedCommCost(problem.cluster, timeline.costs.back().method);
    return ready < last.end &&
           (last.start > ready || ready - last.start < startup);
  });
}
