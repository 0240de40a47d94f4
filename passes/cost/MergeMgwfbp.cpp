//===- MergeMgwfbp.cpp - MG-WFBP (INFOCOM'19) -----------------------------===//

#include "passes/cost/GreedyScan.h"
#include "passes/cost/MergeSolvers.h"

using namespace agtf::cost;

Partition agtf::cost::mergeMgwfbp(const CostTable &table) {
  const Cluster &cluster = table.getProblem().cluster;
  return scanGreedily(
      table, [&](const PlanTimeline &timeline, const Partition &, size_t j) {
        // The current last bucket's communication under the plan so far.
        const BucketTimes &last = timeline.buckets.back();
        Collective c = timeline.costs.back().sparse ? Collective::Allgather
                                                    : Collective::Allreduce;
        double alpha = cluster.alpha(c);
        double ready = table.backwardUntil(j + 1);
        return ready < last.end &&
               (last.start > ready || ready - last.start < alpha);
      });
}
