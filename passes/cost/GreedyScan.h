//===- GreedyScan.h - the scan of the greedy merge rules --------*- C++ -*-===//
//
// MG-WFBP and OMGS both walk the tensors in backprop order and decide, for
// each next tensor, whether it joins the last bucket, seeing the predicted
// timeline of the plan so far.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_COST_GREEDYSCAN_H
#define AGTF_PASSES_COST_GREEDYSCAN_H

#include "passes/cost/CostModel.h"

namespace agtf::cost {

/// The plan that starts with tensor 0 alone and adds tensor j = 1, 2, ...
/// to the last bucket when `joins(timeline, plan, j)` says so (`timeline`
/// is the plan's so far), or as a bucket of its own.
template <typename JoinsLastBucket>
Partition scanGreedily(const CostTable &table, JoinsLastBucket joins) {
  size_t n = table.getProblem().tensors.size();
  if (n == 0)
    return {};
  Partition plan = {1};
  for (size_t j = 1; j < n; ++j) {
    if (joins(simulate(table, plan), plan, j))
      plan.back() = j + 1;
    else
      plan.push_back(j + 1);
  }
  return plan;
}

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_GREEDYSCAN_H
