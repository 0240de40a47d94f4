//===- MergeOmgs.cpp - OMGS-SGD (INFOCOM'20) ------------------------------===//

#include "passes/cost/GreedyScan.h"
#include "passes/cost/MergeSolvers.h"

using namespace agtf::cost;

Partition agtf::cost::mergeOmgs(const CostTable &table) {
  const Problem &problem = table.getProblem();
  return scanGreedily(table, [&](const PlanTimeline &timeline,
                                 const Partition &plan, size_t j) {
    size_t begin = plan.size() > 1 ? plan[plan.size() - 2] : 0;
    BucketCost group = table.bucket(begin, j);
    BucketCost next = table.bucket(j, j + 1);
    BucketCost merged = table.bucket(begin, j + 1);
    const BucketTimes &last = timeline.buckets.back();
    // Waiting for tensor j delays the bucket by its backward time and the
    // extra sparsification, less the time the bucket would idle anyway.
    double slack = last.start - last.ready;
    double wait = problem.tensors[j].backwardUs + merged.sparsifyUs -
                  group.sparsifyUs - next.sparsifyUs - slack;
    double save = group.commUs + next.commUs - merged.commUs;
    return wait < save;
  });
}
