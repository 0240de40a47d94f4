//===- MergeStrategy.cpp - the merge strategies, one table ----------------===//

#include "passes/cost/MergeStrategy.h"
#include "passes/cost/MergeSolvers.h"

#include <algorithm>

using namespace agtf::cost;

namespace {
Partition solveOptimal(const CostTable &table, const NoiseModel &noise,
                       const MergeOptions &o);

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
     solveOptimal},
}};

} // namespace

namespace {
/// mergeOptimal, and where the comm lane slows beside the sparsify lane
/// (which its labels leave out: a heuristic then, with a true lower bound)
/// the fastest of its plan and every other strategy's that meets the guard,
/// so that under the one price it is never slower than another strategy.
Partition solveOptimal(const CostTable &table, const NoiseModel &noise,
                       const MergeOptions &o) {
  std::optional<double> budget = noiseBudgetOf(table, noise, o);
  Partition plan =
      mergeOptimal(table, &noise, budget, OptimalSearch::BranchAndBound,
                   o.optimalityGap, o.certificate);
  if (!hasBesideSparsify(table.getProblem().cluster))
    return plan;
  double bestUs = simulate(table, plan).iterUs;
  auto fits = [&](double planNoise) {
    return !budget || planNoise <= *budget * (1.0 + 1e-12);
  };
  for (const MergeStrategyInfo &other : kStrategies) {
    if (other.strategy == MergeStrategy::Optimal)
      continue;
    Partition candidate = other.solve(table, noise, o);
    double us = simulate(table, candidate).iterUs;
    if (us < bestUs && fits(noise.plan(candidate)))
      plan = std::move(candidate), bestUs = us;
  }
  if (o.certificate) {
    o.certificate->iterUs = bestUs;
    o.certificate->lowerBoundUs = std::min(o.certificate->lowerBoundUs, bestUs);
  }
  return plan;
}
} // namespace

std::optional<double> agtf::cost::noiseBudgetOf(const CostTable &table,
                                                const NoiseModel &noise,
                                                const MergeOptions &options) {
  if (options.noiseBudget >= 0.0)
    return options.noiseBudget;
  if (options.noiseTolerance < 0.0)
    return std::nullopt;
  size_t n = table.getProblem().tensors.size();
  double reference = options.noiseReference == NoiseReference::Single
                         ? noise.bucket(0, n)
                         : noise.layerwise(n);
  return (1.0 + options.noiseTolerance) * reference;
}

namespace {
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
