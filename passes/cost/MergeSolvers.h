//===- MergeSolvers.h - merge solvers over a Problem ------------*- C++ -*-===//
//
// Each solver returns a Partition of the tensors into contiguous buckets;
// each is defined in its own file, Merge<Name>.cpp. The published rules
// (MG-WFBP, OMGS, AGTF) are reproduced as their papers and code state them,
// on this project's cost model, so that they can be compared with the exact
// optimum side by side. MergeStrategy.h maps the pass option's names to
// them.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_PASSES_COST_MERGESOLVERS_H
#define AGTF_PASSES_COST_MERGESOLVERS_H

#include "passes/cost/CostModel.h"
#include "passes/cost/NoiseModel.h"

#include <optional>

namespace agtf::cost {

/// A bucket per tensor.
Partition mergeLayerwise(const Problem &problem);
/// One bucket.
Partition mergeSingle(const Problem &problem);
/// PyTorch DDP: close a bucket once it holds >= limit bytes (the first
/// bucket's limit is `firstBytes`).
Partition mergeThreshold(const Problem &problem, int64_t bytes,
                         int64_t firstBytes, int64_t elementBytes);
/// MG-WFBP (INFOCOM'19): merge the next gradient into the current bucket
/// when it is ready before the bucket's communication would end and that
/// communication has not started, or started less than alpha before.
Partition mergeMgwfbp(const CostTable &table);
/// OMGS-SGD (INFOCOM'20): greedy scan; merge when the wait it causes is
/// below the communication time it saves.
Partition mergeOmgs(const CostTable &table);
/// AGTF: DP over prefixes keeping one best plan per prefix, on
/// communication cost only (sparsification is not modelled), taking a merge
/// only when the prefix's noise stays within (1 + tolerance) of layer-wise.
Partition mergeAgtf(const CostTable &table, const NoiseModel &noise,
                    double tolerance);

/// How mergeOptimal searches. Both find the same optimum; Exhaustive keeps
/// every prefix's whole Pareto front, so that tests can check that the
/// bounds drop no label the optimum needs.
enum class OptimalSearch { BranchAndBound, Exhaustive };
/// What mergeOptimal proves of its plan: the plan's predicted iteration
/// time and a lower bound of every plan's within the budget.
struct OptimalityCertificate {
  double iterUs = 0.0;
  double lowerBoundUs = 0.0;
};
/// Minimum of the predicted iteration time (DESIGN.md §4): a DP over
/// prefixes keeping the Pareto front of (sparsification clock, comm end,
/// noise). With `noiseBudget`, plans whose noise exceeds it are excluded;
/// a budget below every plan's noise (possible for an absolute one) leaves
/// none, and then a plan over it is returned: callers compare its noise
/// with the budget (gcomm-merge reports it as an error).
/// With `gap` > 0, the search may stop short of the optimum: the plan's
/// predicted iteration time is at most (1 + gap) times the optimum's
/// (docs/passes.md); `certificate` receives how close it is.
Partition mergeOptimal(const CostTable &table, const NoiseModel *noise,
                       std::optional<double> noiseBudget,
                       OptimalSearch search = OptimalSearch::BranchAndBound,
                       double gap = 0.0,
                       OptimalityCertificate *certificate = nullptr);

} // namespace agtf::cost

#endif // AGTF_PASSES_COST_MERGESOLVERS_H
