//===- MergeStrategy.cpp - the merge strategies, one table ----------------===//

#include "passes/cost/MergeStrategy.h"
#include "passes/cost/MergeSolvers.h"

#include <algorithm>

using namespace agtf::cost;

namespace {

constexpr std::array<MergeStrategyInfo, kNumMergeStrategies> kStrategies = {{
    {MergeStrategy::Layerwise, "layerwise", "a bucket per tensor", false,
     [](const CostTable &table, const NoiseModel &, const MergeOptions &) {
       return mergeLayerwise(table.getProblem());
     }},
    {MergeStrategy::Single, "single", "one bucket", false,
     [](const CostTable &table, const NoiseModel &, const MergeOptions &) {
       return mergeSingle(table.getProblem());
     }},
    {MergeStrategy::Threshold, "threshold",
     "PyTorch DDP: close a bucket at bucket-bytes", false,
     [](const CostTable &table, const NoiseModel &, const MergeOptions &o) {
       return mergeThreshold(table.getProblem(), o.bucketBytes,
                             o.firstBucketBytes, o.elementBytes);
     }},
    {MergeStrategy::Mgwfbp, "mgwfbp", "MG-WFBP's merge rule", true,
     [](const CostTable &table, const NoiseModel &, const MergeOptions &) {
       return mergeMgwfbp(table);
     }},
    {MergeStrategy::Omgs, "omgs", "OMGS-SGD's greedy scan", true,
     [](const CostTable &table, const NoiseModel &, const MergeOptions &) {
       return mergeOmgs(table);
     }},
    {MergeStrategy::Agtf, "agtf", "AGTF's DP with its noise rule", true,
     [](const CostTable &table, const NoiseModel &noise,
        const MergeOptions &o) {
       return mergeAgtf(table, noise, std::max(0.0, o.noiseTolerance));
     }},
    {MergeStrategy::Optimal, "optimal",
     "minimum of the predicted iteration time (within optimality-gap)", true,
     [](const CostTable &table, const NoiseModel &noise,
        const MergeOptions &o) {
       std::optional<double> budget;
       if (o.noiseTolerance >= 0.0)
         budget = (1.0 + o.noiseTolerance) *
                  noise.layerwise(table.getProblem().tensors.size());
       return mergeOptimal(table, &noise, budget, OptimalSearch::BranchAndBound,
                           o.optimalityGap, o.certificate);
     }},
}};

/// Entry i describes enumerator i, with a name and a solver.
constexpr bool isComplete() {
  for (size_t i = 0; i < kNumMergeStrategies; ++i)
    if (kStrategies[i].strategy != MergeStrategy(i) || !kStrategies[i].name ||
        !kStrategies[i].solve)
      return false;
  return true;
}
static_assert(isComplete(), "kStrategies needs one entry per MergeStrategy, "
                            "in enumerator order");

} // namespace

const std::array<MergeStrategyInfo, kNumMergeStrategies> &
agtf::cost::getMergeStrategies() {
  return kStrategies;
}
